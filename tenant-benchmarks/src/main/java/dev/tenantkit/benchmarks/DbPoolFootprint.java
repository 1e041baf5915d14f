package dev.tenantkit.benchmarks;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TlsMode;
import dev.tenantkit.testkit.LocalPostgres;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap and threads for many silo tenants with idle pools, bounded by {@code maxPools}: every
 * tenant borrows and returns one connection, in turn, then the process is measured after GC.
 * Not a JMH benchmark (it measures a steady state, not a rate). Run:
 * {@code java -cp tenant-benchmarks/target/benchmarks.jar dev.tenantkit.benchmarks.DbPoolFootprint [tenants] [maxPools]}.
 */
public final class DbPoolFootprint {
  private DbPoolFootprint() {}

  public static void main(String[] args) throws Exception {
    int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int maxPools = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    try (LocalPostgres pg = LocalPostgres.start()) {
      pg.createRole("app", "footprint");
      List<Tenant> all = new ArrayList<>();
      for (int i = 0; i < tenants; i++) {
        // Every tenant is a silo tenant: a database, a role and a pool of its own (the catalog
        // refuses silo tenants that share a database or a user).
        String name = String.format("tenant_%04d", i);
        pg.createRole(name, "footprint");
        pg.createDatabase(name, name);
        all.add(Tenant.builder().id(String.format("tenant-%04d", i)).tier("standard").status(TenantStatus.ACTIVE)
            .database(DatabaseConfig.builder().isolation(IsolationMode.SILO).host(pg.host()).port(pg.port())
                .database(name).user(name).credentials(CredentialsSource.STATIC).password("footprint").build())
            .build());
      }
      TenantCatalog catalog = TenantCatalog.inMemory(all);
      long heap0 = usedHeapAfterGc();
      int threads0 = Thread.activeCount();
      try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(catalog).maxPools(maxPools).build()) {
        for (Tenant t : all) {
          try (TenantScope s = TenantContext.open(t); Connection c = ds.getConnection()) {
            c.isValid(1);
          }
        }
        Thread.sleep(6_000); // let HikariCP's connection-adder threads time out (5 s keep-alive)
        long heap1 = usedHeapAfterGc();
        int threads1 = Thread.activeCount();
        String connections = pg.queryAsSuperuser("postgres",
            "SELECT count(*) FROM pg_stat_activity WHERE usename LIKE 'tenant\\_%'");
        long delta = heap1 - heap0;
        System.out.printf("tenants=%d maxPools=%d livePools=%d serverConnections=%s%n", tenants, maxPools,
            ds.livePools(), connections);
        System.out.printf("heap: +%,d bytes in all, %,d bytes per tenant served, %,d bytes per live pool%n",
            delta, delta / tenants, delta / Math.max(1, ds.livePools()));
        System.out.printf("threads: %d before, %d after (+%d)%n", threads0, threads1, threads1 - threads0);
      }
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
