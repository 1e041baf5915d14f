package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;

/**
 * What an independent review found getting past the shared-pool walls on a real PostgreSQL, each
 * now refused: views, materialized views, definer functions and partitions that reach
 * row-level-security tables around their policy; role defaults ({@code ALTER ROLE ... SET}),
 * which {@code DISCARD ALL} restores for every borrower, including a shadow {@code set_config};
 * and driver state changed on the raw connection behind the pool's back.
 */
class SharedPoolPreflightIntegrationTest {

  @AfterEach
  void cleanUp() {
    var pg = PgFixture.pg();
    pg.executeAsSuperuser("postgres", "ALTER ROLE app RESET ALL");
    pg.executeAsSuperuser("bridge", "DROP FUNCTION IF EXISTS acme.set_config(text, text, boolean)");
    pg.executeAsSuperuser("pooled", "DROP VIEW IF EXISTS notes_report", "DROP MATERIALIZED VIEW IF EXISTS notes_cache",
        "DROP FUNCTION IF EXISTS all_notes()", "DROP TABLE IF EXISTS events", "DROP SCHEMA IF EXISTS tk_scratch CASCADE");
  }

  private static TenantDataSource oneConnection(Tenant... tenants) {
    return TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)
        .catalog(TenantCatalog.inMemory(Stream.of(tenants).distinct().toList()))
        .sharedPoolSize(1).poolConnectionTimeout(Duration.ofSeconds(2))
        .defaultPoolSettings(new PoolSettings(1, 0, Duration.ofSeconds(2))).build();
  }

  private static TenantDbException refusal(Tenant t) {
    try (TenantDataSource ds = oneConnection(t); TenantScope s = TenantContext.open(t); Connection c = ds.getConnection()) {
      throw new AssertionError("expected the pool of " + t.id() + " to be refused");
    } catch (TenantDbException e) {
      assertThat(e.reason()).isEqualTo(Reason.ROLE_BYPASSES_RLS);
      return e;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static void exec(Connection c, String... sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  private static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void viewOwnedByABypassingRole_overAnRlsTable_isRefused() {
    PgFixture.pg().executeAsSuperuser("pooled", "CREATE VIEW notes_report AS SELECT tenant_id, body FROM notes",
        "GRANT SELECT ON notes_report TO app");
    assertThat(refusal(PgFixture.pooled("globex")).getMessage()).contains("notes_report");
  }

  @Test
  void securityInvokerView_isAccepted() throws Exception {
    PgFixture.pg().executeAsSuperuser("pooled",
        "CREATE VIEW notes_report WITH (security_invoker = true) AS SELECT tenant_id, body FROM notes",
        "GRANT SELECT ON notes_report TO app");
    Tenant globex = PgFixture.pooled("globex");
    try (TenantDataSource ds = oneConnection(globex); TenantScope s = TenantContext.open(globex);
        Connection c = ds.getConnection()) {
      assertThat(one(c, "SELECT coalesce(string_agg(DISTINCT tenant_id, ','), '') FROM notes_report")).isEqualTo("globex");
    }
  }

  @Test
  void materializedViewOverAnRlsTable_isRefused() {
    PgFixture.pg().executeAsSuperuser("pooled", "CREATE MATERIALIZED VIEW notes_cache AS SELECT tenant_id, body FROM notes",
        "GRANT SELECT ON notes_cache TO app");
    assertThat(refusal(PgFixture.pooled("globex")).getMessage()).contains("notes_cache");
  }

  @Test
  void securityDefinerFunctionOwnedByABypassingRole_isRefused() {
    PgFixture.pg().executeAsSuperuser("pooled",
        "CREATE FUNCTION all_notes() RETURNS SETOF notes LANGUAGE sql SECURITY DEFINER AS $$ SELECT * FROM notes $$");
    assertThat(refusal(PgFixture.pooled("globex")).getMessage()).contains("all_notes").contains("SECURITY DEFINER");
  }

  @Test
  void partitionedTable_enableCoversEveryPartition_soAPartitionReadByNameShowsOnlyTheTenantsRows() throws Exception {
    var pg = PgFixture.pg();
    pg.executeAsSuperuser("pooled", "SET ROLE migrator",
        "CREATE TABLE events (tenant_id text NOT NULL, body text) PARTITION BY LIST (tenant_id)",
        "CREATE TABLE events_a PARTITION OF events FOR VALUES IN ('acme', 'globex', 'initech')");
    try (Connection c = pg.superuserConnection("pooled"); Statement st = c.createStatement()) {
      st.execute("SET ROLE migrator");
      RowLevelSecurity.enable(c, "events", "tenant_id");
      st.execute("RESET ROLE");
      st.execute("INSERT INTO events VALUES ('acme', 'acme event'), ('initech', 'initech event')");
      st.execute("GRANT SELECT, INSERT ON events, events_a TO app");
    }
    Tenant globex = PgFixture.pooled("globex");
    try (TenantDataSource ds = oneConnection(globex); TenantScope s = TenantContext.open(globex);
        Connection c = ds.getConnection()) {
      assertThat(one(c, "SELECT count(*) FROM events")).isEqualTo("0");
      assertThat(one(c, "SELECT count(*) FROM events_a")).isEqualTo("0");
    }
  }

  @Test
  void partitionWithoutItsOwnPolicy_reachableByTheRole_isRefused() {
    var pg = PgFixture.pg();
    pg.executeAsSuperuser("pooled", "SET ROLE migrator",
        "CREATE TABLE events (tenant_id text NOT NULL, body text) PARTITION BY LIST (tenant_id)",
        "CREATE TABLE events_a PARTITION OF events FOR VALUES IN ('acme', 'globex', 'initech')",
        "ALTER TABLE events ENABLE ROW LEVEL SECURITY", "ALTER TABLE events FORCE ROW LEVEL SECURITY",
        "GRANT SELECT ON events, events_a TO app");
    assertThat(refusal(PgFixture.pooled("globex")).getMessage()).contains("events_a").contains("partition");
  }

  @Test
  void roleDefault_setByATenant_isRefusedForTheNextConnection_beforeItServesAnyone() throws Exception {
    Tenant acme = PgFixture.pooled("acme");
    Tenant globex = PgFixture.pooled("globex");
    try (TenantDataSource ds = oneConnection(acme, globex); TenantScope s = TenantContext.open(acme);
        Connection c = ds.getConnection()) {
      exec(c, "ALTER ROLE CURRENT_USER SET default_transaction_read_only = on");
    }
    // The next physical connection (a new data source here; maxLifetime or a restart in life).
    try (TenantDataSource ds = oneConnection(acme, globex); TenantScope s = TenantContext.open(globex)) {
      assertThatThrownBy(ds::getConnection).isInstanceOfSatisfying(TenantDbException.class,
          e -> assertThat(e.getMessage()).contains("role-level settings").contains("default_transaction_read_only"));
    }
  }

  @Test
  void roleDefault_setWhileThePoolServes_isCaughtByItsNextPhysicalConnection() throws Exception {
    Tenant acme = PgFixture.pooled("acme");
    Tenant globex = PgFixture.pooled("globex");
    try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)
        .catalog(TenantCatalog.inMemory(acme, globex)).sharedPoolSize(2).poolConnectionTimeout(Duration.ofSeconds(2))
        .defaultPoolSettings(new PoolSettings(2, 0, Duration.ofSeconds(2))).build()) {
      try (Connection held = TenantContext.call(acme, ds::getConnection)) {
        TenantContext.call(acme, () -> {
          exec(held, "ALTER ROLE CURRENT_USER SET search_path = pg_temp, public");
          return null;
        });
        // The pool must open a second connection for globex: it starts with the role default.
        try (TenantScope g = TenantContext.open(globex)) {
          assertThatThrownBy(ds::getConnection).isInstanceOfSatisfying(TenantDbException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.ROLE_BYPASSES_RLS);
            assertThat(e.getMessage()).contains("globex").contains("role-level settings");
          });
        }
      }
    }
  }

  @Test
  void bridge_shadowSetConfigAndRoleDefaultSearchPath_neverServeGlobexAcmesSchema() throws Exception {
    Tenant acme = PgFixture.bridge("acme");
    Tenant globex = PgFixture.bridge("globex");
    try (TenantDataSource ds = oneConnection(acme, globex); TenantScope s = TenantContext.open(acme);
        Connection c = ds.getConnection()) {
      exec(c, "CREATE FUNCTION acme.set_config(text, text, boolean) RETURNS text LANGUAGE sql AS $$"
          + " SELECT pg_catalog.set_config($1, CASE WHEN $1 = 'search_path' THEN '\"acme\"' ELSE $2 END, $3);"
          + " SELECT $2 $$", "ALTER ROLE CURRENT_USER SET search_path = acme, pg_catalog");
    }
    try (TenantDataSource ds = oneConnection(acme, globex); TenantScope s = TenantContext.open(globex)) {
      assertThatThrownBy(ds::getConnection).isInstanceOf(TenantDbException.class).hasMessageContaining("search_path");
    }
    // And with the role default gone but the shadow function still there, the real set_config runs.
    PgFixture.pg().executeAsSuperuser("postgres", "ALTER ROLE app RESET ALL");
    PgFixture.pg().executeAsSuperuser("bridge", "ALTER DATABASE bridge SET search_path = acme, pg_catalog");
    try (TenantDataSource ds = oneConnection(acme, globex); TenantScope s = TenantContext.open(globex);
        Connection c = ds.getConnection()) {
      assertThat(one(c, "SELECT string_agg(body, ',') FROM notes")).isEqualTo("globex bridge note");
    } finally {
      PgFixture.pg().executeAsSuperuser("bridge", "ALTER DATABASE bridge RESET search_path");
    }
  }

  @Test
  void rawAutoCommitOffAndReadOnly_onTheDriversConnection_areSetBackOnReturn() throws Exception {
    Tenant acme = PgFixture.pooled("acme");
    Tenant globex = PgFixture.pooled("globex");
    try (TenantDataSource ds = oneConnection(acme, globex)) {
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
        c.unwrap(BaseConnection.class).setAutoCommit(false);
        c.unwrap(BaseConnection.class).setReadOnly(true);
      }
      try (TenantScope s = TenantContext.open(globex); Connection c = ds.getConnection()) {
        assertThat(c.getAutoCommit()).isTrue();
        assertThat(c.isReadOnly()).isFalse();
        c.setAutoCommit(false);
        exec(c, "INSERT INTO notes (body) VALUES ('globex write')");
        c.rollback();
      }
    }
  }
}
