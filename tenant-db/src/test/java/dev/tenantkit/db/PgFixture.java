package dev.tenantkit.db;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.testkit.LocalPostgres;

/**
 * One real PostgreSQL for the tenant-db integration tests, started once per test JVM and set up
 * the way a pooled SaaS database should be: the application role {@code app} owns nothing it is
 * guarded by; {@code migrator} owns the shared tables.
 *
 * <ul>
 *   <li>silo: databases {@code silo_<tenant>} owned by the tenant's own role {@code <tenant>_silo},
 *       each with {@code notes};</li>
 *   <li>bridge: database {@code bridge}, schema per tenant with {@code notes} (shared role
 *       {@code app}), and schemas {@code own_<tenant>} each owned by its own role
 *       {@code <tenant>_app} (the recommended bridge set-up);</li>
 *   <li>pool: database {@code pooled}, table {@code notes(tenant_id, body)} owned by
 *       {@code migrator} under TenantKit's RLS policy, granted to {@code app}.</li>
 *   <li>{@code app_helper}: a role {@code app} and the silo roles can {@code SET ROLE} to, and
 *       nothing more.</li>
 * </ul>
 */
final class PgFixture {
  static final String APP_PASSWORD = "app-local-password";
  static final String[] TENANTS = {"acme", "globex", "initech"};

  private static LocalPostgres pg;
  private static final java.util.concurrent.atomic.AtomicInteger DATABASES =
      new java.util.concurrent.atomic.AtomicInteger();

  private PgFixture() {}

  /** A fresh, empty database {@code <prefix><n>} owned by the superuser (as RDS creates the instance's first one). */
  static String newDatabase(String prefix) {
    String db = prefix + DATABASES.incrementAndGet();
    pg().executeAsSuperuser("postgres", "CREATE DATABASE " + db);
    return db;
  }

  /** The first column of the first row of {@code sql} on {@code c}, or null. */
  static @org.jspecify.annotations.Nullable String one(java.sql.Connection c, String sql) throws java.sql.SQLException {
    try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** A database section on this server whose user signs in with IAM (RDS's way). */
  static DatabaseConfig.Builder iamDatabase(IsolationMode mode, String database, String user) {
    return DatabaseConfig.builder().isolation(mode).host(pg().host()).port(pg().port()).database(database)
        .user(user).credentials(CredentialsSource.IAM).region("eu-west-1");
  }

  static synchronized LocalPostgres pg() {
    if (pg == null) {
      pg = LocalPostgres.start();
      setUp(pg);
      Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
    }
    return pg;
  }

  private static void setUp(LocalPostgres pg) {
    pg.createRole("app", APP_PASSWORD);
    pg.createRole("migrator", "migrator-local-password");
    // A harmless role the application role may SET ROLE to (no login, no bypass, owns nothing):
    // tests use it to leave a changed role on a connection.
    pg.executeAsSuperuser("postgres", "CREATE ROLE app_helper NOLOGIN", "GRANT app_helper TO app");
    for (String t : TENANTS) {
      // A silo tenant's user is its own (the catalog refuses two silo tenants sharing one).
      pg.createRole(t + "_silo", APP_PASSWORD);
      pg.executeAsSuperuser("postgres", "GRANT app_helper TO " + t + "_silo");
      pg.createDatabase("silo_" + t, t + "_silo");
      pg.executeAsSuperuser("silo_" + t, "SET ROLE " + t + "_silo",
          "CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)",
          "INSERT INTO notes (body) VALUES ('" + t + " silo note')");
    }
    pg.createDatabase("bridge", "migrator");
    for (String t : TENANTS) {
      pg.createRole(t + "_app", APP_PASSWORD);
      pg.executeAsSuperuser("bridge",
          "CREATE SCHEMA " + t + " AUTHORIZATION app",
          "CREATE TABLE " + t + ".notes (id serial PRIMARY KEY, body text NOT NULL)",
          "ALTER TABLE " + t + ".notes OWNER TO app",
          "INSERT INTO " + t + ".notes (body) VALUES ('" + t + " bridge note')",
          "CREATE SCHEMA own_" + t + " AUTHORIZATION " + t + "_app",
          "CREATE TABLE own_" + t + ".notes (id serial PRIMARY KEY, body text NOT NULL)",
          "ALTER TABLE own_" + t + ".notes OWNER TO " + t + "_app",
          "INSERT INTO own_" + t + ".notes (body) VALUES ('" + t + " own-role note')");
    }
    pg.createDatabase("pooled", "migrator");
    pg.executeAsSuperuser("pooled", "SET ROLE migrator",
        "CREATE TABLE notes (id serial PRIMARY KEY, tenant_id text NOT NULL "
            + "DEFAULT current_setting('tenantkit.tenant_id'), body text NOT NULL)");
    try (var c = pg.superuserConnection("pooled"); var s = c.createStatement()) {
      s.execute("SET ROLE migrator");
      RowLevelSecurity.enable(c, "notes", "tenant_id");
      s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON notes TO app");
      s.execute("GRANT USAGE ON SEQUENCE notes_id_seq TO app");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    // Rows written as the owner-with-bypass superuser so they exist before any tenant connects.
    for (int i = 0; i < TENANTS.length; i++) {
      for (int n = 0; n <= i; n++) {
        pg.executeAsSuperuser("pooled",
            "INSERT INTO notes (tenant_id, body) VALUES ('" + TENANTS[i] + "', 'pooled note " + n + "')");
      }
    }
  }

  /** Rows tenant number {@code i} (0-based) owns in the pooled table at start: i + 1. */
  static int pooledRowsOf(String tenant) {
    for (int i = 0; i < TENANTS.length; i++) {
      if (TENANTS[i].equals(tenant)) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException(tenant);
  }

  static DatabaseConfig.Builder db(IsolationMode mode, String database, String user) {
    return DatabaseConfig.builder().isolation(mode).host(pg().host()).port(pg().port()).database(database)
        .user(user).credentials(CredentialsSource.STATIC).password(APP_PASSWORD);
  }

  static Tenant silo(String id) {
    return tenant(id, db(IsolationMode.SILO, "silo_" + id, id + "_silo").build());
  }

  static Tenant bridge(String id) {
    return tenant(id, db(IsolationMode.BRIDGE, "bridge", "app").schema(id).build());
  }

  static Tenant bridgeOwnRole(String id) {
    return tenant(id, db(IsolationMode.BRIDGE, "bridge", id + "_app").schema("own_" + id).build());
  }

  static Tenant pooled(String id) {
    return tenant(id, db(IsolationMode.POOL, "pooled", "app").build());
  }

  static Tenant tenant(String id, DatabaseConfig db) {
    return Tenant.builder().id(id).tier("standard").status(TenantStatus.ACTIVE).database(db).build();
  }
}
