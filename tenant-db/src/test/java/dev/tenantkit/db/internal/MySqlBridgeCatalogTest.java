package dev.tenantkit.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.DatabaseEngine;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TenantDbException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MySQL bridge mode: the tenant's catalog set on borrow is reset on return, so the next borrower
 * of the shared connection never starts in another tenant's schema. No MySQL server can run here,
 * so a recording JDBC driver stands in for Connector/J (the calls TenantKit makes are what is
 * checked, through the real HikariCP pool).
 */
class MySqlBridgeCatalogTest {
  /** The catalog each physical connection is in, as the recording driver tracks it. */
  private final List<String[]> physical = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger rollbacks = new java.util.concurrent.atomic.AtomicInteger();
  private Driver driver;

  @BeforeEach
  void register() throws SQLException {
    driver = new RecordingMySqlDriver();
    DriverManager.registerDriver(driver);
  }

  @AfterEach
  void deregister() throws SQLException {
    DriverManager.deregisterDriver(driver);
  }

  private static Tenant bridge(String id) {
    return Tenant.builder().id(id).tier("standard").status(TenantStatus.ACTIVE)
        .database(DatabaseConfig.builder().engine(DatabaseEngine.MYSQL).isolation(IsolationMode.BRIDGE)
            .host("mysql.internal").database("app").schema(id).user("app").credentials(CredentialsSource.STATIC)
            .password("local").build())
        .build();
  }

  @Test
  void bridgeCatalog_setOnBorrow_isResetToThePoolsDatabaseOnReturn() throws Exception {
    Tenant acme = bridge("acme");
    Tenant globex = bridge("globex");
    try (TenantDataSource ds = TenantDataSource.builder().catalog(TenantCatalog.inMemory(acme, globex))
        .sharedPoolSize(1).build()) {
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
        assertThat(c.getCatalog()).isEqualTo("acme");
      }
      assertThat(physical).hasSize(1);
      assertThat(physical.get(0)[0]).as("catalog of the idle pooled connection").isEqualTo("app");
      try (TenantScope s = TenantContext.open(globex); Connection c = ds.getConnection()) {
        assertThat(c.getCatalog()).isEqualTo("globex");
      }
      assertThat(physical).hasSize(1);
      assertThat(physical.get(0)[0]).isEqualTo("app");
    }
  }

  @Test
  void bridgeCatalog_switchToAnotherTenantsCatalog_isRefused_ownIsAllowed() throws Exception {
    Tenant acme = bridge("acme");
    try (TenantDataSource ds = TenantDataSource.builder().catalog(TenantCatalog.inMemory(acme, bridge("globex")))
        .sharedPoolSize(1).build();
        TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
      assertThatThrownBy(() -> c.setCatalog("globex")).isInstanceOf(TenantDbException.class)
          .hasMessageContaining("tenant acme may only use its own schema");
      assertThatThrownBy(() -> c.setCatalog(null)).isInstanceOf(TenantDbException.class);
      assertThat(physical.get(0)[0]).as("the driver never saw the refused switch").isEqualTo("acme");
      c.setCatalog("acme");
      assertThat(c.getCatalog()).isEqualTo("acme");
      // MySQL has no schema below the catalog: setSchema is the driver's (a no-op), not a way out.
      c.setSchema("globex");
      assertThat(c.getCatalog()).isEqualTo("acme");
    }
  }

  @Test
  void aTransactionLeftOpen_isRolledBackOnReturn_beforeTheNextTenantBorrows() throws Exception {
    Tenant acme = bridge("acme");
    Tenant globex = bridge("globex");
    try (TenantDataSource ds = TenantDataSource.builder().catalog(TenantCatalog.inMemory(acme, globex))
        .sharedPoolSize(1).build()) {
      try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        rollbacks.set(0);
      }
      assertThat(rollbacks.get()).as("rollbacks on return").isGreaterThanOrEqualTo(1);
      try (TenantScope s = TenantContext.open(globex); Connection c = ds.getConnection()) {
        assertThat(c.getAutoCommit()).isTrue();
      }
    }
  }

  /** Accepts jdbc:mysql: URLs and hands out connections that only track their catalog. */
  private final class RecordingMySqlDriver implements Driver {
    @Override
    public Connection connect(String url, Properties info) {
      if (!acceptsURL(url)) {
        return null;
      }
      String[] catalog = {"app"};
      boolean[] state = {true, false}; // autoCommit, closed
      physical.add(catalog);
      return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            switch (method.getName()) {
              case "getCatalog":
                return catalog[0];
              case "setCatalog":
                catalog[0] = (String) args[0];
                return null;
              case "getAutoCommit":
                return state[0];
              case "setAutoCommit":
                state[0] = (Boolean) args[0];
                return null;
              case "rollback":
                rollbacks.incrementAndGet();
                return null;
              case "isClosed":
                return state[1];
              case "close":
                state[1] = true;
                return null;
              case "isValid":
                return !state[1];
              case "getTransactionIsolation":
                return Connection.TRANSACTION_REPEATABLE_READ;
              case "isWrapperFor":
                return false;
              case "toString":
                return "RecordingMySqlConnection";
              case "hashCode":
                return System.identityHashCode(proxy);
              case "equals":
                return proxy == args[0];
              default:
                Class<?> r = method.getReturnType();
                if (r == boolean.class) {
                  return false;
                }
                if (r == int.class) {
                  return 0;
                }
                return null;
            }
          });
    }

    @Override
    public boolean acceptsURL(String url) {
      return url.startsWith("jdbc:mysql:");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
      return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
      return 9;
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
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }
  }
}
