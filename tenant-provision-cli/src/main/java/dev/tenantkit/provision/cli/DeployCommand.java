package dev.tenantkit.provision.cli;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.provision.Preflight;
import dev.tenantkit.provision.TenantOnboarding;
import dev.tenantkit.provision.TenantStackSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code deploy}: onboarding from the command line. A new tenant goes PROVISIONING then ACTIVE; an
 * ACTIVE one goes UPDATING (still served) then ACTIVE, and back to ACTIVE with the reason if the
 * update rolls back. The Region's quotas are checked first for what the deployment adds. Several
 * {@code --tenant}s make a batch: one preflight for the sum, then each tenant's lifecycle on its
 * own, {@code --concurrency} at a time; one tenant's failure stops no other, and running the same
 * batch again resumes the ones that did not finish.
 */
@Command(name = "deploy", description = "Create or update the tenant's stack through a change set (after a quota "
    + "preflight for what it adds), stream its events, print the outputs and make the tenant ACTIVE in the "
    + "catalog or registry. An ACTIVE tenant stays served while its stack is updated. Repeat --tenant to "
    + "onboard several tenants alike.")
final class DeployCommand extends AwsCommand {
  @Mixin
  SpecOptions spec = new SpecOptions();

  @Mixin
  RecordOptions records = new RecordOptions();

  @Option(names = "--template-bucket", required = true,
      description = "S3 bucket for templates over CloudFormation's 51,200-byte inline limit")
  String templateBucket = "";

  @Option(names = "--skip-preflight", description = "do not check the Region's quotas first")
  boolean skipPreflight;

  @Option(names = "--vpc-quota", defaultValue = "5", description = "VPCs per Region, if raised (default: ${DEFAULT-VALUE})")
  int vpcQuota;

  @Option(names = "--nat-quota", defaultValue = "5", description = "NAT gateways per AZ, if raised (default: ${DEFAULT-VALUE})")
  int natQuota;

  @Option(names = "--concurrency", defaultValue = "4",
      description = "with several --tenant, how many are onboarded at once, 1 to 20 (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Override
  public Integer call() {
    List<TenantStackSpec> specs = spec.specs();
    if (concurrency < 1 || concurrency > 20) {
      throw new CliSpecException(List.of("--concurrency: must be 1 to 20, was " + concurrency));
    }
    TenantStackSpec first = specs.get(0);
    PrintWriter p = out();
    // A batch synthesises into temporary assemblies (--assembly-dir is one tenant's: refused above).
    TenantOnboarding.Builder b = records.onboarding(aws, first, aws.deployer(first.region(), p, templateBucket), p,
        specs.size() == 1 ? spec.assemblyDir(first, null) : null);
    if (!skipPreflight) {
      b.preflight(Preflight.builder().ec2(aws.ec2(first.region())).vpcQuota(vpcQuota).natGatewaysPerAzQuota(natQuota)
          .build());
    }
    TenantOnboarding onboarding = b.build();
    if (specs.size() == 1) {
      Tenant tenant = onboarding.onboard(first);
      p.println("Outputs:");
      tenant.stack().ifPresent(st -> new TreeMap<>(st.outputs()).forEach((k, v) -> p.printf("  %-20s %s%n", k, v)));
      p.println(records.where(first) + " updated: " + first.tenantId() + " is " + tenant.status());
      return 0;
    }
    List<TenantOnboarding.BatchOutcome> outcomes = onboarding.onboardAll(specs, concurrency);
    long failed = outcomes.stream().filter(o -> !o.succeeded()).count();
    // The exit code one tenant's failure would have had, when every failure agrees (AWS
    // unreachable: 5, for the whole batch as for one tenant); else 1.
    java.util.Set<Integer> codes = new java.util.HashSet<>();
    for (TenantOnboarding.BatchOutcome o : outcomes) {
      Tenant record = o.record();
      RuntimeException failure = o.failure();
      if (failure != null) {
        codes.add(ProvisionCli.exitCode(failure));
      }
      p.println(o.tenant() + ": " + (failure == null ? String.valueOf(record == null ? "?" : record.status())
          : "FAILED: " + firstLine(failure.getMessage())));
    }
    p.println(records.where(first) + " updated: " + (outcomes.size() - failed) + " of " + outcomes.size()
        + " tenants onboarded" + (failed == 0 ? "" : "; run the same command again to resume the others"));
    if (failed == 0) {
      return 0;
    }
    int code = codes.size() == 1 ? codes.iterator().next() : ProvisionCli.FAILED;
    return code > 0 ? code : ProvisionCli.FAILED;
  }

  private static String firstLine(@org.jspecify.annotations.Nullable String message) {
    String m = String.valueOf(message);
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
