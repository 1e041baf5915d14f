package dev.tenantkit.db.internal;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What makes two tenants share a physical pool: the same server, database, user and credentials
 * source, in a shared isolation mode (bridge or pool). A silo tenant's key carries its id, so
 * its pool is always its own. Never printed with the password.
 */
record PoolKey(
    @Nullable TenantId siloTenant,
    IsolationMode mode,
    DatabaseConfig.DatabaseEngine engine,
    String host,
    int port,
    String database,
    String user,
    DatabaseConfig.CredentialsSource credentials,
    @Nullable String secretArn,
    @Nullable String region,
    @Nullable String password) {

  static PoolKey of(Tenant tenant, DatabaseConfig db) {
    // Bridge and pool tenants on one server, database and user share a pool; bridge and pool
    // tenants do not share one with each other (their reset differs).
    TenantId silo = db.isolation() == IsolationMode.SILO ? tenant.id() : null;
    return new PoolKey(silo, db.isolation(), db.engine(), db.host(), db.port(), db.database(), db.user(),
        db.credentials(), db.secretArn(), db.region(), db.password());
  }

  boolean shared() {
    return siloTenant == null;
  }

  // equals and hashCode written out rather than the record's generated ones: those link through
  // an invokedynamic bootstrap (ObjectMethods) on first use, about 10 ms of a Lambda cold start
  // (profiled, docs/benchmarks.md), and a first request builds a pool key. Same fields, same meaning.
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PoolKey k && port == k.port && mode == k.mode && engine == k.engine
        && credentials == k.credentials && Objects.equals(siloTenant, k.siloTenant) && host.equals(k.host)
        && database.equals(k.database) && user.equals(k.user) && Objects.equals(secretArn, k.secretArn)
        && Objects.equals(region, k.region) && Objects.equals(password, k.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(siloTenant, mode, engine, host, port, database, user, credentials, secretArn, region, password);
  }

  @Override
  public String toString() {
    return (siloTenant == null ? "shared " + mode : "silo " + siloTenant) + " " + user + "@" + host + ":" + port
        + "/" + database;
  }
}
