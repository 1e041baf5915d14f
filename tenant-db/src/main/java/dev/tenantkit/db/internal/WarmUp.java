package dev.tenantkit.db.internal;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.db.DbCredentials;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * What {@link RoutingDataSource#warmUp()} borrows from: a made-up silo tenant whose database is
 * a JDBC driver answering in memory. Its connections accept every statement and return no rows;
 * no socket is opened and no credential leaves this class. The warm-up's pool is in neither the
 * data source's routes nor its pools, so no request ever borrows from it (a catalog tenant with
 * the same id is served from a pool of its own, on its own database), and nothing of it outlives
 * the warm-up.
 */
final class WarmUp {
  static final String POOL_NAME = "tenantkit-warm-up";
  static final Tenant TENANT = Tenant.builder().id("tenantkit-warm-up").tier("warm-up").status(TenantStatus.ACTIVE)
      .database(DatabaseConfig.builder().engine(DatabaseConfig.DatabaseEngine.POSTGRESQL)
          .isolation(DatabaseConfig.IsolationMode.SILO).host("127.0.0.1").port(5432).database("tenantkit_warm_up")
          .user("tenantkit_warm_up").credentials(DatabaseConfig.CredentialsSource.STATIC).password("in-memory")
          .build())
      .build();
  static final DbCredentials CREDENTIALS = new DbCredentials("tenantkit_warm_up", "in-memory");
  static final Driver DRIVER = new InMemoryDriver();

  private WarmUp() {}

  /** One request's worth of use: borrow, prepare, query, read, close. */
  static void use(Route route) {
    try (Connection c = route.borrow();
        PreparedStatement s = c.prepareStatement("SELECT 1");
        ResultSet rs = s.executeQuery()) {
      rs.next();
    } catch (SQLException e) {
      throw new IllegalStateException("the data source's warm-up failed on its in-memory connection: "
          + e.getMessage(), e);
    }
  }

  /** Connects to nothing: every connection is {@link #jdbc(Class)}'s. */
  private static final class InMemoryDriver implements Driver {
    @Override
    public Connection connect(String url, Properties info) {
      return jdbc(Connection.class);
    }

    @Override
    public boolean acceptsURL(String url) {
      return true;
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
      return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
      return 1;
    }

    @Override
    public int getMinorVersion() {
      return 0;
    }

    @Override
    public boolean jdbcCompliant() {
      return false;
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("no logger");
    }
  }

  /**
   * A JDBC object answering what a fresh, idle, autocommit connection would: valid, read
   * committed, statements that succeed and return no rows; statements and result sets are more
   * of the same.
   */
  private static <T> T jdbc(Class<T> type) {
    // A connection is also the PostgreSQL driver's own kind, as the return path unwraps it to.
    Class<?>[] types = type == Connection.class ? new Class<?>[] {Connection.class, BaseConnection.class}
        : new Class<?>[] {type};
    return type.cast(Proxy.newProxyInstance(WarmUp.class.getClassLoader(), types, ANSWERS));
  }

  private static final InvocationHandler ANSWERS = WarmUp::answer;

  private static @Nullable Object answer(Object proxy, Method method, @Nullable Object @Nullable [] args)
      throws SQLException {
    String name = method.getName();
    Class<?> type = method.getReturnType();
    Object first = args == null || args.length == 0 ? null : args[0];
    switch (name) {
      case "isValid":
      case "getAutoCommit":
        return true;
      case "getTransactionIsolation":
        return Connection.TRANSACTION_READ_COMMITTED;
      case "getTransactionState":
        return TransactionState.IDLE;
      case "getUpdateCount":
        return -1;
      case "getHoldability":
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
      case "isWrapperFor":
        return first instanceof Class && ((Class<?>) first).isInstance(proxy);
      case "unwrap":
        if (first instanceof Class && ((Class<?>) first).isInstance(proxy)) {
          return proxy;
        }
        throw new SQLException("the warm-up's in-memory connection wraps nothing else");
      case "hashCode":
        return System.identityHashCode(proxy);
      case "equals":
        return proxy == first;
      case "toString":
        return "tenantkit warm-up " + method.getDeclaringClass().getSimpleName();
      default:
        break;
    }
    if (type == Statement.class || type == PreparedStatement.class || type == ResultSet.class) {
      return jdbc(type);
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    return null;
  }
}
