package dev.tenantkit.db.internal;

import dev.tenantkit.core.DatabaseConfig.DatabaseEngine;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.db.RowLevelSecurity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGStatement;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * What a borrow runs on a pooled connection before it is handed out, and what a return runs: the
 * one place that knows how a connection is made clean and made the tenant's.
 *
 * <p>PostgreSQL, bridge and pool mode (a pool shared by tenants): {@code DISCARD ALL} on borrow,
 * which drops whatever the previous borrower (another tenant, perhaps) left in the session:
 * temporary tables, the current role and session authorization, every {@code SET} and
 * {@code set_config}, prepared statements, {@code LISTEN} registrations, advisory locks, held
 * cursors, cached plans and sequence state. The tenant's setting follows in the same statement
 * ({@code DISCARD ALL; SELECT set_config(?, ?, false)}); the driver sends both in one message
 * batch with one sync, so the whole set-up is one round trip. The value {@code set_config}
 * returns is checked; any failure discards the connection (fail closed).
 *
 * <p>Silo mode (a pool only this tenant's requests ever borrow from): nothing by default
 * ({@link dev.tenantkit.db.SessionReset#SHARED_POOLS_ONLY}); with
 * {@link dev.tenantkit.db.SessionReset#EVERY_BORROW}, the same reset except
 * {@code DEALLOCATE ALL} and {@code DISCARD PLANS}, so the driver's server-side prepared
 * statements and their plans survive the borrow. Dropping them made every query after a borrow
 * parse and plan again, about half of the data layer's cost under load (docs/design-db.md). A
 * statement planted by a borrower of a silo pool can reach only the same tenant's later
 * requests, on the tenant's own database.
 *
 * <p>Without the silo reset the borrow sends nothing; the return still ends an open transaction
 * and sets autocommit and read-only back.
 *
 * <p>Why on borrow and not on return (docs/design-db.md): one round trip per borrow in total
 * instead of two, and the reset runs right before the connection is handed out, so nothing that
 * touched it while it sat in the pool can reach the borrower. A return only ends a transaction the
 * borrower left open (known from the driver's own state, no round trip in the common case), so an
 * idle pooled connection never holds row locks. A session-level advisory lock leaked by a
 * borrower is released at the connection's next borrow that resets (on a silo pool without
 * {@code EVERY_BORROW}: when the connection is closed); use {@code pg_advisory_xact_lock}, which
 * the return's rollback releases.
 *
 * <p>MySQL: bridge mode sets the tenant's catalog on borrow and the pool's own database on
 * return. No session reset is run for MySQL (see docs/design-db.md: not testable here).
 */
final class SessionSetup {
  /**
   * {@code DISCARD ALL} without {@code DEALLOCATE ALL} and {@code DISCARD PLANS}: one simple query,
   * one round trip, run as one implicit transaction (a failure leaves nothing half reset, and
   * discards the connection).
   */
  static final String SILO_RESET_SQL = "CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; UNLISTEN *; "
      + "SELECT pg_catalog.pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES";
  // pg_catalog-qualified: a set_config of the borrower's own in a schema on the search path (set
  // as a role default, which DISCARD ALL restores) must not answer for the real one.
  private static final String RESET_AND_SET_SQL = "DISCARD ALL; SELECT pg_catalog.set_config(?, ?, false)";

  private final boolean postgres;
  // PostgreSQL silo pools: whether the borrow resets (SessionReset.EVERY_BORROW: yes; the default, no).
  private final boolean siloReset;
  // PostgreSQL: the setting set after the reset (null in silo mode), and its value.
  private final @Nullable String setting;
  private final @Nullable String value;
  // MySQL bridge: the tenant's catalog, and the database the pool's connections belong to.
  private final @Nullable String mysqlCatalog;
  private final String mysqlHome;

  /**
   * @param reset whether the borrow resets the session; only a silo pool may be given false (a
   *     shared pool's reset and setting are one statement, always sent)
   */
  SessionSetup(DatabaseConfig db, String tenantId, boolean reset) {
    this.postgres = db.engine() == DatabaseEngine.POSTGRESQL;
    this.siloReset = reset;
    this.mysqlHome = db.database();
    if (postgres && db.isolation() == IsolationMode.POOL) {
      setting = RowLevelSecurity.TENANT_SETTING;
      value = tenantId;
    } else if (postgres && db.isolation() == IsolationMode.BRIDGE) {
      setting = "search_path";
      // A quoted identifier as the setting's value, passed as a bind parameter: no SQL is built
      // from the schema name.
      value = Jdbc.quoteIdentifier(java.util.Objects.requireNonNull(db.schema())); // required for BRIDGE
    } else {
      setting = null;
      value = null;
    }
    this.mysqlCatalog = !postgres && db.isolation() == IsolationMode.BRIDGE ? db.schema() : null;
  }

  /** Makes {@code c} clean and the tenant's; throws when that cannot be confirmed. */
  void onBorrow(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      // Never seen through TenantKit's return (which restores it); refuse rather than reset
      // inside a transaction the driver would open.
      throw new SQLException("the pooled connection is not in autocommit mode", "TK007");
    }
    if (!postgres) {
      if (mysqlCatalog != null) {
        c.setCatalog(mysqlCatalog); // MySQL: a schema is a catalog; the driver quotes it
      }
      return;
    }
    if (setting == null) {
      if (!siloReset) {
        return; // SessionReset.SHARED_POOLS_ONLY (the default): the silo borrow sends nothing
      }
      try (Statement s = c.createStatement()) {
        s.execute(SILO_RESET_SQL);
      }
      return;
    }
    try (PreparedStatement s = c.prepareStatement(RESET_AND_SET_SQL)) {
      // Never a named server-side statement: DISCARD ALL deallocates every prepared statement,
      // including one the driver would reuse for the set_config half of this very batch.
      s.unwrap(PGStatement.class).setPrepareThreshold(0);
      s.setString(1, setting);
      s.setString(2, value);
      boolean isResultSet = s.execute();
      while (!isResultSet) {
        if (s.getUpdateCount() == -1) {
          throw new SQLException("the database returned no result for set_config of " + setting, "TK007");
        }
        isResultSet = s.getMoreResults();
      }
      try (ResultSet rs = s.getResultSet()) {
        // set_config returns the value now in force: check it, rather than trust the call.
        if (!rs.next() || !java.util.Objects.equals(value, rs.getString(1))) {
          throw new SQLException("the database did not take " + setting, "TK007");
        }
      }
    }
  }

  /**
   * Ends what the borrower left open before the connection goes back to the pool: a transaction
   * (begun through JDBC or in raw SQL), and for MySQL bridge mode the catalog. No round trip when
   * nothing is open.
   */
  void onReturn(Connection c) throws SQLException {
    if (postgres && c.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
      try (Statement s = c.createStatement()) {
        s.execute("ROLLBACK");
      }
    }
    // Driver state a borrower may have changed on the raw connection (through unwrap), where
    // the pool does not see it: read from the driver and set back through the pool's proxy, so
    // the next borrower starts in autocommit and read-write. No round trip: both are client-side.
    if (!c.getAutoCommit()) {
      if (!postgres) {
        c.rollback();
      }
      c.setAutoCommit(true);
    }
    if (c.isReadOnly()) {
      c.setReadOnly(false);
    }
    if (mysqlCatalog != null) {
      c.setCatalog(mysqlHome);
    }
  }
}
