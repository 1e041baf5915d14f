package dev.tenantkit.core;

import org.jspecify.annotations.Nullable;

/**
 * A check the adapters run on each request after its tenant is resolved and found ACTIVE, and
 * before the handler runs in the tenant's scope: for example tenant-auth's bearer-token
 * verification, which binds the token to the tenant.
 *
 * <p>Return what the handler may want (a verified principal), or null; throw a
 * {@link TenantKitException} (ideally one implementing {@link HttpProblem}) to refuse the request.
 */
@FunctionalInterface
public interface TenantRequestGuard {
  /**
   * Checks {@code request} for {@code tenant}.
   *
   * @return an object the adapter exposes to the handler (servlet request attribute
   *     {@code dev.tenantkit.principal}), or null
   */
  @Nullable Object check(TenantRequest request, Tenant tenant);
}
