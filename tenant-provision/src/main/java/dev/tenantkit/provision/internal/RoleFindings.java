package dev.tenantkit.provision.internal;

import dev.tenantkit.provision.TenantStackSpec;
import software.amazon.awscdk.services.iam.Role;

/**
 * The wildcards CDK's grants put in the instance role's policy are all scoped to this tenant's
 * own resources; cdk-nag's IAM5 flags any wildcard, so each is suppressed with what it covers.
 */
public final class RoleFindings {
  private RoleFindings() {}

  public static void suppressScopedWildcards(Role role, TenantStackSpec spec) {
    Nag.suppress(role, "AwsSolutions-IAM5", "Wildcards come from CDK's grants on this tenant's own resources "
        + "only: object actions (s3:GetObject*, s3:PutObject*, s3:DeleteObject*, s3:Abort*, s3:List*) on its "
        + "bucket and bucket/*, and kms:GenerateDataKey*/kms:ReEncrypt* on its own key. No other tenant's "
        + "resource is named, and rds-db:connect names its one database user.");
  }

}
