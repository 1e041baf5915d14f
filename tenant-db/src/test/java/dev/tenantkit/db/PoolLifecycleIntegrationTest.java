package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.core.WritableTenantCatalog;
import dev.tenantkit.db.TenantDbException.Reason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pools open on first use, are bounded and evicted least recently used first, and fail closed. */
class PoolLifecycleIntegrationTest {

  @BeforeAll
  static void startPostgres() {
    PgFixture.pg();
  }

  private static void use(TenantDataSource ds, Tenant t) throws SQLException {
    try (TenantScope s = TenantContext.open(t); Connection c = ds.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1")) {
      assertThat(rs.next()).isTrue();
    }
  }

  @Test
  void maxPools_evictsTheLeastRecentlyUsedIdlePool_andRefusesWhenAllAreBusy() throws Exception {
    Tenant acme = PgFixture.silo("acme");
    Tenant globex = PgFixture.silo("globex");
    Tenant initech = PgFixture.silo("initech");
    try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(TenantCatalog.inMemory(acme, globex, initech))
        .maxPools(2).build()) {
      use(ds, acme);
      use(ds, globex);
      assertThat(ds.livePools()).isEqualTo(2);
      use(ds, initech); // acme's pool is the oldest idle one
      assertThat(ds.livePools()).isEqualTo(2);
      assertThat(ds.stats(acme.id())).isEmpty();
      use(ds, acme); // opens again, evicting globex
      assertThat(ds.stats(acme.id()).orElseThrow().evictions()).isEqualTo(1);
      assertThat(ds.stats(globex.id())).isEmpty();

      // Both live pools busy: a third tenant is refused rather than exceeding the bound.
      try (Connection ca = TenantContext.call(acme, ds::getConnection);
          Connection ci = TenantContext.call(initech, ds::getConnection);
          TenantScope g = TenantContext.open(globex)) {
        assertThatThrownBy(ds::getConnection).isInstanceOfSatisfying(TenantDbException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.POOL_LIMIT);
          assertThat(e.getMessage()).contains("globex").contains("maxPools 2");
        });
      }
    }
  }

  @Test
  void maxPools_evictsByLastUse_notByAge() throws Exception {
    Tenant acme = PgFixture.silo("acme");
    Tenant globex = PgFixture.silo("globex");
    Tenant initech = PgFixture.silo("initech");
    try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)
        .catalog(TenantCatalog.inMemory(acme, globex, initech)).maxPools(2).build()) {
      use(ds, acme);
      use(ds, globex);
      // Recency is sampled by the housekeeper once a second (a borrow only sets a flag): let it
      // record both, then use acme again and let it record that. acme's pool is the older one,
      // but the more recently used.
      Thread.sleep(2_500);
      use(ds, acme);
      Thread.sleep(2_500);
      use(ds, initech);
      assertThat(ds.stats(globex.id())).as("the least recently used pool goes").isEmpty();
      assertThat(ds.stats(acme.id())).isPresent();
    }
  }

  @Test
  void idlePools_areClosedAfterTheIdleTimeout() throws Exception {
    Tenant acme = PgFixture.silo("acme");
    try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(TenantCatalog.inMemory(acme))
        .idlePoolTimeout(Duration.ofSeconds(1)).poolConnectionTimeout(Duration.ofSeconds(1)).build()) {
      use(ds, acme);
      assertThat(ds.livePools()).isEqualTo(1);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (ds.livePools() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(ds.livePools()).isZero();
      use(ds, acme); // and opens again on the next use
      assertThat(ds.stats(acme.id()).orElseThrow().evictions()).isEqualTo(1);
    }
  }

  @Test
  void aConnectionWhoseSessionTheDatabaseEnded_isDiscarded_andTheBorrowTakesAnother() throws Exception {
    Tenant acme = PgFixture.pooled("acme");
    try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(TenantCatalog.inMemory(acme))
        .sharedPoolSize(1).build()) {
      use(ds, acme);
      // Kill the pooled connection's backend behind the pool's back (a restart, a failover).
      // HikariCP skips its liveness check for recently used connections (the window is widened
      // for these tests), so the next borrow gets the dead connection: setting the tenant on it
      // fails with 57P01, before anything of the caller's ran, and the borrow takes another.
      String killed = PgFixture.pg().queryAsSuperuser("postgres", "SELECT string_agg(pid::text, ',') FROM "
          + "pg_stat_activity WHERE datname = 'pooled' AND application_name LIKE 'tenantkit-shared-%'");
      PgFixture.pg().executeAsSuperuser("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
          + "WHERE datname = 'pooled' AND application_name LIKE 'tenantkit-shared-%'");
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection();
          Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
              "SELECT pg_backend_pid(), current_setting('tenantkit.tenant_id')")) {
        assertThat(rs.next()).isTrue();
        assertThat(killed.split(",")).doesNotContain(rs.getString(1));
        assertThat(rs.getString(2)).isEqualTo("acme");
      }
      // The permit came back and the dead connection is gone.
      assertThat(ds.stats(acme.id()).orElseThrow().active()).isZero();
      use(ds, acme);
    }
  }


  @Test
  void closedDataSource_refusesWithReasonClosed() throws Exception {
    Tenant acme = PgFixture.silo("acme");
    TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(TenantCatalog.inMemory(acme)).build();
    use(ds, acme);
    ds.close();
    assertThat(ds.livePools()).isZero();
    try (TenantScope s = TenantContext.open(acme)) {
      assertThatThrownBy(ds::getConnection).isInstanceOfSatisfying(TenantDbException.class,
          e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
    }
  }

  @Test
  void siloTenantUpdatedThenRemovedAndAddedAgain_getsNewConnections_notTheEarlierRecordsSessions() throws Exception {
    Tenant acme = PgFixture.silo("acme");
    WritableTenantCatalog catalog = TenantCatalog.inMemory(acme);
    try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(catalog)
        .defaultPoolSettings(new PoolSettings(1, 0, java.time.Duration.ofSeconds(10))).build()) {
      int before;
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection();
          java.sql.Statement st = c.createStatement()) {
        st.execute("SELECT set_config('app.left', 'behind', false)"); // silo borrows are not reset by default
        try (java.sql.ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
          rs.next();
          before = rs.getInt(1);
        }
      }
      // An update that keeps the database keeps the pool (the route is rebuilt on next use) ...
      catalog.put(acme.toBuilder().tier("premium").build());
      // ... then the tenant goes before its next request, and a record of the same id and database comes.
      catalog.remove(acme.id());
      catalog.put(acme);
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection();
          java.sql.Statement st = c.createStatement();
          java.sql.ResultSet rs = st.executeQuery(
              "SELECT pg_backend_pid(), coalesce(current_setting('app.left', true), '')")) {
        rs.next();
        assertThat(rs.getInt(1)).as("a new connection").isNotEqualTo(before);
        assertThat(rs.getString(2)).as("nothing the earlier record's requests left").isEmpty();
      }
      assertThat(ds.livePools()).isEqualTo(1);
    }
  }

  @Test
  void tierChange_resizesTheTenantsShare_withoutANewPool() throws Exception {
    Tenant acme = PgFixture.pooled("acme");
    WritableTenantCatalog catalog = TenantCatalog.inMemory(acme);
    try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(catalog)
        .tier("premium", PoolSettings.ofMaxConnections(8)).build()) {
      use(ds, acme);
      assertThat(ds.stats(acme.id()).orElseThrow().maxConnections()).isEqualTo(PoolSettings.DEFAULT.maxConnections());
      Tenant upgraded = acme.toBuilder().tier("premium").build();
      catalog.put(upgraded);
      use(ds, upgraded);
      assertThat(ds.stats(acme.id()).orElseThrow().maxConnections()).isEqualTo(8);
      assertThat(ds.livePools()).isEqualTo(1);
    }
  }
}
