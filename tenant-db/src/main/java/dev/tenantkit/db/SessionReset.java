package dev.tenantkit.db;

/**
 * Which borrows reset the PostgreSQL session before the connection is handed out
 * ({@link TenantDataSource.Builder#sessionReset}).
 *
 * <p>PostgreSQL. A shared pool (bridge and pool mode) is reset on every borrow whatever this says: there the
 * reset is part of the wall between tenants (a {@code SET ROLE}, a planted
 * {@code tenantkit.tenant_id}, a temporary table shadowing a shared one would reach another
 * tenant). A silo pool's connections serve one tenant only, on the tenant's own database (its
 * pool key carries the tenant's id), so there a reset would keep one request's session state from
 * the same tenant's next request, not one tenant from another. That is the application's own
 * hygiene, which a plain HikariCP pool leaves to the application too, and it costs one round trip
 * per borrow: by default a silo borrow sends nothing ({@link #SHARED_POOLS_ONLY});
 * {@link #EVERY_BORROW} adds the reset for applications that keep session state
 * (docs/design-db.md). MySQL sessions are not reset in any mode (bridge mode sets the tenant's
 * catalog on borrow): this setting changes nothing there.
 */
public enum SessionReset {
  /**
   * Every borrow, silo pools too. For applications that leave session state on a connection
   * between requests and rely on the next request not seeing it: a {@code SET} or
   * {@code set_config(..., false)} (for example a per-user setting read by the tenant's own
   * row-level security), a {@code SET ROLE}, a session advisory lock, a temporary table,
   * {@code LISTEN}, a cursor {@code WITH HOLD}. The silo reset is {@code DISCARD ALL}'s list
   * without {@code DEALLOCATE ALL} and {@code DISCARD PLANS}, one round trip; a connection the
   * database closed while it sat in the pool is then found and replaced at the borrow.
   */
  EVERY_BORROW,

  /**
   * Shared pools only: a silo borrow sends nothing (the default), as a plain HikariCP pool does.
   * Right for applications that keep no session state between requests: {@code SET LOCAL} or
   * {@code set_config(..., true)} inside a transaction rather than {@code SET},
   * {@code pg_advisory_xact_lock} rather than {@code pg_advisory_lock}, no temporary tables,
   * {@code LISTEN}, cursors {@code WITH HOLD} or {@code SET ROLE} left behind. Anything else one
   * request leaves on a silo connection (a setting, a role, a lock) is seen by a later request of
   * the same tenant, never by another tenant. A transaction left open is still rolled back when
   * the connection is returned, and autocommit and read-only are set back. With no round trip at
   * the borrow, a connection the database closed while it sat in the pool (a restart, a failover)
   * is not replaced before it is handed out: the application's first statement fails instead
   * (HikariCP still checks connections idle for longer than half a second, and drops one that
   * failed so), which the starter answers 503.
   */
  SHARED_POOLS_ONLY
}
