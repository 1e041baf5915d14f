package dev.tenantkit.core;

/**
 * A per-tenant limit the adapters (servlet filter, Lambda helper) run on each request after its
 * tenant is admitted and its {@link TenantRequestGuard} (the token) has passed, and before the
 * handler runs: for example {@link TenantLimiter}'s rate and in-flight bounds. The order is
 * fixed (resolve, catalog, guard, limiter), so a request without a valid token never spends its
 * tenant's budget.
 *
 * <p>What {@link #acquire} returns is held for the request and closed by the adapter when the
 * request ends, on every path (an asynchronous servlet request: when it completes).
 */
@FunctionalInterface
public interface TenantRequestLimiter {
  /** Held by a request while it runs; closing it more than once has no further effect. */
  @FunctionalInterface
  interface Permit extends AutoCloseable {
    /** A permit that holds nothing. */
    Permit NONE = () -> { };

    @Override
    void close();
  }

  /**
   * Admits {@code request} for {@code tenant}, or refuses it.
   *
   * @throws TenantKitException to refuse (ideally implementing {@link HttpProblem}, such as
   *     {@link TenantLimitExceededException}: 429 with {@code Retry-After})
   */
  Permit acquire(TenantRequest request, Tenant tenant);
}
