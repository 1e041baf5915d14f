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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Per-tenant Flyway migrations through the bootstrap, on a real PostgreSQL: the application's
 * versioned scripts (src/test/resources/db/...) run as each tenant's owner role in its schema, and
 * what they create reaches only that tenant's application role (in pool mode, only under
 * row-level security).
 */
class DatabaseBootstrapFlywayIntegrationTest {

  private static LocalPostgres pg() {
    return PgFixture.pg();
  }

  /** The master's connections (the superuser stands in for RDS's master user). */
  private static DataSource master(String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(pg().jdbcUrl(database));
    ds.setUser(LocalPostgres.SUPERUSER);
    return ds;
  }


  private static TenantDataSource dataSource(Tenant... tenants) {
    return TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)
        .credentials(CredentialsSource.IAM, d -> new DbCredentials(d.user(), "signed-token-stand-in"))
        .catalog(TenantCatalog.inMemory(tenants)).build();
  }

  @Test
  void silo_migratesAsTheOwner_theAppRoleUsesTheTables_notTheHistory_andARerunDoesNothing() throws Exception {
    String database = newDatabase("flyway_");
    DatabaseConfig acmeDb = iamDatabase(IsolationMode.SILO, database, "fly_acme_app").build();
    DatabaseBootstrap bootstrap = DatabaseBootstrap.forTenant(acmeDb).flyway("classpath:db/tenant").build();
    DatabaseBootstrap.Report first = bootstrap.run(master(database));
    assertThat(first.steps()).contains("flyway: 2 migration(s), schema version 2")
        .anyMatch(s -> s.startsWith("after migrations: grants to fly_acme_app"));
    assertThat(bootstrap.run(master(database)).steps()).contains("flyway: 0 migration(s), schema version 2");
    try (Connection m = master(database).getConnection()) {
      assertThat(one(m, "SELECT tableowner FROM pg_tables WHERE tablename = 'notes'")).isEqualTo("tenantkit_owner");
      assertThat(one(m, "SELECT tableowner FROM pg_tables WHERE tablename = 'flyway_schema_history'"))
          .isEqualTo("tenantkit_owner");
      assertThat(one(m, "SELECT has_table_privilege('fly_acme_app', 'public.flyway_schema_history', 'SELECT')::text"))
          .isEqualTo("false");
    }
    Tenant acme = PgFixture.tenant("acme", acmeDb);
    try (TenantDataSource ds = dataSource(acme); TenantScope s = TenantContext.open(acme);
        Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO notes (tenant_id, body, title) VALUES ('acme', 'b', 't')"); // V2's column
      assertThat(one(c, "SELECT count(*) FROM notes")).isEqualTo("1");
      assertThatThrownBy(() -> st.execute("DELETE FROM flyway_schema_history"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
    }
  }

  @Test
  void bridge_eachTenantsSchemaMigratedApart_withItsOwnHistory_andNoRoleReachesTheOther() throws Exception {
    String database = newDatabase("flyway_");
    for (String t : List.of("acme", "globex")) {
      DatabaseBootstrap.forTenant(iamDatabase(IsolationMode.BRIDGE, database, "fly_" + t + "_app").schema(t).build())
          .flyway("classpath:db/tenant").build().run(master(database));
    }
    try (Connection m = master(database).getConnection()) {
      assertThat(one(m, "SELECT string_agg(schemaname, ',' ORDER BY schemaname) FROM pg_tables "
          + "WHERE tablename = 'flyway_schema_history'")).isEqualTo("acme,globex");
      assertThat(one(m, "SELECT has_table_privilege('fly_acme_app', 'globex.notes', 'SELECT')::text")).isEqualTo("false");
      assertThat(one(m, "SELECT has_schema_privilege('fly_acme_app', 'globex', 'USAGE')::text")).isEqualTo("false");
      assertThat(one(m, "SELECT has_table_privilege('fly_acme_app', 'acme.notes', 'INSERT')::text")).isEqualTo("true");
    }
  }

  @Test
  void pool_sharedTablesFromMigrations_areUnderThePolicy_andEachTenantSeesOnlyItsRows() throws Exception {
    String database = newDatabase("flyway_");
    DatabaseConfig shared = iamDatabase(IsolationMode.POOL, database, "fly_pool_app").build();
    DatabaseBootstrap.Report report = DatabaseBootstrap.forTenant(shared).flyway("classpath:db/tenant")
        .rowLevelSecurity("notes", "tenant_id").build().run(master(database));
    assertThat(report.steps()).contains("after migrations: row-level security on notes",
        "after migrations: check of fly_pool_app against row-level security");
    Tenant acme = PgFixture.tenant("acme", shared);
    Tenant globex = PgFixture.tenant("globex", shared);
    try (TenantDataSource ds = dataSource(acme, globex)) {
      for (Tenant t : List.of(acme, globex)) {
        try (TenantScope s = TenantContext.open(t); Connection c = ds.getConnection(); Statement st = c.createStatement()) {
          st.execute("INSERT INTO notes (body) VALUES ('note of " + t.id() + "')");
        }
      }
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
        assertThat(one(c, "SELECT string_agg(body, ',') FROM notes")).isEqualTo("note of acme");
      }
    }
    try (Connection m = master(database).getConnection()) {
      assertThat(one(m, "SELECT has_table_privilege('fly_pool_app', 'public.flyway_schema_history', 'SELECT')::text"))
          .isEqualTo("false");
    }
  }

  @Test
  void pool_aMigrationThatLeavesATableWithoutThePolicy_failsTheRun_andTheAppRoleIsGrantedNothingOfIt() throws Exception {
    String database = newDatabase("flyway_");
    DatabaseBootstrap bootstrap = DatabaseBootstrap.forTenant(iamDatabase(IsolationMode.POOL, database, "fly_leak_app").build())
        .flyway("classpath:db/unguarded").rowLevelSecurity("notes", "tenant_id").build();
    assertThatThrownBy(() -> bootstrap.run(master(database))).isInstanceOfSatisfying(TenantDbException.class, e ->
        assertThat(e.getMessage()).contains("secrets").contains("without row-level security"));
    try (Connection m = master(database).getConnection()) {
      assertThat(one(m, "SELECT has_table_privilege('fly_leak_app', 'public.secrets', 'SELECT')::text")).isEqualTo("false");
      assertThat(one(m, "SELECT has_table_privilege('fly_leak_app', 'public.notes', 'SELECT')::text")).isEqualTo("false");
    }
  }

  @Test
  void pool_aMigrationThatTakesThePolicyOffAGrantedTable_andFails_leavesTheAppRoleNoGrantOnIt() throws Exception {
    String database = newDatabase("flyway_");
    DatabaseConfig shared = iamDatabase(IsolationMode.POOL, database, "fly_off_app").build();
    DatabaseBootstrap.forTenant(shared).flyway("classpath:db/tenant").rowLevelSecurity("notes", "tenant_id").build()
        .run(master(database));
    try (Connection m = master(database).getConnection()) {
      assertThat(one(m, "SELECT has_table_privilege('fly_off_app', 'public.notes', 'SELECT')::text")).isEqualTo("true");
    }
    // V3 turns notes' policy off (no FORCE) and adds an unguarded table: the run after it fails.
    assertThatThrownBy(() -> DatabaseBootstrap.forTenant(shared).flyway("classpath:db/pool-off")
        .rowLevelSecurity("notes", "tenant_id").build().run(master(database)))
        .isInstanceOf(TenantDbException.class).hasMessageContaining("leaks");
    try (Connection m = master(database).getConnection()) {
      assertThat(one(m, "SELECT relforcerowsecurity::text FROM pg_class WHERE relname = 'notes'")).isEqualTo("false");
      assertThat(one(m, "SELECT has_table_privilege('fly_off_app', 'public.notes', 'SELECT')::text"))
          .as("withdrawn: the table is no longer under forced row-level security").isEqualTo("false");
      assertThat(one(m, "SELECT has_table_privilege('fly_off_app', 'public.leaks', 'SELECT')::text")).isEqualTo("false");
    }
  }

  @Test
  void aBrokenMigration_failsNamingTheStep_andTheOnesBeforeItStay() throws Exception {
    String database = newDatabase("flyway_");
    DatabaseBootstrap bootstrap = DatabaseBootstrap.forTenant(iamDatabase(IsolationMode.SILO, database, "fly_broken_app").build())
        .flyway("classpath:db/broken").build();
    assertThatThrownBy(() -> bootstrap.run(master(database))).isInstanceOfSatisfying(TenantDbException.class, e -> {
      assertThat(e.reason()).isEqualTo(TenantDbException.Reason.TENANT_SETUP_FAILED);
      assertThat(e.getMessage()).contains("flyway migrations").contains("V2__broken");
    });
    try (Connection m = master(database).getConnection()) {
      assertThat(one(m, "SELECT count(*) FROM pg_tables WHERE tablename = 'notes'")).isEqualTo("1");
      assertThat(one(m, "SELECT count(*) FROM pg_tables WHERE tablename = 'oops'")).isEqualTo("0");
      // Flyway's history, which the owner's default privileges granted at its creation, is withdrawn.
      assertThat(one(m, "SELECT has_table_privilege('fly_broken_app', 'public.flyway_schema_history', 'SELECT')::text"))
          .isEqualTo("false");
    }
  }

  @Test
  void aDatabaseSetUpBeforeFlyway_isBaselined_andOnlyLaterMigrationsRun() throws Exception {
    String database = newDatabase("flyway_");
    DatabaseConfig db = iamDatabase(IsolationMode.SILO, database, "fly_old_app").build();
    DatabaseBootstrap.forTenant(db).migration("CREATE TABLE notes (id serial PRIMARY KEY, tenant_id text NOT NULL"
        + " DEFAULT current_setting('tenantkit.tenant_id'), body text NOT NULL)").build().run(master(database));
    DatabaseBootstrap.Builder flyway = DatabaseBootstrap.forTenant(db).flyway("classpath:db/tenant");
    assertThatThrownBy(() -> flyway.build().run(master(database))).as("Flyway refuses tables without its history")
        .isInstanceOf(TenantDbException.class);
    DatabaseBootstrap.Report report = flyway.flywayBaseline("1").build().run(master(database));
    assertThat(report.steps()).contains("flyway: 1 migration(s), schema version 2"); // V2 only
    try (Connection m = master(database).getConnection()) {
      assertThat(one(m, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'title'"))
          .isEqualTo("1");
      assertThat(one(m, "SELECT has_table_privilege('fly_old_app', 'public.notes', 'INSERT')::text")).isEqualTo("true");
    }
  }

  @Test
  void twoInstancesMigratingAtOnce_bothSucceed_andEachMigrationRunsOnce() throws Exception {
    String database = newDatabase("flyway_");
    DatabaseBootstrap bootstrap = DatabaseBootstrap.forTenant(iamDatabase(IsolationMode.SILO, database, "fly_race_app").build())
        .flyway("classpath:db/tenant").build();
    CompletableFuture<DatabaseBootstrap.Report> a = CompletableFuture.supplyAsync(() -> run(bootstrap, database));
    CompletableFuture<DatabaseBootstrap.Report> b = CompletableFuture.supplyAsync(() -> run(bootstrap, database));
    List<String> steps = new java.util.ArrayList<>(a.get(60, TimeUnit.SECONDS).steps());
    steps.addAll(b.get(60, TimeUnit.SECONDS).steps());
    assertThat(steps).containsOnlyOnce("flyway: 2 migration(s), schema version 2")
        .contains("flyway: 0 migration(s), schema version 2");
  }

  @Test
  void misuse_isNamed() throws Exception {
    DatabaseBootstrap bootstrap = DatabaseBootstrap.forTenant(iamDatabase(IsolationMode.SILO, "postgres", "fly_x_app").build())
        .flyway("classpath:db/tenant").build();
    try (Connection c = pg().superuserConnection("postgres")) {
      assertThatThrownBy(() -> bootstrap.run(c)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("run(DataSource)");
    }
    assertThatThrownBy(() -> DatabaseBootstrap.builder().flyway(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DatabaseBootstrap.forTenant(iamDatabase(IsolationMode.SILO, "postgres", "fly_x_app").build())
        .migration("CREATE TABLE x (id int)").flyway("classpath:db/tenant").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("one way");
    assertThatThrownBy(() -> DatabaseBootstrap.builder().flywayBaseline("v1")).isInstanceOf(IllegalArgumentException.class);
  }

  private static DatabaseBootstrap.Report run(DatabaseBootstrap bootstrap, String database) {
    try {
      return bootstrap.run(master(database));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
