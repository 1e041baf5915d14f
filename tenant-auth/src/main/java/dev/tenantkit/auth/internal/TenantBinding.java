package dev.tenantkit.auth.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * Step 7: which tenant the token belongs to, and that it is the request's and is served.
 *
 * <ul>
 *   <li>a silo issuer (one tenant, not marked shared) names the tenant; a tenant claim, if
 *       present, must agree;</li>
 *   <li>a shared issuer needs the tenant claim, naming a tenant that uses this issuer (so a
 *       shared-pool token cannot claim a silo tenant);</li>
 *   <li>either way the token's tenant must equal the tenant the request resolved, its current
 *       record must still name this issuer (read from the catalog now, also on cache hits), and it
 *       must be served ({@code isServing()}: ACTIVE, or UPDATING while onboarding re-runs).</li>
 * </ul>
 */
final class TenantBinding {
  private TenantBinding() {}

  static Tenant bind(Issuer issuer, JWTClaimsSet claims, @Nullable TenantId resolved, TenantCatalog catalog) {
    Object raw = claims.getClaim(issuer.tenantClaim());
    TenantId claimTenant = null;
    if (raw != null) {
      if (!(raw instanceof String) || !TenantId.isValid((String) raw)) {
        throw reject(Reason.TENANT_MISMATCH, "tenant claim is not a valid tenant id");
      }
      claimTenant = TenantId.of((String) raw);
    }
    TenantId issuerTenant = !issuer.shared() && issuer.tenants().size() == 1
        ? issuer.tenants().iterator().next() : null;
    if (issuerTenant != null && claimTenant != null && !issuerTenant.equals(claimTenant)) {
      throw reject(Reason.TENANT_MISMATCH, "tenant claim disagrees with the issuer's tenant");
    }
    TenantId tokenTenant = issuerTenant != null ? issuerTenant : claimTenant;
    if (tokenTenant == null) {
      throw reject(Reason.TENANT_MISMATCH, "token of a shared issuer carries no tenant claim");
    }
    if (!issuer.tenants().contains(tokenTenant)) {
      throw reject(Reason.TENANT_MISMATCH, "token's tenant does not use this issuer");
    }
    if (resolved != null && !resolved.equals(tokenTenant)) {
      throw reject(Reason.TENANT_MISMATCH, "token belongs to tenant " + tokenTenant
          + ", the request to tenant " + resolved);
    }
    Tenant tenant = catalog.find(tokenTenant).orElse(null);
    IdentityConfig identity = tenant == null ? null : tenant.identity().orElse(null);
    if (tenant == null || identity == null || !identity.issuer().toString().equals(issuer.iss())) {
      throw reject(Reason.TENANT_MISMATCH, "token's tenant is no longer served by this issuer");
    }
    if (!tenant.status().isServing()) {
      throw reject(Reason.TENANT_NOT_ACTIVE, "tenant " + tokenTenant + " is " + tenant.status());
    }
    return tenant;
  }

  private static TokenRejectedException reject(Reason reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }
}
