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
  @Option(names = "--tenant", required = true, description = "tenant id")
  @Nullable String tenant;

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

  @Option(names = "--tag", description = "extra tag KEY=VALUE (repeatable)")
  List<String> tags = new ArrayList<>();

  @Option(names = "--assembly-dir", description = "where synthesis keeps the cloud assembly: template, cdk-nag and "
      + "CDK validation reports (default: OUT/cdk.out for synth, a new directory under the system's temp "
      + "directory otherwise; kept either way)")
  @Nullable Path assemblyDir;

  /** The validated spec, or every problem (the CLI's own parsing and the spec's) at once. */
  TenantStackSpec spec() {
    TenantStackSpec.Builder b = TenantStackSpec.builder().tier(tier).region(region).account(account)
        .availabilityZones(azs).appPort(appPort).certificateArn(certificateArn).oktaMetadataUrl(oktaUrl)
        .oktaMetadataFile(oktaFile).callbackUrls(callbackUrls).logoutUrls(logoutUrls)
        .cognitoDomainPrefix(cognitoDomainPrefix);
    if (tenant != null) {
      b.tenant(tenant);
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
