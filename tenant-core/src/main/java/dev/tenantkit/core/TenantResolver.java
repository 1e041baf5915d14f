package dev.tenantkit.core;

import java.util.Optional;

/**
 * Names the tenant a request claims, from one source (subdomain, path, trusted header, pinned
 * configuration, or in tenant-auth a verified token). Resolvers combine with
 * {@link TenantResolvers#firstMatch} or {@link TenantResolvers#allAgree}.
 *
 * <p>Contract: return empty when this source says nothing about the request; throw
 * {@link InvalidTenantIdException} when it names a tenant in a malformed way (a bad request,
 * not an absent tenant); throw {@link TenantMismatchException} when the source contradicts
 * itself. A resolver never checks the catalog: that is the adapter's job, once.
 */
@FunctionalInterface
public interface TenantResolver {

  /** The tenant {@code request} claims according to this source. */
  Optional<TenantId> resolve(TenantRequest request);

  /** A short name for messages, such as {@code subdomain} or {@code header:X-Tenant-Id}. */
  default String name() {
    return getClass().getSimpleName();
  }
}
