package dev.tenantkit.db;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.db.internal.FlywayMigrations;
import dev.tenantkit.db.internal.Jdbc;
import dev.tenantkit.db.internal.RlsGuard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Sets up a tenant's PostgreSQL database the way TenantKit's isolation needs it, from a
 * connection with the master user's rights (on RDS, the instance's master secret), from inside
 * the VPC: run it once at a stack's first boot, or from a task; every run converges on the same
 * state, so running it again is always safe.
 *
 * <ul>
 *   <li>an owner role ({@code NOLOGIN}, no {@code BYPASSRLS}) that owns the schema and the
 *       tables; the team's migrations run as it;</li>
 *   <li>the application's login role: a member of {@code rds_iam} for IAM authentication, with no
 *       {@code SUPERUSER}, {@code BYPASSRLS}, {@code CREATEROLE}, {@code CREATEDB} or
 *       replication, member of no other role, owning nothing (what it owned is handed to the
 *       owner role), allowed only to read and write the schema's tables and sequences, now and
 *       for tables the owner creates later;</li>
 *   <li>pool mode: the tables named are put under TenantKit's row-level-security policy
 *       ({@link RowLevelSecurity}), and the application role is then checked the way
 *       {@link TenantDataSource} checks it on first use (nothing lets it past the policy).</li>
 * </ul>
 *
 * The master need not be a superuser (an RDS master is not): role attributes only a superuser may
 * set are named only when they must change (and a role that has one is refused with what to do),
 * and the master is made a member of the two roles it manages, to act as them.
 *
 * <p>Everything runs in one transaction under an advisory lock: two instances booting at once run
 * one after the other, and a failure leaves the database as it was.
 *
 * <pre>{@code
 * DatabaseBootstrap.forTenant(tenant.database().orElseThrow())
 *     .migration("CREATE TABLE IF NOT EXISTS documents (id bigserial PRIMARY KEY, "
 *         + "tenant_id text NOT NULL DEFAULT current_setting('tenantkit.tenant_id'), name text NOT NULL)")
 *     .rowLevelSecurity("documents", "tenant_id")
 *     .build()
 *     .run(masterConnection);
 * }</pre>
 */
public final class DatabaseBootstrap {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  /** The advisory lock key every bootstrap takes (one bootstrap at a time per database). */
  private static final long LOCK_KEY = 0x74656e616e746bL; // "tenantk"
  /** Flyway's schema history table (its default name). */
  private static final String FLYWAY_HISTORY = "flyway_schema_history";

  private final IsolationMode isolation;
  private final String appUser;
  private final String ownerRole;
  private final String schema;
  private final boolean iamAuthentication;
  private final List<String> migrations;
  private final Map<String, String> rlsTables;
  private final List<String> flywayLocations;
  private final @Nullable String flywayBaseline;

  private DatabaseBootstrap(Builder b, IsolationMode isolation, String appUser) {
    this.isolation = isolation;
    this.appUser = appUser;
    this.ownerRole = b.ownerRole;
    this.schema = b.schema;
    this.iamAuthentication = b.iamAuthentication;
    this.migrations = List.copyOf(b.migrations);
    this.rlsTables = Map.copyOf(b.rlsTables);
    this.flywayLocations = List.copyOf(b.flywayLocations);
    this.flywayBaseline = b.flywayBaseline;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder set from the tenant's database section: its isolation mode, its user as the
   * application role, its schema (bridge mode), and IAM authentication when its credentials are
   * IAM.
   */
  public static Builder forTenant(DatabaseConfig db) {
    Builder b = builder().isolation(db.isolation()).appUser(db.user())
        .iamAuthentication(db.credentials() == CredentialsSource.IAM);
    String s = db.schema();
    if (s != null) {
      b.schema(s);
    }
    return b;
  }

  /** What a run did: each step, in order. */
  public record Report(List<String> steps) {
    /** Copies the list. */
    public Report {
      steps = List.copyOf(steps);
    }
  }

  /**
   * Runs the bootstrap on {@code master}, a connection to the tenant's database with the master
   * user's rights, in auto-commit mode (the bootstrap runs its own transaction); leaves it in
   * auto-commit mode.
   *
   * @throws TenantDbException with reason {@code TENANT_SETUP_FAILED} naming the step that failed
   *     (nothing was changed), or {@code ROLE_BYPASSES_RLS} when the application role would still
   *     get past row-level security after the run
   */
  public Report run(Connection master) throws SQLException {
    if (!flywayLocations.isEmpty()) {
      throw new IllegalStateException("Flyway opens connections of its own: run a bootstrap with flyway(...) with"
          + " run(DataSource) or run(DatabaseConfig, DbCredentials, TlsMode, Path)");
    }
    return run(master, false);
  }

  /**
   * Runs the bootstrap with connections from {@code master} (the master user's): the bootstrap,
   * then the {@link Builder#flyway Flyway migrations} as the owner role in the tenant's schema,
   * then the bootstrap again, which grants the application role what the migrations created and,
   * in pool mode, puts the named tables under row-level security and checks that no table is left
   * without it. Flyway's own lock and history make a second instance booting at once wait, then
   * find nothing to do.
   *
   * @throws TenantDbException with reason {@code TENANT_SETUP_FAILED} naming the step or the
   *     migration that failed (Flyway's migrations that ran before it stay applied, each in its
   *     own transaction; the application role is granted nothing of a failed run)
   */
  public Report run(DataSource master) throws SQLException {
    List<String> steps = new ArrayList<>();
    try (Connection c = master.getConnection()) {
      steps.addAll(run(c, !flywayLocations.isEmpty()).steps());
    }
    if (flywayLocations.isEmpty()) {
      return new Report(steps);
    }
    try {
      steps.add(FlywayMigrations.migrate(master, ownerRole, schema, flywayLocations, flywayBaseline));
    } catch (RuntimeException e) {
      TenantDbException failure = TenantDbException.of(TenantDbException.Reason.TENANT_SETUP_FAILED, null,
          "database bootstrap failed at step 'flyway migrations' (the ones before the failing one stay applied): "
              + e.getMessage(), e);
      withdraw(master, failure);
      throw failure;
    }
    try (Connection c = master.getConnection()) {
      for (String step : run(c, false).steps()) {
        steps.add("after migrations: " + step);
      }
    } catch (SQLException | RuntimeException e) {
      withdraw(master, e);
      throw e;
    }
    return new Report(steps);
  }

  /**
   * After a failed migration run: the application role loses its grants on Flyway's history and,
   * in pool mode, on every table of the schema without forced row-level security (a migration may
   * have turned it off, or left a new table unguarded), so the failure leaves nothing open to it.
   * Under the bootstrap's lock (a concurrent good run finishes first and leaves nothing unguarded
   * to revoke), each revoke on its own, so one that fails does not stop the others; problems are
   * added to {@code failure}, which the caller throws. The next good run grants again.
   */
  private void withdraw(DataSource master, Exception failure) {
    try (Connection c = master.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
      try {
        List<String> tables = new ArrayList<>();
        if (single(c, "SELECT to_regclass('" + schema + "." + FLYWAY_HISTORY + "')::text") != null) {
          tables.add(FLYWAY_HISTORY);
        }
        if (isolation == IsolationMode.POOL) {
          try (PreparedStatement p = c.prepareStatement("SELECT c.relname FROM pg_catalog.pg_class c "
              + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p') "
              + "AND NOT (c.relrowsecurity AND c.relforcerowsecurity)")) {
            p.setString(1, schema);
            try (ResultSet rs = p.executeQuery()) {
              while (rs.next()) {
                tables.add(rs.getString(1));
              }
            }
          }
        }
        for (String table : tables) {
          try {
            s.execute("REVOKE ALL ON " + q(schema) + "." + q(table) + " FROM " + q(appUser));
          } catch (SQLException e) {
            failure.addSuppressed(e);
          }
        }
      } finally {
        s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
      }
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private Report run(Connection master, boolean beforeFlyway) throws SQLException {
    boolean autoCommit = master.getAutoCommit();
    if (!autoCommit) {
      throw new IllegalStateException("pass a connection in auto-commit mode: the bootstrap runs its own "
          + "transaction and would commit or roll back the caller's");
    }
    master.setAutoCommit(false);
    List<String> steps = new ArrayList<>();
    String step = "lock";
    SQLException failure = null;
    try (Statement s = master.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      String self = single(master, "SELECT current_user");
      boolean superuser = "on".equals(single(master, "SELECT current_setting('is_superuser')"));
      if (appUser.equals(self) || ownerRole.equals(self)) {
        throw new SQLException("the application role and the owner role must not be the connecting (master) user "
            + self);
      }
      step = "owner role " + ownerRole;
      createRoleIfMissing(master, ownerRole, false);
      alterAttributes(master, ownerRole, false, superuser);
      grantToSelf(master, ownerRole, superuser);
      steps.add(step);

      step = "application role " + appUser;
      createRoleIfMissing(master, appUser, true);
      alterAttributes(master, appUser, true, superuser);
      grantToSelf(master, appUser, superuser); // to SET ROLE for the check, and REASSIGN OWNED
      for (String role : memberships(master, appUser)) {
        if (!(iamAuthentication && role.equals("rds_iam"))) {
          s.execute("REVOKE " + q(role) + " FROM " + q(appUser));
        }
      }
      if (iamAuthentication) {
        if (!roleExists(master, "rds_iam")) {
          throw new SQLException("role rds_iam does not exist: not an RDS database (set iamAuthentication(false) "
              + "for a database whose users sign in with a password)");
        }
        s.execute("GRANT rds_iam TO " + q(appUser));
        s.execute("ALTER ROLE " + q(appUser) + " PASSWORD NULL"); // IAM only: no password left behind
      }
      List<String> left = memberships(master, appUser);
      left.remove("rds_iam");
      if (!left.isEmpty()) {
        // PostgreSQL 16+ removes only the grants the revoking user made.
        throw new SQLException(appUser + " is still a member of " + String.join(", ", left)
            + " (granted by another role); revoke it as that role");
      }
      s.execute("REASSIGN OWNED BY " + q(appUser) + " TO " + q(ownerRole));
      s.execute("REVOKE CREATE ON DATABASE " + q(single(master, "SELECT current_database()")) + " FROM " + q(appUser));
      steps.add(step);

      step = "schema " + schema;
      s.execute("CREATE SCHEMA IF NOT EXISTS " + q(schema) + " AUTHORIZATION " + q(ownerRole));
      s.execute("ALTER SCHEMA " + q(schema) + " OWNER TO " + q(ownerRole));
      s.execute("REVOKE CREATE ON SCHEMA " + q(schema) + " FROM PUBLIC");
      s.execute("REVOKE ALL ON SCHEMA " + q(schema) + " FROM " + q(appUser));
      s.execute("GRANT USAGE ON SCHEMA " + q(schema) + " TO " + q(appUser));
      steps.add(step);

      s.execute("SET LOCAL ROLE " + q(ownerRole));
      s.execute("SET LOCAL search_path TO " + q(schema));
      for (int i = 0; i < migrations.size(); i++) {
        step = "migration " + (i + 1) + " of " + migrations.size();
        s.execute(migrations.get(i));
        steps.add(step);
      }
      if (isolation == IsolationMode.POOL) {
        for (Map.Entry<String, String> t : rlsTables.entrySet()) {
          if (beforeFlyway && single(master, "SELECT to_regclass('" + schema + "." + t.getKey() + "')::text") == null) {
            continue; // the migrations create it; the run after them puts it under the policy
          }
          step = "row-level security on " + t.getKey();
          RowLevelSecurity.enable(master, schema + "." + t.getKey(), t.getValue());
          steps.add(step);
        }
      }
      s.execute("RESET ROLE");
      s.execute("SET LOCAL search_path TO DEFAULT");

      if (beforeFlyway && isolation == IsolationMode.POOL) {
        // Shared tables get grants only after the migrations, from the run that checks every one
        // of them is under row-level security.
        master.commit();
        return new Report(steps);
      }
      step = "grants to " + appUser;
      String from = " IN SCHEMA " + q(schema) + " FROM " + q(appUser);
      // From nothing, each run: what someone granted by hand (TRUNCATE ignores row-level security,
      // TRIGGER, REFERENCES) does not survive it.
      s.execute("REVOKE ALL ON ALL TABLES" + from);
      s.execute("REVOKE ALL ON ALL SEQUENCES" + from);
      String on = " IN SCHEMA " + q(schema) + " TO " + q(appUser);
      s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES" + on);
      s.execute("GRANT USAGE, SELECT ON ALL SEQUENCES" + on);
      if (!flywayLocations.isEmpty()
          && single(master, "SELECT to_regclass('" + schema + "." + FLYWAY_HISTORY + "')::text") != null) {
        // Flyway's history is the owner's: the application neither reads nor rewrites it.
        s.execute("REVOKE ALL ON " + q(schema) + "." + FLYWAY_HISTORY + " FROM " + q(appUser));
      }
      String defaults = "ALTER DEFAULT PRIVILEGES FOR ROLE " + q(ownerRole) + " IN SCHEMA " + q(schema) + " ";
      if (isolation == IsolationMode.POOL) {
        // A shared table created later gets no grant until a bootstrap puts it under the policy.
        s.execute(defaults + "REVOKE ALL ON TABLES FROM " + q(appUser));
      } else {
        s.execute(defaults + "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + q(appUser));
      }
      s.execute(defaults + "GRANT USAGE, SELECT ON SEQUENCES TO " + q(appUser));
      steps.add(step);

      if (isolation == IsolationMode.POOL && !beforeFlyway) {
        step = "check of " + appUser + " against row-level security";
        String unguarded;
        try (PreparedStatement p = master.prepareStatement("SELECT string_agg(c.relname, ', ' ORDER BY c.relname) "
            + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? "
            + "AND c.relkind IN ('r', 'p') AND NOT (c.relrowsecurity AND c.relforcerowsecurity) AND c.relname <> ?")) {
          p.setString(1, schema);
          // Flyway's history holds no tenant's rows and the application role has no grant on it.
          p.setString(2, flywayLocations.isEmpty() ? "" : FLYWAY_HISTORY);
          try (ResultSet rs = p.executeQuery()) {
            unguarded = rs.next() ? rs.getString(1) : null;
          }
        }
        if (unguarded != null) {
          throw RlsGuard.refusal(null, "bootstrap", List.of("schema " + schema + " of a pool database has table(s) "
              + unguarded + " without row-level security, which every tenant's role could read and write; "
              + "name each with rowLevelSecurity(table, tenantColumn)"));
        }
        s.execute("SET LOCAL ROLE " + q(appUser));
        List<String> problems = RlsGuard.problems(master, true);
        s.execute("RESET ROLE");
        if (!problems.isEmpty()) {
          throw RlsGuard.refusal(null, "bootstrap", problems);
        }
        steps.add(step);
      }
      master.commit();
      return new Report(steps);
    } catch (SQLException | RuntimeException e) {
      try {
        master.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      if (e instanceof TenantDbException) {
        throw (TenantDbException) e;
      }
      failure = TenantDbException.of(TenantDbException.Reason.TENANT_SETUP_FAILED, null,
          "database bootstrap failed at step '" + step + "'; nothing was changed: " + e.getMessage(), e);
      throw failure;
    } finally {
      try {
        master.setAutoCommit(true);
      } catch (SQLException e) {
        if (failure != null) {
          failure.addSuppressed(e); // the connection is broken: the step's failure is what matters
        } else {
          throw e;
        }
      }
    }
  }

  /** The role's attributes as the bootstrap wants them, changing only what differs (see class doc). */
  private static void alterAttributes(Connection c, String role, boolean login, boolean superuser) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT rolsuper, rolbypassrls, rolreplication, rolcreatedb, "
        + "rolcreaterole, rolcanlogin FROM pg_catalog.pg_roles WHERE rolname = ?")) {
      p.setString(1, role);
      try (ResultSet rs = p.executeQuery(); Statement s = c.createStatement()) {
        rs.next();
        List<String> changes = new ArrayList<>();
        List<String> superuserOnly = new ArrayList<>();
        if (rs.getBoolean(1)) {
          superuserOnly.add("NOSUPERUSER");
        }
        if (rs.getBoolean(2)) {
          superuserOnly.add("NOBYPASSRLS");
        }
        if (rs.getBoolean(3)) {
          superuserOnly.add("NOREPLICATION");
        }
        if (rs.getBoolean(4)) {
          changes.add("NOCREATEDB");
        }
        if (rs.getBoolean(5)) {
          changes.add("NOCREATEROLE");
        }
        if (rs.getBoolean(6) != login) {
          changes.add(login ? "LOGIN" : "NOLOGIN");
        }
        if (!superuserOnly.isEmpty() && !superuser) {
          // Naming these attributes at all takes a superuser, which an RDS master is not.
          throw new SQLException("role " + role + " has " + String.join(", ", superuserOnly).replace("NO", "")
              + ", which only a superuser can take away; remove it (on RDS, from the role that granted it)");
        }
        changes.addAll(superuserOnly);
        if (!changes.isEmpty()) {
          s.execute("ALTER ROLE " + q(role) + " " + String.join(" ", changes));
        }
      }
    }
  }

  /** Lets a non-superuser master act as {@code role} (SET ROLE, REASSIGN OWNED); a superuser already can. */
  private static void grantToSelf(Connection c, String role, boolean superuser) throws SQLException {
    if (!superuser) {
      try (Statement s = c.createStatement()) {
        s.execute("GRANT " + q(role) + " TO CURRENT_USER");
      }
    }
  }

  private static @Nullable String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /**
   * Connects to the tenant's database ({@code db}'s host, port and database) as {@code master}
   * with {@code tls} (verified TLS by default, with the RDS CA bundle) and runs the bootstrap.
   * The master user's credentials usually come from the instance's master secret:
   *
   * <pre>{@code
   * DbCredentials master = SecretsManagerCredentialsFactory.create().credentials(db.toBuilder()
   *     .credentials(CredentialsSource.SECRET).secretArn(masterSecretArn).build());
   * }</pre>
   *
   * @throws TenantDbException when the connection fails (reason {@code CONNECTION_FAILED}) or a
   *     step does, as {@link #run(Connection)}
   */
  public Report run(DatabaseConfig db, DbCredentials master, TlsMode tls, java.nio.file.@Nullable Path caBundle)
      throws SQLException {
    String url = Jdbc.url(db);
    java.util.Properties p = Jdbc.properties(db, "tenantkit-bootstrap", tls, caBundle, 10, Map.of());
    p.setProperty("user", master.user());
    p.setProperty("password", master.password());
    java.sql.Driver driver = Jdbc.driver(db, url);
    String where = db.host() + ":" + db.port() + "/" + db.database() + " as " + master.user();
    Connection c;
    try {
      c = driver.connect(url, p);
    } catch (SQLException e) {
      throw TenantDbException.connectionFailed(null, "database bootstrap cannot connect to " + where + ": "
          + e.getMessage(), e);
    }
    if (flywayLocations.isEmpty()) {
      try (Connection master0 = c) {
        return run(master0, false);
      }
    }
    c.close();
    return run(new FlywayMigrations.DriverDataSource(driver, url, p, where));
  }

  private static void createRoleIfMissing(Connection c, String role, boolean login) throws SQLException {
    if (!roleExists(c, role)) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE ROLE " + q(role) + (login ? " LOGIN" : " NOLOGIN"));
      }
    }
  }

  private static boolean roleExists(Connection c, String role) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?")) {
      p.setString(1, role);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The roles {@code role} is a direct member of. */
  private static List<String> memberships(Connection c, String role) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT g.rolname FROM pg_catalog.pg_auth_members m "
        + "JOIN pg_catalog.pg_roles g ON g.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member "
        + "WHERE u.rolname = ? ORDER BY 1")) {
      p.setString(1, role);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** An identifier, quoted (names read back from the catalog are not checked, so a quote is escaped). */
  private static String q(@Nullable String identifier) {
    return Jdbc.quoteIdentifier(String.valueOf(identifier));
  }

  private static String requireIdentifier(String what, @Nullable String value) {
    if (value != null && (what.equals("appUser") || what.equals("ownerRole"))
        && (value.startsWith("pg_") || value.startsWith("rds") || value.equals("postgres") || value.equals("public"))) {
      throw new IllegalArgumentException(what + " must not be a system or RDS role name (pg_*, rds*, postgres, public), "
          + "was '" + value + "'");
    }
    if (value == null || !IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must be a lowercase PostgreSQL identifier (a letter or '_', then "
          + "letters, digits or '_', at most 63), was " + (value == null ? "null" : "'" + value.replaceAll("[^\\x20-\\x7e]", "?") + "'"));
    }
    return value;
  }

  /** Builds a {@link DatabaseBootstrap}. */
  public static final class Builder {
    private @Nullable IsolationMode isolation;
    private @Nullable String appUser;
    private String ownerRole = "tenantkit_owner";
    private String schema = "public";
    private boolean schemaSet;
    private boolean iamAuthentication = true;
    private final List<String> migrations = new ArrayList<>();
    private final Map<String, String> rlsTables = new LinkedHashMap<>();
    private final List<String> flywayLocations = new ArrayList<>();
    private @Nullable String flywayBaseline;

    private Builder() {}

    /** The tenant's isolation mode. Required. */
    public Builder isolation(IsolationMode isolation) {
      this.isolation = Objects.requireNonNull(isolation, "isolation");
      return this;
    }

    /** The application's login role (the tenant record's database user). Required. */
    public Builder appUser(String user) {
      this.appUser = requireIdentifier("appUser", user);
      return this;
    }

    /** The role that owns the schema and the tables; {@code tenantkit_owner} by default. */
    public Builder ownerRole(String role) {
      this.ownerRole = requireIdentifier("ownerRole", role);
      return this;
    }

    /** The schema ({@code public} by default; the tenant's own in bridge mode, where it is required). */
    public Builder schema(String schema) {
      this.schema = requireIdentifier("schema", schema);
      this.schemaSet = true;
      return this;
    }

    /**
     * Whether the application role signs in with RDS IAM authentication (a member of
     * {@code rds_iam}); true by default. With false, give the role its password yourself.
     */
    public Builder iamAuthentication(boolean iam) {
      this.iamAuthentication = iam;
      return this;
    }

    /**
     * SQL the owner role runs, in the schema, after the roles and before the grants (the tables):
     * each run runs them again, so each must be idempotent ({@code CREATE TABLE IF NOT EXISTS},
     * {@code ALTER TABLE ... ADD COLUMN IF NOT EXISTS}).
     */
    public Builder migration(String... sql) {
      for (String statement : sql) {
        if (statement == null || statement.isBlank()) {
          throw new IllegalArgumentException("a migration statement is empty");
        }
        migrations.add(statement);
      }
      return this;
    }

    /** Pool mode: puts {@code table} under the tenant policy on {@code tenantColumn}. */
    public Builder rowLevelSecurity(String table, String tenantColumn) {
      rlsTables.put(requireIdentifier("table", table), requireIdentifier("tenantColumn", tenantColumn));
      return this;
    }

    /**
     * The application's versioned Flyway migrations (such as {@code classpath:db/tenant}: files
     * {@code V1__documents.sql}, ...), run after the bootstrap as the owner role in the tenant's
     * schema (silo: {@code public} unless set; bridge: the tenant's own; pool: the shared one, once
     * for all its tenants), with Flyway's history table there. Needs {@code flyway-core} and
     * {@code flyway-database-postgresql} on the class path, and a run that can open connections
     * ({@link DatabaseBootstrap#run(DataSource)}). Not with {@link #migration} statements: give the
     * tables one way.
     */
    public Builder flyway(String... locations) {
      for (String location : locations) {
        if (location == null || location.isBlank()) {
          throw new IllegalArgumentException("a Flyway location is empty");
        }
        flywayLocations.add(location);
      }
      return this;
    }

    /**
     * For databases set up before their migrations were Flyway's (by {@link #migration}
     * statements): a schema that has tables but no Flyway history is taken to be at
     * {@code version}, and only later migrations run on it (Flyway's baseline). Without it, Flyway
     * refuses such a schema.
     */
    public Builder flywayBaseline(String version) {
      if (version == null || !version.matches("[0-9]+(\\.[0-9]+)*")) {
        throw new IllegalArgumentException("a Flyway baseline is a version such as 1 or 1.2");
      }
      this.flywayBaseline = version;
      return this;
    }

    /**
     * Builds the bootstrap.
     *
     * @throws IllegalStateException naming what is missing or does not fit the mode
     */

    public DatabaseBootstrap build() {
      if (isolation == null) {
        throw new IllegalStateException("isolation is required");
      }
      if (appUser == null) {
        throw new IllegalStateException("appUser is required");
      }
      if (appUser.equals(ownerRole)) {
        throw new IllegalStateException("appUser and ownerRole must differ: the application must not own its tables");
      }
      if (isolation == IsolationMode.BRIDGE && !schemaSet) {
        throw new IllegalStateException("bridge mode needs the tenant's schema");
      }
      if (isolation == IsolationMode.POOL && rlsTables.isEmpty()) {
        throw new IllegalStateException("pool mode needs at least one table under row-level security "
            + "(rowLevelSecurity(table, tenantColumn)): shared tables without it keep no tenant apart");
      }
      if (!flywayLocations.isEmpty() && !migrations.isEmpty()) {
        throw new IllegalStateException("give the tables one way: migration(...) statements or flyway(...) migrations"
            + " (Flyway refuses a schema that has tables without its history; see flywayBaseline)");
      }
      if (flywayBaseline != null && flywayLocations.isEmpty()) {
        throw new IllegalStateException("flywayBaseline needs flyway(...) migrations");
      }
      if (!flywayLocations.isEmpty() && !FlywayMigrations.available()) {
        throw new IllegalStateException("flyway(...) needs Flyway on the class path: add org.flywaydb:flyway-core and"
            + " org.flywaydb:flyway-database-postgresql");
      }
      if (isolation != IsolationMode.POOL && !rlsTables.isEmpty()) {
        throw new IllegalStateException("row-level security is for pool mode; this tenant is " + isolation);
      }
      return new DatabaseBootstrap(this, isolation, appUser);
    }
  }
}
