package dev.tenantkit.provision.cli;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.WritableTenantCatalog;
import dev.tenantkit.provision.Preflight;
import dev.tenantkit.provision.TenantOnboarding;
import dev.tenantkit.provision.TenantStackSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code deploy}: onboarding from the command line. A new tenant goes PROVISIONING then ACTIVE; an
 * ACTIVE one goes UPDATING (still served) then ACTIVE, and back to ACTIVE with the reason if the
 * update rolls back. The Region's quotas are checked first for what the deployment adds.
 */
@Command(name = "deploy", description = "Create or update the tenant's stack through a change set (after a quota "
    + "preflight for what it adds), stream its events, print the outputs and make the tenant ACTIVE in the "
    + "catalog. An ACTIVE tenant stays served while its stack is updated.")
final class DeployCommand extends AwsCommand {
  @Mixin
  SpecOptions spec = new SpecOptions();

  @Option(names = "--catalog", required = true, description = "the tenant catalog file to update")
  Path catalog = Path.of("catalog.json");

  @Option(names = "--template-bucket", required = true,
      description = "S3 bucket for templates over CloudFormation's 51,200-byte inline limit")
  String templateBucket = "";

  @Option(names = "--skip-preflight", description = "do not check the Region's quotas first")
  boolean skipPreflight;

  @Option(names = "--vpc-quota", defaultValue = "5", description = "VPCs per Region, if raised (default: ${DEFAULT-VALUE})")
  int vpcQuota;

  @Option(names = "--nat-quota", defaultValue = "5", description = "NAT gateways per AZ, if raised (default: ${DEFAULT-VALUE})")
  int natQuota;

  @Override
  public Integer call() {
    TenantStackSpec s = spec.spec();
    PrintWriter p = out();
    WritableTenantCatalog records = CatalogFile.load(catalog);
    TenantOnboarding.Builder b = aws.onboarding(records, catalog, aws.deployer(s.region(), p, templateBucket), p,
        spec.assemblyDir(s, null));
    if (!skipPreflight) {
      b.preflight(Preflight.builder().ec2(aws.ec2(s.region())).vpcQuota(vpcQuota).natGatewaysPerAzQuota(natQuota)
          .build());
    }
    Tenant tenant = b.build().onboard(s);
    p.println("Outputs:");
    tenant.stack().ifPresent(st -> new TreeMap<>(st.outputs()).forEach((k, v) -> p.printf("  %-20s %s%n", k, v)));
    p.println("Catalog " + catalog + " updated: " + s.tenantId() + " is " + tenant.status());
    return 0;
  }
}
