package dev.tenantkit.db.internal;

import dev.tenantkit.core.DatabaseConfig.DatabaseEngine;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.spi.SqlStates;
import dev.tenantkit.db.PoolSettings;
import dev.tenantkit.db.SessionReset;
import dev.tenantkit.db.TenantDbException.Reason;
import dev.tenantkit.db.TenantDbException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's way to its database, for one version of its record: the pool, the bulkhead and
 * what to set on a connection. Immutable; rebuilt when the record changes.
 */
final class Route implements TenantConnection.Lease {
  private static final Logger LOG = LoggerFactory.getLogger(Route.class);

  final Tenant tenant;
  final DatabaseConfig db;
  final PhysicalPool pool;
  final TenantState state;
  private final TenantId id;
  private final long waitNanos;
  private final boolean shared;
  private final IsolationMode mode;
  private final boolean postgres;
  private final SessionSetup session;

  Route(Tenant tenant, DatabaseConfig db, PhysicalPool pool, TenantState state, PoolSettings settings,
      SessionReset reset) {
    this.tenant = tenant;
    this.id = tenant.id();
    this.db = db;
    this.pool = pool;
    this.state = state;
    this.waitNanos = settings.waitTimeout().toNanos();
    this.shared = pool.key.shared();
    this.mode = db.isolation();
    this.postgres = db.engine() == DatabaseEngine.POSTGRESQL;
    // A shared pool is reset on every borrow, whatever the setting (SessionReset).
    this.session = new SessionSetup(db, id.value(), shared || reset == SessionReset.EVERY_BORROW);
  }

  /**
   * Lends a connection for this tenant; see {@link dev.tenantkit.db.TenantDataSource}. Every mode
   * gets a clean session ({@link SessionSetup}; a silo pool not under
   * {@link SessionReset#SHARED_POOLS_ONLY}); shared pools also take a bulkhead permit first.
   */
  Connection borrow() throws SQLException {
    TenantState.Permits permits = shared ? state.permits : null;
    if (permits != null) {
      acquire(permits);
    }
    Connection c = null;
    try {
      pool.touch();
      TenantDbException refused = shared ? pool.factory.recentRefusal() : null;
      if (refused != null) {
        throw TenantDbException.of(refused.reason(), id, "tenant " + id + ": " + refused.getMessage());
      }
      for (int attempt = 1; ; attempt++) {
        try {
          c = pool.hikari.getConnection();
        } catch (SQLException e) {
          // Silo: the pool is the tenant's own and is its bulkhead; its connection timeout is the
          // tenant's wait timeout.
          throw translate(e, !shared);
        }
        try {
          session.onBorrow(c);
          break;
        } catch (SQLException e) {
          if (e instanceof TenantDbException || !SqlStates.databaseUnavailable(e.getSQLState())) {
            throw e;
          }
          // The database closed this pooled connection while it sat idle (a restart, a
          // failover): nothing of the caller's ran on it. Discard it and take another, once.
          discard(c);
          c = null;
          if (attempt == 2) {
            throw TenantDbException.connectionFailed(id, "tenant " + id + ": the database closed pooled connections of "
                + pool.name + " (" + e.getMessage() + ")", e);
          }
          LOG.debug("tenant={} pool={} pooled connection closed by the database, discarded: {}", id, pool.name,
              e.getSQLState());
        }
      }
      if (shared && postgres && !pool.rlsChecked) {
        // After the reset: checks the pool's own role. Every new physical connection is checked
        // as it is opened too (ConnectionFactory); this gives the first caller the typed refusal.
        RlsGuard.check(pool, c, id, mode == IsolationMode.POOL);
      }
      return new TenantConnection(c, this);
    } catch (SQLException | RuntimeException e) {
      if (c != null) {
        discard(c);
      }
      if (permits != null) {
        permits.release();
      }
      if (e instanceof TenantDbException) {
        throw (TenantDbException) e;
      }
      if (c != null) {
        // Setting the tenant failed: the connection is gone and the caller gets no connection.
        throw TenantDbException.of(Reason.TENANT_SETUP_FAILED, id, "cannot set tenant " + id
            + " on a connection of pool " + pool.name + "; it was discarded (" + e.getMessage() + ")", e);
      }
      throw e;
    }
  }

  private void acquire(TenantState.Permits permits) throws TenantDbException {
    boolean acquired;
    try {
      acquired = permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TenantDbException.of(Reason.TENANT_SATURATED, id,
          "interrupted while waiting for a connection for tenant " + id, e);
    }
    if (!acquired) {
      state.saturations.increment();
      throw TenantDbException.of(Reason.TENANT_SATURATED, id, "tenant " + id + " uses all its "
          + state.max() + " connections and none came free within " + (waitNanos / 1_000_000) + " ms");
    }
  }

  /** {@link TenantConnection#close()}: end what is open, return the connection, free the permit. */
  @Override
  public void release(Connection c) {
    try {
      session.onReturn(c);
      c.close();
    } catch (SQLException | RuntimeException e) {
      // A connection that cannot be made idle must not go back to the pool.
      LOG.debug("tenant={} pool={} connection not cleaned on return, discarded: {}", id, pool.name, e.toString());
      discard(c);
    } finally {
      if (shared) {
        state.permits.release();
      }
    }
  }

  private void discard(Connection c) {
    try {
      pool.hikari.evictConnection(c);
    } catch (RuntimeException e) {
      LOG.debug("pool={} evicting a connection failed: {}", pool.name, e.toString());
    }
  }

  @Override
  public @Nullable SQLException checkScope() {
    dev.tenantkit.core.TenantId scoped = dev.tenantkit.core.TenantContext.currentId().orElse(null);
    if (id.equals(scoped)) {
      return null;
    }
    return TenantDbException.of(Reason.WRONG_SCOPE, id, scoped == null
        ? "a connection of tenant " + id + " was used outside any tenant's scope; it is refused"
        : "a connection of tenant " + id + " was used in the scope of tenant " + scoped + "; it is refused (a"
            + " connection bound to the thread, such as a transaction's, must not outlive its tenant's scope)");
  }

  @Override
  public @Nullable SQLException checkSchema(@Nullable String schema) {
    if (mode == IsolationMode.BRIDGE && postgres && !java.util.Objects.equals(db.schema(), schema)) {
      return TenantDbException.of(Reason.TENANT_SETUP_FAILED, id,
          "tenant " + id + " may only use its own schema; setSchema to another schema is refused");
    }
    if (mode == IsolationMode.POOL) {
      return TenantDbException.of(Reason.TENANT_SETUP_FAILED, id,
          "tenant " + id + " is on shared tables; setSchema is refused");
    }
    return null;
  }

  @Override
  public @Nullable SQLException checkCatalog(@Nullable String catalog) {
    if (mode == IsolationMode.BRIDGE && !postgres && !java.util.Objects.equals(db.schema(), catalog)) {
      return TenantDbException.of(Reason.TENANT_SETUP_FAILED, id,
          "tenant " + id + " may only use its own schema; setCatalog to another one is refused");
    }
    return null;
  }

  private TenantDbException translate(SQLException e, boolean ownPool) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof TenantDbException && ((TenantDbException) t).reason() == Reason.ROLE_BYPASSES_RLS) {
        // A new connection failed the preflight: say that, not "no connection".
        return TenantDbException.of(Reason.ROLE_BYPASSES_RLS, id, "tenant " + id + ": " + t.getMessage(), e);
      }
    }
    if (ownPool && e instanceof SQLTransientConnectionException && e.getCause() == null
        && !pool.isClosed()) {
      // HikariCP's "request timed out" with no connect failure behind it: the tenant's own
      // pool is fully lent out.
      state.saturations.increment();
      return TenantDbException.of(Reason.TENANT_SATURATED, id, "tenant " + id + " uses all its "
          + state.max() + " connections and none came free in time");
    }
    // HikariCP's timeout carries the last connect failure as its cause: name it, it is what
    // someone on call needs (a refused password, no TLS, an unreachable host).
    Throwable cause = e.getCause();
    String why = cause == null || cause == e ? "" : " (last failure: " + cause.getMessage() + ")";
    return TenantDbException.connectionFailed(id, "no connection for tenant " + id + " from pool "
        + pool.name + ": " + e.getMessage() + why, e);
  }
}
