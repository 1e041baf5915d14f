package dev.tenantkit.db.internal;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.db.DbCredentials;
import dev.tenantkit.db.DbCredentialsFactory;
import dev.tenantkit.db.TenantDbException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The {@link DataSource} a physical pool opens connections with. HikariCP has no hook for a
 * password that changes (an IAM token, a rotated secret), so instead of a static pool password
 * the pool is given this data source, which asks the credentials factory for every new physical
 * connection. When the database refuses the credentials, the factory is told (it re-fetches) and
 * the connect is retried, a bounded number of times with a short back-off.
 */
final class ConnectionFactory implements DataSource {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ConnectionFactory.class);

  private final String poolName;
  private final DatabaseConfig database;
  private final Driver driver;
  private final String url;
  private final Properties baseProperties;
  private final DbCredentialsFactory credentials;
  private final int maxAuthAttempts;
  private final long authBackoffMillis;
  private final AtomicLong authenticationFailures = new AtomicLong();
  private final AtomicLong connectionsOpened = new AtomicLong();
  // Shared pools: run the role preflight on every new physical connection (RLS rules too in
  // pool mode), so a role default or a membership added after the pool opened is caught.
  private final boolean guardShared;
  private final boolean guardRls;
  // The pool's first borrow runs the preflight itself (for a typed refusal at once); every
  // connection opened after it is checked here.
  private volatile boolean guardArmed;
  private volatile @Nullable TenantDbException lastRefusal;
  private volatile long lastRefusalNanos;
  private volatile int loginTimeoutSeconds = 5;

  ConnectionFactory(String poolName, DatabaseConfig database, Driver driver, String url,
      Properties baseProperties, DbCredentialsFactory credentials, int maxAuthAttempts, long authBackoffMillis,
      boolean guardShared, boolean guardRls) {
    this.guardShared = guardShared;
    this.guardRls = guardRls;
    this.poolName = poolName;
    this.database = database;
    this.driver = driver;
    this.url = url;
    this.baseProperties = baseProperties;
    this.credentials = credentials;
    this.maxAuthAttempts = maxAuthAttempts;
    this.authBackoffMillis = authBackoffMillis;
  }

  @Override
  public Connection getConnection() throws SQLException {
    for (int attempt = 1; ; attempt++) {
      DbCredentials c = credentials.credentials(database);
      Properties props = new Properties();
      props.putAll(baseProperties);
      props.setProperty("user", c.user());
      props.setProperty("password", c.password());
      try {
        Connection connection = driver.connect(url, props);
        if (connection == null) {
          throw new SQLException("the JDBC driver does not accept " + url, "08001");
        }
        connectionsOpened.incrementAndGet();
        if (guardShared && guardArmed) {
          guard(connection);
        }
        return connection;
      } catch (SQLException e) {
        if (!Jdbc.isAuthenticationFailure(e)) {
          throw e;
        }
        authenticationFailures.incrementAndGet();
        credentials.authenticationFailed(database);
        if (attempt >= maxAuthAttempts) {
          LOG.warn("pool={} user={} authentication failed {} times in a row; giving up for this connection",
              poolName, c.user(), attempt);
          throw e;
        }
        LOG.info("pool={} user={} authentication failed (sqlState={}); refreshing credentials, attempt {} of {}",
            poolName, c.user(), e.getSQLState(), attempt + 1, maxAuthAttempts);
        sleep(authBackoffMillis * attempt);
      }
    }
  }

  private void guard(Connection connection) throws SQLException {
    java.util.List<String> problems;
    try {
      problems = RlsGuard.problems(connection, guardRls);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    if (!problems.isEmpty()) {
      connection.close();
      TenantDbException refusal = RlsGuard.refusal(null, poolName, problems);
      lastRefusal = refusal;
      lastRefusalNanos = System.nanoTime();
      throw refusal;
    }
    lastRefusal = null;
  }

  /** Turns the check of every new connection on: called once the pool's first borrow passed it. */
  void armGuard() {
    guardArmed = true;
  }

  /**
   * The preflight's refusal of a connection opened in the last few seconds, if any: borrowers
   * fail at once with it instead of waiting for the pool's connection timeout.
   */
  @Nullable TenantDbException recentRefusal() {
    TenantDbException r = lastRefusal;
    return r != null && System.nanoTime() - lastRefusalNanos < 5_000_000_000L ? r : null;
  }

  private static void sleep(long millis) throws SQLException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while retrying a connection", "08001", e);
    }
  }

  long authenticationFailures() {
    return authenticationFailures.get();
  }

  long connectionsOpened() {
    return connectionsOpened.get();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials come from the tenant's credentials factory");
  }

  @Override
  public @Nullable PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(@Nullable PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {
    // HikariCP sets it from its connection timeout; the driver's own timeouts are in properties.
    this.loginTimeoutSeconds = Math.max(1, seconds);
  }

  @Override
  public int getLoginTimeout() {
    // HikariCP waits this long for its connection adder to stop when the pool closes.
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("java.util.logging is not used");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
