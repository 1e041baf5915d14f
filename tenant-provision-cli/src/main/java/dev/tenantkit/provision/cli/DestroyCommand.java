package dev.tenantkit.provision.cli;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.provision.TenantOnboarding;
import dev.tenantkit.provision.TenantStackSpec;
import java.io.PrintWriter;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code destroy}: offboarding; the tenant's data is retained unless {@code --delete-data}. */
@Command(name = "destroy", description = "Delete the tenant's stack and mark it OFFBOARDED. The database snapshot, "
    + "buckets, user pool and key are retained unless --delete-data is given (which needs the spec options).")
final class DestroyCommand extends AwsCommand {
  @Mixin
  SpecOptions spec = new SpecOptions();

  @Mixin
  RecordOptions records = new RecordOptions();

  @Option(names = "--delete-data", description = "also delete the database (no final snapshot), buckets, user pool")
  boolean deleteData;

  @Option(names = "--template-bucket", description = "needed with --delete-data")
  @Nullable String templateBucket;

  @Override
  public Integer call() {
    TenantStackSpec s = spec.spec();
    PrintWriter p = out();
    if (deleteData && templateBucket == null) {
      throw new CliSpecException(List.of("--template-bucket: is required with --delete-data"));
    }
    // Only --delete-data synthesises (the disposable variant it applies before deleting).
    TenantOnboarding onboarding = records.onboarding(aws, s, aws.deployer(s.region(), p, templateBucket), p,
            deleteData ? spec.assemblyDir(s, null) : null)
        .s3(aws.s3(s.region())).build();
    Tenant tenant = deleteData ? onboarding.offboardDeletingData(s) : onboarding.offboard(s.tenantId());
    p.println(s.tenantId() + " is " + tenant.status() + (deleteData ? "; its data was deleted"
        : "; its data was retained (database snapshot, buckets, user pool, key)"));
    return 0;
  }
}
