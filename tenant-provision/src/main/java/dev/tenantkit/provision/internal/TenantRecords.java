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
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Merges a deployed stack's outputs into the tenant record the other modules serve from. The
 * record is merged, never rebuilt: what the stack owns is overwritten from its outputs (and
 * cleared when an output is gone), everything else in the record stays as the operator left it.
 *
 * <table>
 *   <caption>What the stack owns</caption>
 *   <tr><th>section</th><th>owned by the stack</th><th>kept from the record</th></tr>
 *   <tr><td>identity</td><td>issuer, user pool id, Region, the stack's app client id (the previous
 *       stack client's id is replaced), the {@code Okta} SAML federation when the spec has it</td>
 *       <td>other app client ids, {@code jwksUri}, tenant claim, shared-issuer flag, another
 *       federation, any field added later</td></tr>
 *   <tr><td>storage</td><td>layout BUCKET, bucket, Region, KMS key (cleared on SSE-S3 tiers)</td>
 *       <td>role ARN, access point, any field added later</td></tr>
 *   <tr><td>database</td><td>engine PostgreSQL, isolation SILO, host, port, database, user,
 *       credentials IAM (no password), Region</td><td>schema, secret ARN, any field added later</td></tr>
 *   <tr><td>stack</td><td>everything (name, Region, ALB DNS name, outputs)</td><td>-</td></tr>
 * </table>
 */
public final class TenantRecords {
  /** The provider name the stack gives the Okta SAML identity provider. */
  static final String OKTA = "Okta";

  private TenantRecords() {}

  /** {@code base} with the stack's outputs merged in, tier from the spec, status ACTIVE, no reason. */
  public static Tenant active(Tenant base, TenantStackSpec spec, Map<String, String> outputs) {
    return base.toBuilder().tier(spec.tier().name()).status(TenantStatus.ACTIVE).statusReason(null)
        .identity(identity(base, spec, outputs)).storage(storage(base, spec, outputs))
        .database(database(base, spec, outputs)).stack(stack(base, spec, outputs)).build();
  }

  private static IdentityConfig identity(Tenant base, TenantStackSpec spec, Map<String, String> outputs) {
    IdentityConfig.Builder b = base.identity().map(IdentityConfig::toBuilder).orElseGet(IdentityConfig::builder);
    String issuer = required(outputs, StackOutputs.ISSUER);
    boolean sameIssuer = base.identity().map(i -> i.issuer().toString().equals(issuer)).orElse(false);
    if (!sameIssuer) {
      // What the operator said of the old issuer (where its keys are, that any of its clients
      // may call, that it is shared) does not carry over to a new one.
      b.jwksUri(null).anyClient(false).sharedIssuer(false).audience(null);
    }
    boolean anyClient = sameIssuer && base.identity().map(IdentityConfig::anyClient).orElse(false);
    Set<String> clients = new LinkedHashSet<>(sameIssuer
        ? base.identity().map(IdentityConfig::appClientIds).orElse(Set.of()) : Set.of());
    String previousStackClient = base.stack().map(s -> s.outputs().get(StackOutputs.USER_POOL_CLIENT_ID)).orElse(null);
    if (previousStackClient != null) {
      clients.remove(previousStackClient); // the stack's own client, replaced by the one it has now
    }
    if (!anyClient) {
      // An operator's anyClient already accepts the stack's client; listing it too is refused.
      clients.add(required(outputs, StackOutputs.USER_POOL_CLIENT_ID));
    }
    b.issuer(issuer)
        .userPoolId(required(outputs, StackOutputs.USER_POOL_ID))
        .region(spec.region())
        .appClientIds(clients);
    IdentityConfig.@Nullable Federation federation = base.identity().map(IdentityConfig::federation).orElse(null);
    if (spec.oktaMetadataUrl().isPresent() || spec.oktaMetadataXml().isPresent()) {
      b.federation(new IdentityConfig.Federation(OKTA, IdentityConfig.ProviderType.SAML,
          spec.oktaMetadataUrl().map(URI::create).orElse(null)));
    } else if (federation != null && isStacks(federation)) {
      b.federation(null); // the stack no longer federates Okta
    }
    return b.build();
  }

  private static boolean isStacks(IdentityConfig.Federation f) {
    return OKTA.equals(f.providerName()) && f.providerType() == IdentityConfig.ProviderType.SAML;
  }

  private static StorageConfig storage(Tenant base, TenantStackSpec spec, Map<String, String> outputs) {
    StorageConfig.Builder b = base.storage().map(StorageConfig::toBuilder).orElseGet(StorageConfig::builder);
    return b.layout(StorageConfig.StorageLayout.BUCKET).prefix(null)
        .bucket(required(outputs, StackOutputs.BUCKET_NAME)).region(spec.region())
        .kmsKeyArn(outputs.get(StackOutputs.KMS_KEY_ARN)).build();
  }

  private static DatabaseConfig database(Tenant base, TenantStackSpec spec, Map<String, String> outputs) {
    DatabaseConfig.Builder b = base.database().map(DatabaseConfig::toBuilder).orElseGet(DatabaseConfig::builder);
    return b.engine(DatabaseConfig.DatabaseEngine.POSTGRESQL).isolation(DatabaseConfig.IsolationMode.SILO)
        .host(required(outputs, StackOutputs.DATABASE_ENDPOINT))
        .port(parsePort(required(outputs, StackOutputs.DATABASE_PORT)))
        .database(required(outputs, StackOutputs.DATABASE_NAME))
        .user(required(outputs, StackOutputs.DATABASE_USER))
        .credentials(DatabaseConfig.CredentialsSource.IAM)
        .password(null)
        .region(spec.region())
        .build();
  }

  private static StackConfig stack(Tenant base, TenantStackSpec spec, Map<String, String> outputs) {
    StackConfig.Builder b = base.stack().map(StackConfig::toBuilder).orElseGet(StackConfig::builder);
    return b.name(spec.stackName()).region(spec.region()).albDnsName(outputs.get(StackOutputs.ALB_DNS_NAME))
        .outputs(outputs).build();
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
