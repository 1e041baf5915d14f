package dev.tenantkit.db;

import static dev.tenantkit.db.PgFixture.iamDatabase;
import static dev.tenantkit.db.PgFixture.newDatabase;
import static dev.tenantkit.db.PgFixture.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database bootstrap on a real PostgreSQL (embedded; its {@code rds_iam} role stands in for
 * RDS's, and its members sign in as IAM users do): from an empty database to what TenantKit's
 * isolation needs, and back to that state after someone loosened it, run after run.
 */
class DatabaseBootstrapIntegrationTest {
  private static final String NOTES = "CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, "
      + "tenant_id text NOT NULL DEFAULT current_setting('tenantkit.tenant_id'), body text NOT NULL)";

  @BeforeAll
  static void startPostgres() {
    PgFixture.pg();
  }

  private static LocalPostgres pg() {
    return PgFixture.pg();
  }


  @Test
  void silo_fromAnEmptyDatabase_theAppRoleCanWorkButOwnsNothingAndCannotWidenItsRights() throws Exception {
    String database = newDatabase("boot_");
    DatabaseConfig config = iamDatabase(IsolationMode.SILO, database, "boot_silo_app").build();
    DatabaseBootstrap bootstrap = DatabaseBootstrap.forTenant(config).migration(NOTES).build();

    try (Connection master = pg().superuserConnection(database)) {
      DatabaseBootstrap.Report report = bootstrap.run(master);
      assertThat(report.steps()).containsExactly("owner role tenantkit_owner", "application role boot_silo_app",
          "schema public", "migration 1 of 1", "grants to boot_silo_app");
      assertThat(master.getAutoCommit()).isTrue();
      assertThat(one(master, "SELECT tableowner FROM pg_tables WHERE tablename = 'notes'")).isEqualTo("tenantkit_owner");
      assertThat(one(master, "SELECT rolbypassrls::text || rolsuper::text || rolcreaterole::text FROM pg_roles "
          + "WHERE rolname = 'boot_silo_app'")).isEqualTo("falsefalsefalse");
      assertThat(one(master, "SELECT string_agg(g.rolname, ',') FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
          + "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = 'boot_silo_app'")).isEqualTo("rds_iam");
    }

    // Served through TenantDataSource as an IAM user (this server trusts rds_iam members).
    Tenant acme = PgFixture.tenant("acme", config);
    try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)
        .credentials(CredentialsSource.IAM, d -> new DbCredentials(d.user(), "signed-token-stand-in"))
        .catalog(TenantCatalog.inMemory(acme)).build();
        TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO notes (tenant_id, body) VALUES ('acme', 'hello')");
      assertThat(one(c, "SELECT body FROM notes")).isEqualTo("hello");
      assertThatThrownBy(() -> st.execute("CREATE TABLE mine (x int)")).isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> st.execute("ALTER TABLE notes DISABLE ROW LEVEL SECURITY"))
          .isInstanceOf(SQLException.class).hasMessageContaining("must be owner");
    }
  }

  @Test
  void aSecondRun_convergesWhatSomeoneLoosenedInBetween() throws Exception {
    String database = newDatabase("boot_");
    DatabaseBootstrap bootstrap = DatabaseBootstrap.forTenant(iamDatabase(IsolationMode.SILO, database, "boot_drift_app").build())
        .migration(NOTES).build();
    try (Connection master = pg().superuserConnection(database); Statement s = master.createStatement()) {
      bootstrap.run(master);
      // Someone "fixes" a permission problem the wrong way.
      s.execute("ALTER ROLE boot_drift_app BYPASSRLS CREATEROLE");
      s.execute("ALTER TABLE notes OWNER TO boot_drift_app");
      s.execute("GRANT tenantkit_owner TO boot_drift_app");
      s.execute("CREATE ROLE boot_drift_extra NOLOGIN");
      s.execute("GRANT boot_drift_extra TO boot_drift_app");
      s.execute("GRANT TRUNCATE, TRIGGER ON notes TO boot_drift_app"); // TRUNCATE ignores row-level security
      s.execute("GRANT CREATE ON SCHEMA public TO boot_drift_app");
      s.execute("GRANT CREATE ON DATABASE " + database + " TO boot_drift_app");
      s.execute("ALTER ROLE boot_drift_app PASSWORD 'left-behind'");

      bootstrap.run(master);

      assertThat(one(master, "SELECT rolbypassrls::text || rolcreaterole::text FROM pg_roles "
          + "WHERE rolname = 'boot_drift_app'")).isEqualTo("falsefalse");
      assertThat(one(master, "SELECT tableowner FROM pg_tables WHERE tablename = 'notes'")).isEqualTo("tenantkit_owner");
      assertThat(one(master, "SELECT string_agg(g.rolname, ',') FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
          + "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = 'boot_drift_app'")).isEqualTo("rds_iam");
      assertThat(one(master, "SELECT has_table_privilege('boot_drift_app', 'notes', 'TRUNCATE')::text || "
          + "has_table_privilege('boot_drift_app', 'notes', 'TRIGGER')::text || "
          + "has_schema_privilege('boot_drift_app', 'public', 'CREATE')::text || "
          + "has_database_privilege('boot_drift_app', current_database(), 'CREATE')::text"))
          .isEqualTo("falsefalsefalsefalse");
      assertThat(one(master, "SELECT has_table_privilege('boot_drift_app', 'notes', 'SELECT')::text")).isEqualTo("true");
      assertThat(one(master, "SELECT (rolpassword IS NULL)::text FROM pg_authid WHERE rolname = 'boot_drift_app'"))
          .as("IAM only: no password left").isEqualTo("true");
      // And a third run changes nothing it did not need to.
      assertThat(bootstrap.run(master).steps()).hasSize(5);
    }
  }

  @Test
  void pool_sharedTablesUnderThePolicy_eachTenantSeesOnlyItsRows() throws Exception {
    String database = newDatabase("boot_");
    DatabaseConfig shared = iamDatabase(IsolationMode.POOL, database, "boot_pool_app").build();
    try (Connection master = pg().superuserConnection(database)) {
      DatabaseBootstrap.Report report = DatabaseBootstrap.forTenant(shared).migration(NOTES)
          .rowLevelSecurity("notes", "tenant_id").build().run(master);
      assertThat(report.steps()).contains("row-level security on notes", "check of boot_pool_app against row-level security");
      assertThat(one(master, "SELECT relrowsecurity::text || relforcerowsecurity::text FROM pg_class "
          + "WHERE relname = 'notes'")).isEqualTo("truetrue");
    }
    Tenant acme = PgFixture.tenant("acme", shared);
    Tenant globex = PgFixture.tenant("globex", shared);
    try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)
        .credentials(CredentialsSource.IAM, d -> new DbCredentials(d.user(), "signed-token-stand-in"))
        .catalog(TenantCatalog.inMemory(acme, globex)).build()) {
      for (Tenant t : List.of(acme, globex)) {
        try (TenantScope s = TenantContext.open(t); Connection c = ds.getConnection(); Statement st = c.createStatement()) {
          st.execute("INSERT INTO notes (body) VALUES ('note of " + t.id() + "')");
        }
      }
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
        assertThat(one(c, "SELECT string_agg(body, ',') FROM notes")).isEqualTo("note of acme");
        // Writing a row for another tenant is refused by the policy.
        assertThatThrownBy(() -> c.createStatement().execute("INSERT INTO notes (tenant_id, body) VALUES ('globex', 'x')"))
            .isInstanceOf(SQLException.class).hasMessageContaining("row-level security");
      }
    }
  }

  @Test
  void pool_anAppRoleThatWouldStillBypassThePolicy_failsTheRun_andNothingIsChanged() throws Exception {
    String database = newDatabase("boot_");
    try (Connection master = pg().superuserConnection(database); Statement s = master.createStatement()) {
      // A SECURITY DEFINER function owned by a superuser that the app may call: a way past RLS
      // that the bootstrap does not own and must not paper over.
      s.execute("CREATE FUNCTION leak() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1'");
      DatabaseBootstrap bootstrap = DatabaseBootstrap.forTenant(iamDatabase(IsolationMode.POOL, database, "boot_leaky_app").build())
          .migration(NOTES).rowLevelSecurity("notes", "tenant_id").build();
      assertThatThrownBy(() -> bootstrap.run(master)).isInstanceOfSatisfying(TenantDbException.class, e -> {
        assertThat(e.reason()).isEqualTo(TenantDbException.Reason.ROLE_BYPASSES_RLS);
        assertThat(e.getMessage()).contains("SECURITY DEFINER").contains("leak()");
      });
      assertThat(one(master, "SELECT count(*) FROM pg_tables WHERE tablename = 'notes'")).as("rolled back").isEqualTo("0");
      assertThat(master.getAutoCommit()).isTrue();
    }
  }

  @Test
  void bridge_eachTenantsSchema_ownedByTheOwner_usableByItsRoleOnly() throws Exception {
    String database = newDatabase("boot_");
    try (Connection master = pg().superuserConnection(database)) {
      for (String t : List.of("acme", "globex")) {
        DatabaseBootstrap.forTenant(iamDatabase(IsolationMode.BRIDGE, database, "boot_" + t + "_app").schema(t).build())
            .migration(NOTES).build().run(master);
      }
      assertThat(one(master, "SELECT string_agg(schemaname || ':' || tableowner, ',' ORDER BY schemaname) FROM pg_tables "
          + "WHERE tablename = 'notes'")).isEqualTo("acme:tenantkit_owner,globex:tenantkit_owner");
      assertThat(one(master, "SELECT has_schema_privilege('boot_acme_app', 'globex', 'USAGE')::text")).isEqualTo("false");
      assertThat(one(master, "SELECT has_schema_privilege('boot_acme_app', 'acme', 'USAGE')::text")).isEqualTo("true");
    }
  }

  @Test
  void twoInstancesBootingAtOnce_bothSucceed_oneAfterTheOther() throws Exception {
    String database = newDatabase("boot_");
    DatabaseBootstrap bootstrap = DatabaseBootstrap.forTenant(iamDatabase(IsolationMode.SILO, database, "boot_race_app").build())
        .migration(NOTES).build();
    List<CompletableFuture<DatabaseBootstrap.Report>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(CompletableFuture.supplyAsync(() -> {
        try (Connection master = pg().superuserConnection(database)) {
          return bootstrap.run(master);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<DatabaseBootstrap.Report> r : runs) {
      assertThat(r.get(60, TimeUnit.SECONDS).steps()).hasSize(5);
    }
  }

  @Test
  void iamWithoutRdsIam_aBadMigration_andBadSettings_areRefusedClearly() throws Exception {
    String database = newDatabase("boot_");
    try (Connection master = pg().superuserConnection(database)) {
      DatabaseBootstrap broken = DatabaseBootstrap.builder().isolation(IsolationMode.SILO).appUser("boot_bad_app")
          .iamAuthentication(false).migration("CREATE TABLE notes (id serial", "SELECT 1").build();
      assertThatThrownBy(() -> broken.run(master)).isInstanceOfSatisfying(TenantDbException.class, e -> {
        assertThat(e.reason()).isEqualTo(TenantDbException.Reason.TENANT_SETUP_FAILED);
        assertThat(e.getMessage()).contains("at step 'migration 1 of 2'").contains("nothing was changed");
      });
      assertThat(one(master, "SELECT count(*) FROM pg_roles WHERE rolname = 'boot_bad_app'")).isEqualTo("0");
    }
    assertThatThrownBy(() -> DatabaseBootstrap.builder().isolation(IsolationMode.POOL).appUser("app").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("pool mode needs at least one table");
    assertThatThrownBy(() -> DatabaseBootstrap.builder().isolation(IsolationMode.BRIDGE).appUser("app").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("bridge mode needs the tenant's schema");
    assertThatThrownBy(() -> DatabaseBootstrap.builder().isolation(IsolationMode.SILO).appUser("tenantkit_owner").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("must not own its tables");
    assertThatThrownBy(() -> DatabaseBootstrap.builder().appUser("app\"; DROP TABLE x; --"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appUser must be a lowercase PostgreSQL identifier");
    assertThatThrownBy(() -> DatabaseBootstrap.builder().isolation(IsolationMode.SILO).appUser("app")
        .rowLevelSecurity("notes", "tenant_id").build()).hasMessageContaining("row-level security is for pool mode");
  }

  @Test
  void fromTheMasterSecret_overTheNetwork_asAnInstanceDoesAtFirstBoot() throws Exception {
    String database = newDatabase("boot_");
    String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-master-AbCdEf";
    DatabaseConfig db = iamDatabase(IsolationMode.SILO, database, "boot_net_app").build();
    // Secrets Manager has no local server: a loopback endpoint answers its JSON protocol to the
    // real SDK client. The local server trusts its superuser on loopback, whatever the password.
    try (LoopbackSecretsManager secrets = new LoopbackSecretsManager()) {
      secrets.secrets.put(arn, LoopbackSecretsManager.rdsSecret(LocalPostgres.SUPERUSER, "master-password-xyz", pg().port()));
      DbCredentials master = SecretsManagerCredentialsFactory.builder().client(secrets.client()).build()
          .credentials(db.toBuilder().credentials(CredentialsSource.SECRET).secretArn(arn).build());
      assertThat(master.user()).isEqualTo(LocalPostgres.SUPERUSER);

      DatabaseBootstrap bootstrap = DatabaseBootstrap.forTenant(db).migration(NOTES).build();
      assertThat(bootstrap.run(db, master, TlsMode.PLAINTEXT_ON_LOOPBACK, null).steps()).hasSize(5);

      DatabaseConfig nowhere = db.toBuilder().port(1).build();
      assertThatThrownBy(() -> bootstrap.run(nowhere, master, TlsMode.PLAINTEXT_ON_LOOPBACK, null))
          .isInstanceOfSatisfying(TenantDbException.class,
              e -> assertThat(e.reason()).isEqualTo(TenantDbException.Reason.CONNECTION_FAILED))
          .hasMessageContaining("database bootstrap cannot connect to " + pg().host() + ":1/" + database)
          .hasMessageNotContaining("master-password-xyz");
    }
  }

  @Test
  void pool_aSharedTableLeftWithoutThePolicy_failsTheRun() throws Exception {
    String database = newDatabase("boot_");
    try (Connection master = pg().superuserConnection(database)) {
      DatabaseBootstrap bootstrap = DatabaseBootstrap.forTenant(iamDatabase(IsolationMode.POOL, database, "boot_audit_app").build())
          .migration(NOTES, "CREATE TABLE IF NOT EXISTS audit (tenant_id text, what text)")
          .rowLevelSecurity("notes", "tenant_id").build();
      assertThatThrownBy(() -> bootstrap.run(master)).isInstanceOfSatisfying(TenantDbException.class, e -> {
        assertThat(e.reason()).isEqualTo(TenantDbException.Reason.ROLE_BYPASSES_RLS);
        assertThat(e.getMessage()).contains("table(s) audit without row-level security");
      });
      assertThat(one(master, "SELECT count(*) FROM pg_tables WHERE tablename = 'audit'")).isEqualTo("0");
    }
  }

  @Test
  void anRdsLikeMaster_thatIsNotASuperuser_bootstrapsToo_andIsToldWhatItCannotUndo() throws Exception {
    // An RDS master: CREATEROLE and CREATEDB, admin of rds_iam, owner of the database; no superuser.
    String database = "boot_rds_db";
    pg().executeAsSuperuser("postgres",
        "CREATE ROLE boot_rds_master LOGIN CREATEROLE CREATEDB PASSWORD 'rds-master-pw'",
        "GRANT rds_iam TO boot_rds_master WITH ADMIN OPTION",
        "CREATE DATABASE " + database + " OWNER boot_rds_master");
    java.util.Properties login = new java.util.Properties();
    login.setProperty("user", "boot_rds_master");
    login.setProperty("password", "rds-master-pw");
    // Its own owner role (this test cluster's tenantkit_owner was made by the superuser, which an
    // RDS master could not grant; on a tenant's own instance the master creates every role).
    DatabaseBootstrap bootstrap = DatabaseBootstrap.forTenant(iamDatabase(IsolationMode.SILO, database, "boot_rds_app").build())
        .ownerRole("boot_rds_owner").migration(NOTES).build();
    try (Connection master = java.sql.DriverManager.getConnection(pg().jdbcUrl(database), login)) {
      assertThat(bootstrap.run(master).steps()).hasSize(5);
      assertThat(bootstrap.run(master).steps()).hasSize(5);
      assertThat(one(master, "SELECT tableowner FROM pg_tables WHERE tablename = 'notes'")).isEqualTo("boot_rds_owner");

      pg().executeAsSuperuser("postgres", "ALTER ROLE boot_rds_app BYPASSRLS");
      assertThatThrownBy(() -> bootstrap.run(master)).isInstanceOf(TenantDbException.class)
          .hasMessageContaining("role boot_rds_app has BYPASSRLS, which only a superuser can take away");
    }
  }

  @Test
  void theMasterItself_aSystemRole_orAnOpenTransaction_areRefused() throws Exception {
    String database = newDatabase("boot_");
    assertThatThrownBy(() -> DatabaseBootstrap.builder().appUser("rds_superuser"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be a system or RDS role name");
    assertThatThrownBy(() -> DatabaseBootstrap.builder().appUser("pg_read_all_data"))
        .isInstanceOf(IllegalArgumentException.class);
    try (Connection master = pg().superuserConnection(database)) {
      // The master connects as boot_self here: naming it as the app role would strip its own rights.
      pg().executeAsSuperuser("postgres", "CREATE ROLE boot_self LOGIN SUPERUSER");
      try (Statement s = master.createStatement()) {
        s.execute("SET SESSION AUTHORIZATION boot_self");
      }
      DatabaseBootstrap self = DatabaseBootstrap.builder().isolation(IsolationMode.SILO).appUser("boot_self")
          .iamAuthentication(false).build();
      assertThatThrownBy(() -> self.run(master)).isInstanceOf(TenantDbException.class)
          .hasMessageContaining("must not be the connecting (master) user boot_self");
      master.setAutoCommit(false);
      assertThatThrownBy(() -> self.run(master)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("auto-commit mode");
      master.rollback();
    }
  }
}
