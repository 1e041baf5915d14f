package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever one borrower leaves in its session, the next borrower of the same physical connection
 * (another tenant on a shared pool, the same tenant on a silo pool) starts clean: each kind of
 * session state, in each isolation mode, on a real PostgreSQL. Pools of one connection make the
 * second borrow reuse the first one's backend, which each case checks.
 */
class SessionResetIntegrationTest {

  /** One kind of state a borrower can leave behind: how to plant it, and how to see it. */
  enum Leftover {
    TEMP_TABLE_SHADOWING_NOTES(
        "CREATE TEMP TABLE notes AS SELECT 1000 + g AS id, 'planted' AS body FROM generate_series(1, 99) g",
        "SELECT to_regclass('pg_temp.notes') IS NULL AND (SELECT count(*) FROM notes WHERE body = 'planted') = 0"),
    SET_ROLE("SET ROLE app_helper", "SELECT current_user = session_user"),
    SET_SETTING("SET work_mem = '77MB'", "SELECT current_setting('work_mem') <> '77MB'"),
    SET_CONFIG_CUSTOM("SELECT set_config('app.current_user_id', 'planted', false)",
        "SELECT coalesce(current_setting('app.current_user_id', true), '') = ''"),
    SEARCH_PATH("SET search_path = pg_catalog", null),
    PREPARED_STATEMENT("PREPARE planted AS SELECT body FROM notes",
        "SELECT count(*) = 0 FROM pg_prepared_statements WHERE name = 'planted'"),
    LISTEN("LISTEN planted_channel", "SELECT count(*) = 0 FROM pg_listening_channels()"),
    ADVISORY_LOCK("SELECT pg_advisory_lock(4242)",
        "SELECT count(*) = 0 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"),
    HELD_CURSOR("DECLARE planted_cursor CURSOR WITH HOLD FOR SELECT body FROM notes",
        "SELECT count(*) = 0 FROM pg_cursors WHERE name = 'planted_cursor'"),
    SEQUENCE_STATE("SELECT nextval('notes_id_seq')", null);

    final String plant;
    final String clean;

    Leftover(String plant, String clean) {
      this.plant = plant;
      this.clean = clean;
    }
  }

  @BeforeAll
  static void setUp() {
    var pg = PgFixture.pg();
    for (String db : List.of("silo_acme", "bridge", "pooled")) {
      pg.executeAsSuperuser(db, "GRANT USAGE ON SCHEMA public TO app_helper");
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (IsolationMode mode : IsolationMode.values()) {
      for (Leftover l : Leftover.values()) {
        all.add(Arguments.of(mode, l));
      }
    }
    return all.stream();
  }

  private static Tenant tenant(IsolationMode mode, String id) {
    switch (mode) {
      case SILO:
        return PgFixture.silo(id);
      case BRIDGE:
        return PgFixture.bridge(id);
      default:
        return PgFixture.pooled(id);
    }
  }

  /** Pools of one connection, silo borrows reset too ({@link SessionReset#EVERY_BORROW}). */
  private static TenantDataSource oneConnection(Tenant... tenants) {
    return oneConnectionWith(SessionReset.EVERY_BORROW, tenants);
  }

  private static TenantDataSource oneConnectionWith(@org.jspecify.annotations.Nullable SessionReset reset,
      Tenant... tenants) {
    TenantDataSource.Builder b = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)
        .catalog(TenantCatalog.inMemory(Stream.of(tenants).distinct().toList()))
        .sharedPoolSize(1).defaultPoolSettings(new PoolSettings(1, 0, Duration.ofSeconds(10)));
    if (reset != null) { // null: the builder's default
      b.sessionReset(reset);
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void leftover_fromOneBorrow_neverReachesTheNextBorrowerOfTheConnection(IsolationMode mode, Leftover leftover)
      throws Exception {
    Tenant first = tenant(mode, "acme");
    // On a shared pool the next borrower is another tenant; a silo pool is the tenant's own.
    Tenant next = mode == IsolationMode.SILO ? first : tenant(mode, "globex");
    try (TenantDataSource ds = oneConnection(first, next)) {
      int backend;
      try (TenantScope s = TenantContext.open(first); Connection c = ds.getConnection()) {
        backend = backendPid(c);
        try (Statement st = c.createStatement()) {
          st.execute(leftover == Leftover.SEQUENCE_STATE && mode == IsolationMode.BRIDGE
              ? "SELECT nextval('acme.notes_id_seq')" : leftover.plant);
        }
      }
      try (TenantScope s = TenantContext.open(next); Connection c = ds.getConnection()) {
        assertThat(backendPid(c)).as("the second borrow reuses the first one's connection").isEqualTo(backend);
        assertClean(c, mode, leftover, next);
        assertThat(ownRows(c, mode)).as("rows the next borrower sees").isEqualTo(expectedRows(mode, next));
      }
    }
  }

  private static void assertClean(Connection c, IsolationMode mode, Leftover leftover, Tenant next)
      throws SQLException {
    switch (leftover) {
      case SEARCH_PATH:
        assertThat(one(c, "SELECT current_setting('search_path')"))
            .isEqualTo(mode == IsolationMode.BRIDGE ? "\"" + next.id() + "\"" : "\"$user\", public");
        break;
      case SEQUENCE_STATE:
        // lastval() would tell this borrower the last id another tenant drew.
        assertThatThrownBy(() -> one(c, "SELECT lastval()")).isInstanceOf(SQLException.class)
            .hasMessageContaining("lastval is not yet defined");
        break;
      case PREPARED_STATEMENT:
        // A shared pool drops every prepared statement (another tenant's would run in this
        // session); a silo pool keeps them, the driver's included (its own tenant's only).
        assertThat(one(c, leftover.clean)).as(leftover.clean).isEqualTo(mode == IsolationMode.SILO ? "f" : "t");
        break;
      default:
        assertThat(one(c, leftover.clean)).as(leftover.clean).isEqualTo("t");
    }
  }

  private static int ownRows(Connection c, IsolationMode mode) throws SQLException {
    return Integer.parseInt(one(c, "SELECT count(*) FROM notes"));
  }

  private static int expectedRows(IsolationMode mode, Tenant t) {
    return mode == IsolationMode.POOL ? PgFixture.pooledRowsOf(t.id().value()) : 1;
  }

  @Test
  void preparedStatementsOfTheApplication_keepWorkingAcrossResets() throws Exception {
    Tenant acme = PgFixture.pooled("acme");
    Tenant globex = PgFixture.pooled("globex");
    try (TenantDataSource ds = oneConnection(acme, globex)) {
      // The driver prepares a statement on the server after a few uses; each borrow's DISCARD
      // ALL drops it there, and the driver must notice rather than fail with "does not exist".
      for (int borrow = 0; borrow < 20; borrow++) {
        Tenant t = borrow % 2 == 0 ? acme : globex;
        try (TenantScope s = TenantContext.open(t); Connection c = ds.getConnection()) {
          for (int use = 0; use < 8; use++) {
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM notes WHERE body LIKE ?")) {
              p.setString(1, "pooled note%");
              try (ResultSet rs = p.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(PgFixture.pooledRowsOf(t.id().value()));
              }
            }
          }
        }
      }
    }
  }

  @Test
  void siloPool_keepsTheDriversServerSidePreparedStatementsAcrossBorrows_sharedPoolPreparesAgain() throws Exception {
    for (IsolationMode mode : List.of(IsolationMode.SILO, IsolationMode.POOL)) {
      Tenant acme = tenant(mode, "acme");
      try (TenantDataSource ds = oneConnection(acme)) {
        List<String> named = new ArrayList<>();
        for (int borrow = 0; borrow < 3; borrow++) {
          try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
            for (int use = 0; use < 6; use++) { // past the driver's prepare threshold (5)
              try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM notes WHERE id > ?")) {
                p.setInt(1, 0);
                try (ResultSet rs = p.executeQuery()) {
                  rs.next();
                  assertThat(rs.getInt(1)).isEqualTo(expectedRows(mode, acme));
                }
              }
            }
            // What this session has prepared on the server, read before the next borrow's reset.
            named.add(one(c, "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%notes WHERE id >%'"));
          }
        }
        assertThat(named).as(mode + ": the driver's statement on the server after each borrow").containsOnly("1");
        try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
          // Right after a borrow: a silo pool's reset kept it, a shared pool's dropped it.
          assertThat(one(c, "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%notes WHERE id >%'"))
              .as(mode + ": after the next borrow's reset").isEqualTo(mode == IsolationMode.SILO ? "1" : "0");
        }
      }
    }
  }

  static Stream<Arguments> withoutSiloReset() {
    List<Arguments> all = new ArrayList<>();
    for (IsolationMode mode : IsolationMode.values()) {
      all.add(Arguments.of(mode, "the default"));
      all.add(Arguments.of(mode, "SHARED_POOLS_ONLY"));
    }
    return all.stream();
  }

  /**
   * The default and {@link SessionReset#SHARED_POOLS_ONLY}: a silo borrow sends nothing, so the
   * same tenant's next borrow sees what the last one left; every shared pool's borrow is reset as
   * always, whatever the setting (another tenant borrows next there).
   */
  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("withoutSiloReset")
  void withoutTheSiloReset_onlyTheSiloBorrowIsLeftAlone_everySharedPoolsBorrowIsStillReset(IsolationMode mode,
      String setting) throws Exception {
    Tenant first = tenant(mode, "acme");
    Tenant next = mode == IsolationMode.SILO ? first : tenant(mode, "globex");
    try (TenantDataSource ds = oneConnectionWith(setting.equals("the default") ? null : SessionReset.SHARED_POOLS_ONLY,
        first, next)) {
      for (Leftover leftover : List.of(Leftover.SET_ROLE, Leftover.SET_CONFIG_CUSTOM, Leftover.TEMP_TABLE_SHADOWING_NOTES)) {
        int backend;
        try (TenantScope s = TenantContext.open(first); Connection c = ds.getConnection();
            Statement st = c.createStatement()) {
          backend = backendPid(c);
          st.execute(leftover.plant);
        }
        try (TenantScope s = TenantContext.open(next); Connection c = ds.getConnection()) {
          assertThat(backendPid(c)).as("the second borrow reuses the first one's connection").isEqualTo(backend);
          // Silo: the same tenant's next request sees what the last one left (what the default
          // gives up, and all it gives up). Shared: another tenant, and the reset as always.
          assertThat(one(c, leftover.clean)).as(mode + " " + leftover).isEqualTo(mode == IsolationMode.SILO ? "f" : "t");
          if (mode == IsolationMode.SILO) {
            try (Statement st = c.createStatement()) {
              st.execute("RESET ROLE; DISCARD TEMP; RESET ALL"); // the next case starts clean
            }
          } else {
            assertThat(ownRows(c, mode)).as("rows the next borrower sees").isEqualTo(expectedRows(mode, next));
          }
        }
      }
    }
  }

  @Test
  void withoutTheSiloReset_whatASiloTenantLeavesNeverReachesAnotherSiloTenant() throws Exception {
    Tenant acme = PgFixture.silo("acme");
    Tenant globex = PgFixture.silo("globex");
    try (TenantDataSource ds = oneConnectionWith(null, acme, globex)) {
      int acmeBackend;
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        acmeBackend = backendPid(c);
        st.execute(Leftover.SET_CONFIG_CUSTOM.plant);
        st.execute(Leftover.TEMP_TABLE_SHADOWING_NOTES.plant);
      }
      try (TenantScope s = TenantContext.open(globex); Connection c = ds.getConnection()) {
        assertThat(backendPid(c)).as("globex's own pool, never acme's connection").isNotEqualTo(acmeBackend);
        assertThat(one(c, Leftover.SET_CONFIG_CUSTOM.clean)).isEqualTo("t");
        assertThat(one(c, Leftover.TEMP_TABLE_SHADOWING_NOTES.clean)).isEqualTo("t");
        assertThat(one(c, "SELECT current_database()")).isEqualTo("silo_globex");
      }
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        assertThat(backendPid(c)).isEqualTo(acmeBackend);
        st.execute("DISCARD TEMP; RESET ALL"); // acme's own next request saw it; the fixture's next test must not
      }
    }
  }

  @Test
  void withoutTheSiloReset_aTransactionLeftOpenIsStillRolledBackOnReturn()
      throws Exception {
    Tenant acme = PgFixture.silo("acme");
    try (TenantDataSource ds = oneConnectionWith(null, acme)) {
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        st.execute("BEGIN");
        st.execute("UPDATE notes SET body = 'left in an open transaction'"); // and row locks
      }
      assertThat(PgFixture.pg().queryAsSuperuser("postgres",
          "SELECT count(*) FROM pg_stat_activity WHERE datname = 'silo_acme' AND state LIKE 'idle in transaction%'"))
          .as("no transaction outlives the borrow").isEqualTo("0");
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
        assertThat(c.getAutoCommit()).isTrue();
        assertThat(one(c, "SELECT count(*) FROM notes WHERE body = 'left in an open transaction'"))
            .as("the update was rolled back").isEqualTo("0");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(IsolationMode.class)
  void aPooledConnectionTheDatabaseClosed_isReplacedAtTheNextBorrow_notAFailedRequest(IsolationMode mode)
      throws Exception {
    // Found by the borrow's reset: every shared pool's, and a silo pool's with EVERY_BORROW.
    Tenant t = tenant(mode, "acme");
    try (TenantDataSource ds = oneConnection(t)) {
      int backend;
      try (TenantScope s = TenantContext.open(t); Connection c = ds.getConnection()) {
        backend = backendPid(c);
        // A restart or failover ends the session while the connection is lent out; it goes back
        // to the pool unknowing (the return sends nothing), and is borrowed again at once, within
        // HikariCP's window in which it does not check a connection before lending it.
        PgFixture.pg().queryAsSuperuser("postgres", "SELECT pg_terminate_backend(" + backend + ")");
        for (int i = 0; i < 100 && !"0".equals(PgFixture.pg().queryAsSuperuser("postgres",
            "SELECT count(*) FROM pg_stat_activity WHERE pid = " + backend)); i++) {
          Thread.sleep(20);
        }
      }
      try (TenantScope s = TenantContext.open(t); Connection c = ds.getConnection()) {
        assertThat(backendPid(c)).as("a new connection").isNotEqualTo(backend);
        assertThat(ownRows(c, mode)).isEqualTo(expectedRows(mode, t));
      }
    }
  }

  @Test
  void transactionLeftOpenInRawSql_isRolledBackOnReturn_soNoLockOutlivesTheBorrow() throws Exception {
    Tenant acme = PgFixture.pooled("acme");
    try (TenantDataSource ds = oneConnection(acme)) {
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        st.execute("BEGIN");
        st.execute("UPDATE notes SET body = body WHERE tenant_id = 'acme'"); // row locks
      }
      // The connection sits idle in the pool: it must not hold the rows.
      String idleInTransaction = PgFixture.pg().queryAsSuperuser("postgres",
          "SELECT count(*) FROM pg_stat_activity WHERE datname = 'pooled' AND state LIKE 'idle in transaction%'");
      assertThat(idleInTransaction).isEqualTo("0");
    }
  }

  @Test
  void applicationName_survivesTheReset_soPoolsStayNamedInPgStatActivity() throws Exception {
    Tenant acme = PgFixture.pooled("acme");
    try (TenantDataSource ds = oneConnection(acme);
        TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
      assertThat(one(c, "SELECT current_setting('application_name')")).startsWith("tenantkit-shared-");
    }
  }

  @Test
  void serverIsThePostgresqlTheTenantStackDeploys() throws Exception {
    Tenant acme = PgFixture.silo("acme");
    try (TenantDataSource ds = oneConnection(acme);
        TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
      assertThat(Integer.parseInt(one(c, "SHOW server_version_num"))).isGreaterThanOrEqualTo(170000);
    }
  }

  private static int backendPid(Connection c) throws SQLException {
    return Integer.parseInt(one(c, "SELECT pg_backend_pid()"));
  }

  private static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
