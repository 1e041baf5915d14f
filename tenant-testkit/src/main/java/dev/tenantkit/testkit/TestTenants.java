package dev.tenantkit.testkit;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.core.WritableTenantCatalog;
import java.util.ArrayList;
import java.util.List;

/**
 * Short builders for tenant records and catalogs in tests. Every builder returns the core
 * {@link Tenant.Builder}, so any field can still be changed.
 *
 * <pre>{@code
 * WritableTenantCatalog catalog = TestTenants.catalog(
 *     TestTenants.silo("acme").build(),
 *     TestTenants.pooled("globex").status(TenantStatus.SUSPENDED).build());
 * }</pre>
 */
public final class TestTenants {
  /** The Region test records use. */
  public static final String REGION = "eu-west-1";
  /** The shared bucket pooled test tenants use. */
  public static final String SHARED_BUCKET = "tenantkit-shared";

  private TestTenants() {}

  /** An ACTIVE tenant of tier {@code standard}, with no sections. */
  public static Tenant.Builder tenant(String id) {
    return Tenant.builder().id(id).tier("standard").status(TenantStatus.ACTIVE);
  }

  /**
   * A silo tenant: its own user pool, bucket, database and database user ({@code <id>_app},
   * static credentials), on localhost.
   * Point the sections at your stand-ins with {@code toBuilder()} where a test needs real ones.
   */
  public static Tenant.Builder silo(String id) {
    return tenant(id).tier("premium")
        .identity(IdentityConfig.builder().userPoolId(REGION + "_" + id.replace("-", "")).region(REGION)
            .appClientIds("client" + id.replace("-", "")).build())
        .storage(StorageConfig.builder().layout(StorageConfig.StorageLayout.BUCKET)
            .bucket("tenantkit-" + id).region(REGION).build())
        .database(DatabaseConfig.builder().isolation(DatabaseConfig.IsolationMode.SILO)
            .host("localhost").database(id.replace('-', '_')).user(id.replace('-', '_') + "_app")
            .credentials(DatabaseConfig.CredentialsSource.STATIC).password("test").build());
  }

  /**
   * A pooled tenant: a shared user pool with a tenant claim, a prefix of a shared bucket, and
   * shared tables under row-level security.
   */
  public static Tenant.Builder pooled(String id) {
    return tenant(id).tier("basic")
        .identity(IdentityConfig.builder().userPoolId(REGION + "_Shared").region(REGION)
            .appClientIds("clientshared").sharedIssuer(true).build())
        .storage(StorageConfig.builder().layout(StorageConfig.StorageLayout.PREFIX)
            .bucket(SHARED_BUCKET).prefix("tenants/" + id + "/").region(REGION).build())
        .database(DatabaseConfig.builder().isolation(DatabaseConfig.IsolationMode.POOL)
            .host("localhost").database("shared").user("app")
            .credentials(DatabaseConfig.CredentialsSource.STATIC).password("test").build());
  }

  /** {@code count} ACTIVE tenants {@code tenant-0 .. tenant-(count-1)}, tiers alternating. */
  public static List<Tenant> many(int count) {
    if (count < 0 || count > 100_000) {
      throw new IllegalArgumentException("count must be between 0 and 100000, was " + count);
    }
    List<Tenant> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(tenant("tenant-" + i).tier(i % 2 == 0 ? "basic" : "premium").build());
    }
    return out;
  }

  /** A writable in-memory catalog of {@code tenants}. */
  public static WritableTenantCatalog catalog(Tenant... tenants) {
    return TenantCatalog.inMemory(tenants);
  }

  /** A writable in-memory catalog of {@code tenants}. */
  public static WritableTenantCatalog catalog(List<Tenant> tenants) {
    return TenantCatalog.inMemory(tenants);
  }

  /** The id {@code value}, for brevity. */
  public static TenantId id(String value) {
    return TenantId.of(value);
  }
}
