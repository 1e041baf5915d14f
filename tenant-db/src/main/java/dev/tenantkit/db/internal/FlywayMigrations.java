package dev.tenantkit.db.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * DatabaseBootstrap's Flyway step, apart so that Flyway's classes load only when it is used (Flyway
 * is optional for tenant-db).
 */
public final class FlywayMigrations {
  private FlywayMigrations() {}

  /** Whether Flyway is on the class path. */
  public static boolean available() {
    try {
      Class.forName("org.flywaydb.core.Flyway", false, FlywayMigrations.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * Migrates {@code schema} from {@code locations} on connections of {@code master}, each switched
   * to {@code ownerRole} first (the tables and Flyway's history belong to the owner, never to the
   * master or the application role); the schema must exist (the bootstrap made it). With a
   * {@code baseline}, a schema with tables but no history is taken to be at that version.
   *
   * @return the step for the bootstrap's report, such as "flyway: 2 migration(s), schema version 2"
   */
  public static String migrate(DataSource master, String ownerRole, String schema, List<String> locations,
      @Nullable String baseline) {
    String role = Jdbc.quoteIdentifier(ownerRole);
    org.flywaydb.core.api.configuration.FluentConfiguration configuration = org.flywaydb.core.Flyway.configure()
        .dataSource(master)
        .locations(locations.toArray(String[]::new))
        .schemas(schema)
        .defaultSchema(schema)
        .createSchemas(false)
        .initSql("SET ROLE " + role)
        .failOnMissingLocations(true);
    if (baseline != null) {
      configuration.baselineOnMigrate(true).baselineVersion(baseline);
    }
    org.flywaydb.core.Flyway flyway = configuration.load();
    int executed = flyway.migrate().migrationsExecuted;
    org.flywaydb.core.api.MigrationInfo current = flyway.info().current();
    return "flyway: " + executed + " migration(s), schema version "
        + (current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion());
  }

  /** Connections from a driver, for Flyway (which opens its own). */
  public static final class DriverDataSource implements DataSource {
    private final Driver driver;
    private final String url;
    private final Properties properties;
    private final String where;

    /**
     * @param where the host, port, database and user, for messages (never the password)
     */
    public DriverDataSource(Driver driver, String url, Properties properties, String where) {
      this.driver = driver;
      this.url = url;
      this.properties = properties;
      this.where = where;
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = driver.connect(url, properties);
      if (c == null) {
        throw new SQLException("the driver does not take " + where);
      }
      return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("the bootstrap's master connections have their own credentials");
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(@Nullable PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }

    @Override
    public String toString() {
      return "DriverDataSource[" + where + "]";
    }
  }
}
