package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.db.TenantDbException.Reason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The borrowed connection's walls on a real PostgreSQL, each small and fast (the load and
 * restart tests cover the same walls at scale): the shared pool's per-tenant bulkhead, the
 * permit given back when a borrow fails, schema switches per mode, and the per-borrow reset
 * on one physical connection many times over.
 */
class BorrowedConnectionIntegrationTest {

  @BeforeAll
  static void setUp() {
    PgFixture.pg().executeAsSuperuser("postgres",
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'borrow_bypass') THEN "
            + "CREATE ROLE borrow_bypass LOGIN BYPASSRLS PASSWORD '" + PgFixture.APP_PASSWORD + "'; "
            + "END IF; END $$");
  }

  private static TenantDataSource.Builder builder(Tenant... tenants) {
    return TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(TenantCatalog.inMemory(tenants));
  }

  private static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void sharedPool_aTenantAtItsLimit_isRefusedSaturated_whileAnotherIsServed_andServedOnceOneReturns() throws Exception {
    Tenant acme = PgFixture.bridge("acme");
    Tenant globex = PgFixture.bridge("globex");
    try (TenantDataSource ds = builder(acme, globex).sharedPoolSize(4)
        .defaultPoolSettings(PoolSettings.ofMaxConnections(1).withWaitTimeout(Duration.ofMillis(250))).build()) {
      Connection held;
      try (TenantScope s = TenantContext.open(acme)) {
        held = ds.getConnection();
        TenantDbException e = catchThrowableOfType(TenantDbException.class, ds::getConnection);
        assertThat(e.reason()).isEqualTo(Reason.TENANT_SATURATED);
        assertThat(e.getMessage()).contains("tenant acme uses all its 1 connections")
            .contains("none came free within 250 ms");
      }
      assertThat(ds.stats(acme.id()).orElseThrow().saturations()).isEqualTo(1);
      // The shared pool has room: the neighbour is served while acme is at its limit.
      try (TenantScope s = TenantContext.open(globex); Connection c = ds.getConnection()) {
        assertThat(one(c, "SELECT current_schema()")).isEqualTo("globex");
      }
      held.close();
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
        assertThat(one(c, "SELECT current_schema()")).isEqualTo("acme");
      }
      assertThat(ds.stats(acme.id()).orElseThrow().saturations()).isEqualTo(1);
      assertThat(ds.stats(globex.id()).orElseThrow().saturations()).isZero();
    }
  }

  @Test
  void connection_usedInAnotherTenantsScopeOrAfterItsOwn_refused_soAThreadBoundConnectionCannotCarryATenant()
      throws Exception {
    Tenant acme = PgFixture.bridge("acme");
    Tenant globex = PgFixture.bridge("globex");
    try (TenantDataSource ds = builder(acme, globex).build()) {
      try (TenantScope a = TenantContext.open(acme); Connection c = ds.getConnection()) {
        assertThat(one(c, "SELECT current_schema()")).isEqualTo("acme");
        // What a transaction bound to the thread would meet if control-plane code switched
        // tenants inside it (a plain nested open of another tenant is refused by TenantContext).
        try (TenantScope g = TenantContext.openCrossTenant(globex, "test: a connection bound across scopes")) {
          for (org.assertj.core.api.ThrowableAssert.ThrowingCallable use : java.util.List.<
              org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(c::createStatement,
              () -> c.prepareStatement("SELECT 1"), () -> c.prepareCall("SELECT 1"), () -> c.nativeSQL("SELECT 1"),
              () -> c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY),
              () -> c.prepareStatement("SELECT 1", Statement.RETURN_GENERATED_KEYS))) {
            assertThatThrownBy(use).isInstanceOfSatisfying(TenantDbException.class, e -> {
              assertThat(e.reason()).isEqualTo(Reason.WRONG_SCOPE);
              assertThat(e.getSQLState()).isEqualTo("TK012");
              assertThat(e.getMessage()).contains("tenant acme").contains("scope of tenant globex");
            });
          }
        }
        // Back in acme's scope, the same connection serves acme.
        assertThat(one(c, "SELECT current_schema()")).isEqualTo("acme");
      }
      Connection leaked;
      try (TenantScope a = TenantContext.open(acme)) {
        leaked = ds.getConnection();
      }
      assertThatThrownBy(leaked::createStatement).isInstanceOfSatisfying(TenantDbException.class,
          e -> assertThat(e.getMessage()).contains("outside any tenant's scope"));
      leaked.close();
    }
  }

  @Test
  void sharedPool_aBorrowerInterruptedWhileWaiting_isRefused_andKeepsItsInterrupt() throws Exception {
    Tenant acme = PgFixture.bridge("acme");
    try (TenantDataSource ds = builder(acme, PgFixture.bridge("globex")).sharedPoolSize(4)
        .defaultPoolSettings(PoolSettings.ofMaxConnections(1).withWaitTimeout(Duration.ofMinutes(1))).build()) {
      Connection held = TenantContext.call(acme, ds::getConnection);
      try {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
          try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
            outcome.complete("served");
          } catch (TenantDbException e) {
            outcome.complete(e.reason() + " " + Thread.currentThread().isInterrupted() + " " + e.getMessage());
          } catch (SQLException e) {
            outcome.completeExceptionally(e);
          }
        });
        waiter.start();
        while (ds.stats(acme.id()).orElseThrow().waiting() < 1) {
          Thread.sleep(5);
        }
        waiter.interrupt();
        assertThat(outcome.get(30, TimeUnit.SECONDS)).startsWith("TENANT_SATURATED true")
            .contains("interrupted while waiting for a connection for tenant acme");
      } finally {
        held.close();
      }
    }
  }

  @Test
  void aConnectionBrokenByItsBorrower_isThrownAwayOnReturn_andTheNextBorrowIsServed() throws Exception {
    Tenant acme = PgFixture.silo("acme");
    try (TenantDataSource ds = builder(acme)
        .defaultPoolSettings(PoolSettings.ofMaxConnections(1).withWaitTimeout(Duration.ofSeconds(5))).build();
        TenantScope s = TenantContext.open(acme)) {
      Connection c = ds.getConnection();
      c.setAutoCommit(false); // the return then has a transaction to end, on a dead connection
      String pid = one(c, "SELECT pg_backend_pid()");
      PgFixture.pg().executeAsSuperuser("postgres", "SELECT pg_terminate_backend(" + pid + ")");
      c.close();
      // A kept dead connection would hold the tenant's only slot: this borrow would time out.
      try (Connection next = ds.getConnection()) {
        assertThat(one(next, "SELECT current_database()")).isEqualTo("silo_acme");
        assertThat(next.getAutoCommit()).isTrue();
      }
    }
  }

  @Test
  void siloPool_aTenantAtItsLimit_isRefusedSaturated_andServedOnceOneReturns() throws Exception {
    Tenant acme = PgFixture.silo("acme");
    try (TenantDataSource ds = builder(acme)
        .defaultPoolSettings(PoolSettings.ofMaxConnections(1).withWaitTimeout(Duration.ofMillis(250))).build();
        TenantScope s = TenantContext.open(acme)) {
      Connection held = ds.getConnection();
      TenantDbException e = catchThrowableOfType(TenantDbException.class, ds::getConnection);
      assertThat(e.reason()).isEqualTo(Reason.TENANT_SATURATED);
      assertThat(e.getMessage()).contains("tenant acme uses all its 1 connections");
      assertThat(ds.stats(acme.id()).orElseThrow().saturations()).isEqualTo(1);
      held.close();
      try (Connection c = ds.getConnection()) {
        assertThat(one(c, "SELECT current_database()")).isEqualTo("silo_acme");
      }
    }
  }

  @Test
  void sharedPool_aRefusedBorrow_givesItsPermitBack_andTheRefusalRepeatsOnAnotherThread() throws Exception {
    Tenant acme = PgFixture.tenant("acme", PgFixture.db(IsolationMode.POOL, "pooled", "borrow_bypass").build());
    try (TenantDataSource ds = builder(acme)
        .defaultPoolSettings(PoolSettings.ofMaxConnections(1).withWaitTimeout(Duration.ofMillis(250))).build()) {
      for (int attempt = 0; attempt < 2; attempt++) {
        // Each attempt on its own thread: a lock the first refusal left held would block the
        // second; a permit it kept would turn the second into TENANT_SATURATED.
        Reason reason = CompletableFuture.supplyAsync(() -> {
          try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
            return null;
          } catch (TenantDbException e) {
            return e.reason();
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        }).get(30, TimeUnit.SECONDS);
        assertThat(reason).as("attempt " + attempt).isEqualTo(Reason.ROLE_BYPASSES_RLS);
        // The refused connection was thrown away, not left lent out to nobody.
        TenantPoolStats stats = ds.stats(acme.id()).orElseThrow();
        assertThat(stats.active()).as("attempt " + attempt).isZero();
        assertThat(stats.total() - stats.idle()).as("attempt " + attempt + ": physical connections in use").isZero();
      }
      assertThat(ds.stats(acme.id()).orElseThrow().saturations()).isZero();
    }
  }

  @Test
  void poolMode_setSchema_isRefused_andTheSessionStaysOnTheSharedTables() throws Exception {
    Tenant acme = PgFixture.pooled("acme");
    try (TenantDataSource ds = builder(acme).build(); TenantScope s = TenantContext.open(acme);
        Connection c = ds.getConnection()) {
      String before = one(c, "SELECT current_schema()");
      assertThatThrownBy(() -> c.setSchema("public")).isInstanceOf(TenantDbException.class)
          .hasMessageContaining("tenant acme is on shared tables; setSchema is refused");
      assertThat(one(c, "SELECT current_schema()")).isEqualTo(before);
    }
  }

  @Test
  void siloAndPostgresBridge_catalogAndOwnSchema_areTheDriversToHandle() throws Exception {
    Tenant acme = PgFixture.silo("acme");
    try (TenantDataSource ds = builder(acme).build(); TenantScope s = TenantContext.open(acme);
        Connection c = ds.getConnection()) {
      // A silo tenant's database is its own: any schema in it is its own too.
      c.setSchema("pg_catalog");
      assertThat(one(c, "SELECT current_schema()")).isEqualTo("pg_catalog");
      c.setCatalog("silo_globex"); // pgjdbc ignores setCatalog: no way to another database
      assertThat(one(c, "SELECT current_database()")).isEqualTo("silo_acme");
    }
    Tenant bridge = PgFixture.bridge("acme");
    try (TenantDataSource ds = builder(bridge).build(); TenantScope s = TenantContext.open(bridge);
        Connection c = ds.getConnection()) {
      c.setCatalog("anything");
      assertThat(one(c, "SELECT current_schema()")).isEqualTo("acme");
    }
  }

  @Test
  void onePhysicalConnection_borrowedManyTimesOver_isResetEveryTime() throws Exception {
    // The reset runs as one prepared statement per borrow; past the driver's prepare threshold
    // (5) a named server-side statement would be dropped by the DISCARD ALL inside it.
    Tenant acme = PgFixture.pooled("acme");
    Tenant globex = PgFixture.pooled("globex");
    try (TenantDataSource ds = builder(acme, globex).sharedPoolSize(1).build()) {
      for (int i = 0; i < 24; i++) {
        Tenant t = i % 3 == 0 ? globex : acme;
        try (TenantScope s = TenantContext.open(t); Connection c = ds.getConnection()) {
          assertThat(one(c, "SELECT current_setting('tenantkit.tenant_id')")).as("borrow " + i)
              .isEqualTo(t.id().value());
          assertThat(one(c, "SELECT count(*) FILTER (WHERE tenant_id <> '" + t.id().value() + "') || '/' || count(*) "
              + "FROM notes")).as("borrow " + i + ": other tenants' rows / all rows seen").startsWith("0/")
              .isNotEqualTo("0/0");
        }
      }
      assertThat(ds.stats(acme.id()).orElseThrow().total()).isEqualTo(1);
    }
  }
}
