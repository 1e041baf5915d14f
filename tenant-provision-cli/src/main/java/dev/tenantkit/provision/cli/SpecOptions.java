package dev.tenantkit.provision.cli;

import dev.tenantkit.provision.InvalidStackSpecException;
import dev.tenantkit.provision.TenantStackSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The stack spec, as options shared by every command that makes a template. */
final class SpecOptions {
  @Option(names = "--tenant", required = true, description = "tenant id (deploy: repeatable, to onboard several "
      + "tenants alike)")
  List<String> tenants = new ArrayList<>();

  @Option(names = "--tier", defaultValue = "standard", description = "basic, standard or premium (default: ${DEFAULT-VALUE})")
  String tier = "standard";

  @Option(names = "--region", required = true, description = "AWS Region, e.g. eu-west-1")
  String region = "";

  @Option(names = "--account", description = "bind the stack to this 12-digit account (optional)")
  @Nullable String account;

  @Option(names = "--azs", defaultValue = "2", description = "Availability Zones, 2 or 3 (default: ${DEFAULT-VALUE})")
  int azs;

  @Option(names = "--instance-type", description = "EC2 instance type (default: the tier's)")
  @Nullable String instanceType;

  @Option(names = "--capacity", description = "Auto Scaling bounds MIN:MAX (default: the tier's)")
  @Nullable String capacity;

  @Option(names = "--db-class", description = "RDS instance class without db. (default: the tier's)")
  @Nullable String dbClass;

  @Option(names = "--app-port", defaultValue = "8080", description = "application port (default: ${DEFAULT-VALUE})")
  int appPort;

  @Option(names = "--certificate-arn", required = true, description = "ACM certificate for the ALB (same Region)")
  String certificateArn = "";

  @Option(names = "--okta-metadata-url", description = "the tenant's Okta SAML metadata URL (needs --callback-url)")
  @Nullable String oktaUrl;

  @Option(names = "--okta-metadata-file", description = "the tenant's Okta SAML metadata file (needs --callback-url)")
  @Nullable Path oktaFile;

  @Option(names = "--callback-url", description = "the app client's OAuth callback URL, https (repeatable; without "
      + "one the client has no OAuth, SRP sign-in only)")
  List<String> callbackUrls = new ArrayList<>();

  @Option(names = "--logout-url", description = "the app client's sign-out URL, https (repeatable)")
  List<String> logoutUrls = new ArrayList<>();

  @Option(names = "--cognito-domain-prefix", description = "Cognito domain prefix (default: tenantkit-TENANT)")
  @Nullable String cognitoDomainPrefix;

  @Option(names = "--db-user", description = "the IAM database user the application connects as (default: app)")
  @Nullable String dbUser;

  @Option(names = "--registry-table", description = "the DynamoDB tenant registry: the stack's instances read their "
      + "record there, and deploy and destroy keep the record there (instead of --catalog)")
  @Nullable String registryTable;

  @Option(names = "--registry-region", description = "the registry's Region (default: the stack's)")
  @Nullable String registryRegion;

  @Option(names = "--service-artifact", description = "the service the instances run: an s3:// URI of its jar "
      + "(with --service-command)")
  @Nullable String serviceArtifact;

  @Option(names = "--service-command", description = "how the instances start the service, e.g. "
      + "'java -jar documents-service.jar' (with --service-artifact)")
  @Nullable String serviceCommand;

  @Option(names = "--service-ami", description = "an AMI that has the service (instead of --service-artifact)")
  @Nullable String serviceAmi;

  @Option(names = "--tag", description = "extra tag KEY=VALUE (repeatable)")
  List<String> tags = new ArrayList<>();

  @Option(names = "--assembly-dir", description = "where synthesis keeps the cloud assembly: template, cdk-nag and "
      + "CDK validation reports (default: OUT/cdk.out for synth, a new directory under the system's temp "
      + "directory otherwise; kept either way)")
  @Nullable Path assemblyDir;

  /** The validated spec of the one tenant named, or every problem at once. */
  TenantStackSpec spec() {
    if (tenants.size() > 1) {
      throw new CliSpecException(List.of("--tenant: this command takes one tenant, was given " + tenants.size()));
    }
    return spec(tenants.isEmpty() ? null : tenants.get(0));
  }

  /**
   * The validated spec of each tenant named (all alike but their ids), or every problem at once.
   * Options that must differ between tenants (the Okta federation, the app client's URLs, the
   * Cognito domain prefix, the assembly directory) are refused with several tenants: one tenant's
   * identity provider must never be trusted by another's user pool.
   */
  List<TenantStackSpec> specs() {
    List<String> problems = new ArrayList<>();
    if (tenants.size() > 1) {
      List<String> own = new ArrayList<>();
      if (oktaUrl != null) {
        own.add("--okta-metadata-url");
      }
      if (oktaFile != null) {
        own.add("--okta-metadata-file");
      }
      if (!callbackUrls.isEmpty()) {
        own.add("--callback-url");
      }
      if (!logoutUrls.isEmpty()) {
        own.add("--logout-url");
      }
      if (cognitoDomainPrefix != null) {
        own.add("--cognito-domain-prefix");
      }
      if (assemblyDir != null) {
        own.add("--assembly-dir");
      }
      for (String option : own) {
        problems.add(option + ": is one tenant's own; onboard that tenant with its own command, not in a batch of "
            + tenants.size());
      }
      for (String t : new java.util.LinkedHashSet<>(tenants)) {
        if (tenants.indexOf(t) != tenants.lastIndexOf(t)) {
          problems.add("--tenant " + t + ": given more than once");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new CliSpecException(problems);
    }
    List<TenantStackSpec> specs = new ArrayList<>();
    // The first tenant's spec reports what is wrong with the options shared by all, once.
    specs.add(spec(tenants.isEmpty() ? null : tenants.get(0)));
    for (String t : tenants.subList(Math.min(1, tenants.size()), tenants.size())) {
      try {
        specs.add(spec(t));
      } catch (InvalidStackSpecException | CliSpecException e) {
        problems.add(t + ": " + String.valueOf(e.getMessage()).replace("\n", "\n  "));
      }
    }
    if (!problems.isEmpty()) {
      throw new CliSpecException(problems);
    }
    return specs;
  }

  /** The validated spec, or every problem (the CLI's own parsing and the spec's) at once. */
  private TenantStackSpec spec(@Nullable String tenant) {
    TenantStackSpec.Builder b = TenantStackSpec.builder().tier(tier).region(region).account(account)
        .availabilityZones(azs).appPort(appPort).certificateArn(certificateArn).oktaMetadataUrl(oktaUrl)
        .oktaMetadataFile(oktaFile).callbackUrls(callbackUrls).logoutUrls(logoutUrls)
        .cognitoDomainPrefix(cognitoDomainPrefix).registryTable(registryTable).registryRegion(registryRegion)
        .service(serviceArtifact, serviceCommand).serviceAmi(serviceAmi);
    if (tenant != null) {
      b.tenant(tenant);
    }
    if (dbUser != null) {
      b.databaseUser(dbUser);
    }
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

  /** {@code --assembly-dir}, else {@code fallback}, else a new kept directory under the temp directory. */
  Path assemblyDir(TenantStackSpec spec, @Nullable Path fallback) {
    if (assemblyDir != null) {
      return assemblyDir;
    }
    if (fallback != null) {
      return fallback;
    }
    try {
      return Files.createTempDirectory(spec.stackName() + "-cdk.out");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the cloud assembly", e);
    }
  }
}
