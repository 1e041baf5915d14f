package dev.tenantkit.provision.internal;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.StackConfig;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.provision.StackOutputs;
import dev.tenantkit.provision.TenantStackSpec;
import java.net.URI;
import java.util.Map;

/** Turns a deployed stack's outputs into the tenant record the other modules serve from. */
public final class TenantRecords {
  private TenantRecords() {}

  public static Tenant active(Tenant base, TenantStackSpec spec, Map<String, String> outputs) {
    IdentityConfig.Builder identity = IdentityConfig.builder()
        .issuer(required(outputs, StackOutputs.ISSUER))
        .userPoolId(required(outputs, StackOutputs.USER_POOL_ID))
        .region(spec.region())
        .appClientIds(required(outputs, StackOutputs.USER_POOL_CLIENT_ID));
    if (spec.oktaMetadataUrl().isPresent() || spec.oktaMetadataXml().isPresent()) {
      identity.federation(new IdentityConfig.Federation("Okta", IdentityConfig.ProviderType.SAML,
          spec.oktaMetadataUrl().map(URI::create).orElse(null)));
    }
    StorageConfig storage = StorageConfig.builder().layout(StorageConfig.StorageLayout.BUCKET)
        .bucket(required(outputs, StackOutputs.BUCKET_NAME)).region(spec.region())
        .kmsKeyArn(outputs.get(StackOutputs.KMS_KEY_ARN)).build();
    String port = required(outputs, StackOutputs.DATABASE_PORT);
    DatabaseConfig database = DatabaseConfig.builder().isolation(DatabaseConfig.IsolationMode.SILO)
        .host(required(outputs, StackOutputs.DATABASE_ENDPOINT))
        .port(parsePort(port))
        .database(required(outputs, StackOutputs.DATABASE_NAME))
        .user(required(outputs, StackOutputs.DATABASE_USER))
        .credentials(DatabaseConfig.CredentialsSource.IAM)
        .region(spec.region())
        .build();
    StackConfig stack = StackConfig.builder().name(spec.stackName()).region(spec.region())
        .albDnsName(outputs.get(StackOutputs.ALB_DNS_NAME)).outputs(outputs).build();
    return base.toBuilder().tier(spec.tier().name()).status(TenantStatus.ACTIVE).statusReason(null)
        .identity(identity.build()).storage(storage).database(database).stack(stack).build();
  }

  private static String required(Map<String, String> outputs, String name) {
    String value = outputs.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("the stack has no output " + name + "; was it made by this TenantKit version?");
    }
    return value;
  }

  private static int parsePort(String port) {
    try {
      return Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("output " + StackOutputs.DATABASE_PORT + " is not a port number");
    }
  }
}
