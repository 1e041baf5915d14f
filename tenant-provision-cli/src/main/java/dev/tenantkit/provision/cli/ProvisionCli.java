package dev.tenantkit.provision.cli;

import dev.tenantkit.core.FileTenantCatalog;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantKitException;
import dev.tenantkit.core.WritableTenantCatalog;
import dev.tenantkit.provision.InvalidStackSpecException;
import dev.tenantkit.provision.OnboardingException;
import dev.tenantkit.provision.Preflight;
import dev.tenantkit.provision.PreflightException;
import dev.tenantkit.provision.StackDeployer;
import dev.tenantkit.provision.StackDeploymentException;
import dev.tenantkit.provision.TenantOnboarding;
import dev.tenantkit.provision.TenantStackSpec;
import dev.tenantkit.provision.TenantTemplates;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code tenantkit-provision}: a tenant's isolated stack from the command line. Exit codes: 0 done;
 * 1 the deployment or deletion failed (the record says FAILED or OFFBOARDING with the reason); 2 bad
 * arguments or spec (one line per problem); 3 preflight refused (a quota would be exceeded); 4
 * cdk-nag found an unsuppressed issue; 5 AWS could not be reached or refused the credentials.
 */
@Command(name = "tenantkit-provision", mixinStandardHelpOptions = true, version = "TenantKit 0.1.0-SNAPSHOT",
    description = "Synthesise, deploy, inspect and delete a tenant's isolated AWS stack.",
    subcommands = {ProvisionCli.Synth.class, ProvisionCli.Deploy.class, ProvisionCli.Status.class,
        ProvisionCli.Diff.class, ProvisionCli.Destroy.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:deployment or deletion failed", "2:bad arguments or spec",
        "3:preflight refused (quota)", "4:cdk-nag finding", "5:AWS unreachable or credentials refused"})
public final class ProvisionCli {
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int PREFLIGHT = 3;
  static final int NAG = 4;
  static final int AWS = 5;

  private ProvisionCli() {}

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command; for tests and embedding. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(ProvisionCli.class);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof InvalidStackSpecException || e instanceof CliSpecException) {
        err.println(e.getMessage());
        return USAGE;
      }
      if (e instanceof OnboardingException && e.getCause() instanceof PreflightException) {
        err.println(e.getCause().getMessage());
        return PREFLIGHT;
      }
      if (e instanceof PreflightException) {
        err.println(e.getMessage());
        return PREFLIGHT;
      }
      if (e instanceof NagException) {
        err.println(e.getMessage());
        return NAG;
      }
      if (e instanceof SdkException || e.getCause() instanceof SdkException) {
        err.println("AWS: " + (e.getCause() instanceof SdkException ? e.getCause().getMessage() : e.getMessage()));
        return AWS;
      }
      if (e instanceof TenantKitException) {
        err.println(e.getMessage());
        return FAILED;
      }
      throw e;
    });
    return cl.execute(args);
  }

  /** The stack spec, as options shared by every command that makes a template. */
  static final class SpecOptions {
    @Option(names = "--tenant", required = true, description = "tenant id")
    String tenant;

    @Option(names = "--tier", defaultValue = "standard", description = "basic, standard or premium (default: ${DEFAULT-VALUE})")
    String tier;

    @Option(names = "--region", required = true, description = "AWS Region, e.g. eu-west-1")
    String region;

    @Option(names = "--account", description = "bind the stack to this 12-digit account (optional)")
    String account;

    @Option(names = "--azs", defaultValue = "2", description = "Availability Zones, 2 or 3 (default: ${DEFAULT-VALUE})")
    int azs;

    @Option(names = "--instance-type", description = "EC2 instance type (default: the tier's)")
    String instanceType;

    @Option(names = "--capacity", description = "Auto Scaling bounds MIN:MAX (default: the tier's)")
    String capacity;

    @Option(names = "--db-class", description = "RDS instance class without db. (default: the tier's)")
    String dbClass;

    @Option(names = "--app-port", defaultValue = "8080", description = "application port (default: ${DEFAULT-VALUE})")
    int appPort;

    @Option(names = "--certificate-arn", required = true, description = "ACM certificate for the ALB (same Region)")
    String certificateArn;

    @Option(names = "--okta-metadata-url", description = "the tenant's Okta SAML metadata URL")
    String oktaUrl;

    @Option(names = "--okta-metadata-file", description = "the tenant's Okta SAML metadata file")
    Path oktaFile;

    @Option(names = "--tag", description = "extra tag KEY=VALUE (repeatable)")
    List<String> tags = new ArrayList<>();

    TenantStackSpec spec() {
      TenantStackSpec.Builder b = TenantStackSpec.builder().tenant(tenant).tier(tier).region(region).account(account)
          .availabilityZones(azs).appPort(appPort).certificateArn(certificateArn).oktaMetadataUrl(oktaUrl)
          .oktaMetadataFile(oktaFile);
      List<String> problems = new ArrayList<>();
      if (instanceType != null) {
        b.instanceType(instanceType);
      }
      if (dbClass != null) {
        b.databaseInstanceClass(dbClass);
      }
      if (capacity != null) {
        String[] mm = capacity.split(":");
        try {
          b.capacity(Integer.parseInt(mm[0]), Integer.parseInt(mm[mm.length - 1]));
        } catch (NumberFormatException e) {
          problems.add("capacity: must be MIN:MAX, e.g. 2:4");
        }
      }
      for (String t : tags) {
        int eq = t.indexOf('=');
        if (eq <= 0) {
          problems.add("tag \"" + t + "\": must be KEY=VALUE");
        } else {
          b.tag(t.substring(0, eq), t.substring(eq + 1));
        }
      }
      try {
        TenantStackSpec spec = b.build();
        if (!problems.isEmpty()) {
          throw new CliSpecException(problems);
        }
        return spec;
      } catch (InvalidStackSpecException e) {
        if (problems.isEmpty()) {
          throw e;
        }
        List<String> all = new ArrayList<>(problems);
        all.addAll(e.problems());
        throw new CliSpecException(all);
      }
    }
  }

  /** Where the AWS calls go: the default chain, or an endpoint (tests, LocalStack-like set-ups). */
  static final class AwsOptions {
    @Option(names = "--endpoint-url", description = "send CloudFormation, EC2 and S3 calls here (testing only)",
        hidden = true)
    URI endpoint;

    @Option(names = "--ec2-endpoint-url", hidden = true, description = "send EC2 calls here (testing only)")
    URI ec2Endpoint;

    @Option(names = "--s3-endpoint-url", hidden = true, description = "send S3 calls here (testing only)")
    URI s3Endpoint;

    @Option(names = "--poll-seconds", defaultValue = "5", description = "status polling interval in seconds")
    double pollSeconds;

    CloudFormationClient cloudFormation(String region) {
      var b = CloudFormationClient.builder().region(Region.of(region));
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      }
      return b.build();
    }

    Ec2Client ec2(String region) {
      var b = Ec2Client.builder().region(Region.of(region));
      if (ec2Endpoint != null || endpoint != null) {
        b.endpointOverride(ec2Endpoint != null ? ec2Endpoint : endpoint);
      }
      return b.build();
    }

    S3Client s3(String region) {
      var b = S3Client.builder().region(Region.of(region));
      if (s3Endpoint != null) {
        // An S3-compatible test server: path-style, checksums only where S3 requires them.
        b.endpointOverride(s3Endpoint).forcePathStyle(true)
            .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED);
      }
      return b.build();
    }

    Duration poll() {
      return Duration.ofMillis((long) (pollSeconds * 1000));
    }
  }

  /** Spec problems found by the CLI itself (its own parsing) together with the spec's. */
  static final class CliSpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliSpecException(List<String> problems) {
      super("invalid tenant stack spec:\n  " + String.join("\n  ", problems));
    }
  }

  /** The synthesised template has unsuppressed cdk-nag findings. */
  static final class NagException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NagException(List<String> findings) {
      super("cdk-nag found " + findings.size() + " unsuppressed issue(s); not going further:\n  "
          + String.join("\n  ", findings));
    }
  }

  static TenantTemplates.Synthesized synthChecked(TenantStackSpec spec) {
    TenantTemplates.Synthesized s = TenantTemplates.synth(spec);
    if (!s.nagFindings().isEmpty()) {
      throw new NagException(s.nagFindings());
    }
    return s;
  }

  @Command(name = "synth", description = "Write the tenant's CloudFormation template to --out and print a summary "
      + "(resources by type, estimated fixed monthly cost). Needs no AWS account or network.")
  static final class Synth implements Callable<Integer> {
    @Mixin
    SpecOptions spec;

    @Option(names = "--out", required = true, description = "directory for <stack>.template.json")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws IOException {
      TenantStackSpec s = spec.spec();
      TenantTemplates.Synthesized t = synthChecked(s);
      Files.createDirectories(out);
      Path file = out.resolve(s.stackName() + ".template.json");
      Files.writeString(file, t.json());
      PrintWriter p = command.commandLine().getOut();
      p.printf("%s: tier %s, %d AZs, written to %s (%,d bytes)%n", s.stackName(), s.tier().name(),
          s.availabilityZones(), file, Files.size(file));
      p.println("cdk-nag AwsSolutions: no unsuppressed findings");
      p.println();
      p.println("Resources by type:");
      Map<String, Integer> byType = t.resourcesByType();
      byType.forEach((type, n) -> p.printf("  %3d  %s%n", n, type));
      p.printf("  %3d  in all%n", byType.values().stream().mapToInt(Integer::intValue).sum());
      p.println();
      CostEstimate cost = CostEstimate.load();
      p.printf("Estimated fixed monthly cost, USD (price table of %s):%n", cost.asOf());
      double total = 0;
      boolean unknown = false;
      for (var e : cost.monthly(s).entrySet()) {
        if (Double.isNaN(e.getValue())) {
          unknown = true;
          p.printf("  %10s  %s%n", "n/a", e.getKey() + " (type not in the price table)");
        } else {
          total += e.getValue();
          p.printf("  %10.2f  %s%n", e.getValue(), e.getKey());
        }
      }
      p.printf("  %10.2f  total%s%n", total, unknown ? " (without the n/a lines)" : "");
      p.println("  " + cost.basis());
      return 0;
    }
  }

  /** Deployment options: the catalog file and the template bucket. */
  static final class DeployOptions {
    @Option(names = "--catalog", required = true, description = "the tenant catalog file to update")
    Path catalog;

    @Option(names = "--template-bucket", required = true,
        description = "S3 bucket for templates over CloudFormation's 51,200-byte inline limit")
    String templateBucket;
  }

  static WritableTenantCatalog loadCatalog(Path file) {
    if (!Files.exists(file)) {
      return TenantCatalog.inMemory();
    }
    try (FileTenantCatalog catalog = TenantCatalog.fromFile(file)) {
      return TenantCatalog.inMemory(catalog.all());
    }
  }

  static void saveCatalog(Path file, WritableTenantCatalog catalog) {
    try {
      TenantCatalog.writeFile(file, catalog.all());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the catalog " + file, e);
    }
  }

  @Command(name = "deploy", description = "Create or update the tenant's stack through a change set (after a quota "
      + "preflight), stream its events, print the outputs and make the tenant ACTIVE in the catalog.")
  static final class Deploy implements Callable<Integer> {
    @Mixin
    SpecOptions spec;

    @Mixin
    DeployOptions deploy;

    @Mixin
    AwsOptions aws;

    @Option(names = "--skip-preflight", description = "do not check the Region's quotas first")
    boolean skipPreflight;

    @Option(names = "--vpc-quota", defaultValue = "5", description = "VPCs per Region, if raised (default: ${DEFAULT-VALUE})")
    int vpcQuota;

    @Option(names = "--nat-quota", defaultValue = "5", description = "NAT gateways per AZ, if raised (default: ${DEFAULT-VALUE})")
    int natQuota;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
      TenantStackSpec s = spec.spec();
      PrintWriter p = command.commandLine().getOut();
      WritableTenantCatalog catalog = loadCatalog(deploy.catalog);
      S3Client s3 = aws.s3(s.region());
      TenantOnboarding.Builder b = TenantOnboarding.builder().catalog(catalog)
          .deployer(StackDeployer.builder().cloudFormation(aws.cloudFormation(s.region()))
              .templateBucket(s3, deploy.templateBucket).pollInterval(aws.poll()).progress(p::println).build())
          .onChange(c -> saveCatalog(deploy.catalog, c)).progress(p::println);
      if (!skipPreflight) {
        b.preflight(Preflight.builder().ec2(aws.ec2(s.region())).vpcQuota(vpcQuota).natGatewaysPerAzQuota(natQuota)
            .build());
      }
      var tenant = b.build().onboard(s);
      p.println("Outputs:");
      tenant.stack().ifPresent(st -> new java.util.TreeMap<>(st.outputs()).forEach((k, v) -> p.printf("  %-20s %s%n", k, v)));
      p.println("Catalog " + deploy.catalog + " updated: " + s.tenantId() + " is " + tenant.status());
      return 0;
    }
  }

  @Command(name = "status", description = "Print the stack's status and outputs.")
  static final class Status implements Callable<Integer> {
    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--region", required = true)
    String region;

    @Mixin
    AwsOptions aws;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
      String stack = "tenantkit-" + TenantId.of(tenant).value();
      PrintWriter p = command.commandLine().getOut();
      var state = StackDeployer.builder().cloudFormation(aws.cloudFormation(region)).build().status(stack);
      if (state.isEmpty()) {
        p.println(stack + ": no such stack in " + region);
        return FAILED;
      }
      p.println(stack + ": " + state.get().status() + (state.get().reason() == null ? "" : " (" + state.get().reason() + ")"));
      new java.util.TreeMap<>(state.get().outputs()).forEach((k, v) -> p.printf("  %-20s %s%n", k, v));
      return 0;
    }
  }

  @Command(name = "diff", description = "Preview the changes a deploy would make (a change set, deleted again).")
  static final class Diff implements Callable<Integer> {
    @Mixin
    SpecOptions spec;

    @Option(names = "--template-bucket", required = true)
    String templateBucket;

    @Mixin
    AwsOptions aws;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
      TenantStackSpec s = spec.spec();
      PrintWriter p = command.commandLine().getOut();
      var changes = StackDeployer.builder().cloudFormation(aws.cloudFormation(s.region()))
          .templateBucket(aws.s3(s.region()), templateBucket).pollInterval(aws.poll()).build()
          .diff(s.stackName(), synthChecked(s).json());
      if (changes.isEmpty()) {
        p.println(s.stackName() + ": no changes");
      }
      for (var c : changes) {
        p.printf("  %-8s %-45s %-40s %s%n", c.action(), c.logicalId(), c.resourceType(),
            c.replacement().isEmpty() ? "" : "replacement: " + c.replacement());
      }
      return 0;
    }
  }

  @Command(name = "destroy", description = "Delete the tenant's stack and mark it OFFBOARDED. The database snapshot, "
      + "buckets, user pool and key are retained unless --delete-data is given (which needs the spec options).")
  static final class Destroy implements Callable<Integer> {
    @Mixin
    SpecOptions spec;

    @Option(names = "--catalog", required = true)
    Path catalog;

    @Option(names = "--delete-data", description = "also delete the database (no final snapshot), buckets, user pool")
    boolean deleteData;

    @Option(names = "--template-bucket", description = "needed with --delete-data")
    String templateBucket;

    @Mixin
    AwsOptions aws;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
      TenantStackSpec s = spec.spec();
      PrintWriter p = command.commandLine().getOut();
      WritableTenantCatalog c = loadCatalog(catalog);
      S3Client s3 = aws.s3(s.region());
      StackDeployer.Builder d = StackDeployer.builder().cloudFormation(aws.cloudFormation(s.region()))
          .pollInterval(aws.poll()).progress(p::println);
      if (templateBucket != null) {
        d.templateBucket(s3, templateBucket);
      }
      if (deleteData && templateBucket == null) {
        throw new CliSpecException(List.of("--template-bucket: is required with --delete-data"));
      }
      TenantOnboarding onboarding = TenantOnboarding.builder().catalog(c).deployer(d.build()).s3(s3)
          .onChange(x -> saveCatalog(catalog, x)).progress(p::println).build();
      var tenant = deleteData ? onboarding.offboardDeletingData(s) : onboarding.offboard(s.tenantId());
      p.println(s.tenantId() + " is " + tenant.status() + (deleteData ? "; its data was deleted"
          : "; its data was retained (database snapshot, buckets, user pool, key)"));
      return 0;
    }
  }
}
