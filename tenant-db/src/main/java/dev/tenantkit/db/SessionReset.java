package dev.tenantkit.db;

/**
 * Which borrows reset the PostgreSQL session before the connection is handed out
 * ({@link TenantDataSource.Builder#sessionReset}).
 *
 * <p>A shared pool (bridge and pool mode) is reset on every borrow whatever this says: there the
 * reset is part of the wall between tenants (a {@code SET ROLE}, a planted
 * {@code tenantkit.tenant_id}, a temporary table shadowing a shared one would reach another
 * tenant). A silo pool's connections serve one tenant only, on the tenant's own database, so
 * there the reset keeps one request's session state from the same tenant's next request, not one
 * tenant from another; it costs one round trip per borrow (docs/design-db.md).
 */
public enum SessionReset {
  /** Every borrow, silo pools too (the default). */
  EVERY_BORROW,

  /**
   * Shared pools only: a silo borrow sends nothing. For applications that keep no session state
   * between requests: {@code SET LOCAL} or {@code set_config(..., true)} inside a transaction
   * rather than {@code SET}, {@code pg_advisory_xact_lock} rather than {@code pg_advisory_lock},
   * no temporary tables, {@code LISTEN}, cursors {@code WITH HOLD} or {@code SET ROLE} left
   * behind. Anything else one request leaves on a connection (a setting, a role, a lock) is seen
   * by a later request of the same tenant. A transaction left open is still rolled back when the
   * connection is returned. With no round trip at the borrow, a connection the database closed
   * while it sat in the pool (a restart, a failover) is no longer replaced before it is handed
   * out: the application's first statement fails instead (HikariCP still checks connections idle
   * for longer than half a second), which the starter answers 503.
   */
  SHARED_POOLS_ONLY
}
