package dev.tenantkit.core;

/**
 * An open tenant scope: while open, {@link TenantContext#current()} on this thread is
 * {@link #tenant()} and the MDC holds {@code tenant.id} and {@code tenant.tier}. Use it in
 * try-with-resources.
 */
public interface TenantScope extends AutoCloseable {

  /** The tenant this scope is for. */
  Tenant tenant();

  /**
   * Restores exactly the context (tenant and MDC) that was current when the scope opened.
   * Idempotent. Closing out of order (an inner scope still open) also closes the inner scopes,
   * restores this scope's predecessor, and then throws {@link TenantScopeException}, so a bug
   * never leaves a tenant on the thread. Closing on another thread throws and changes nothing.
   */
  @Override
  void close();
}
