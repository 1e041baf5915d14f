package dev.tenantkit.core.internal;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantKitException;
import dev.tenantkit.core.TenantRequest;
import dev.tenantkit.core.TenantRequestGuard;
import dev.tenantkit.core.TenantRequestLimiter;
import dev.tenantkit.core.TenantResolver;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision every adapter makes for a request, in one place and in a fixed order: resolve the
 * tenant, require it from the catalog (exists, ACTIVE), run the guard (the token), then the
 * limiter; or refuse with the problem to answer.
 */
public final class TenantAdmission {
  private static final Logger LOG = LoggerFactory.getLogger(TenantAdmission.class);

  private final TenantResolver resolver;
  private final TenantCatalog catalog;
  private final @Nullable TenantRequestGuard guard;
  private final @Nullable TenantRequestLimiter limiter;

  /** Admits with these parts; {@code guard} and {@code limiter} may be null. */
  public TenantAdmission(TenantResolver resolver, TenantCatalog catalog, @Nullable TenantRequestGuard guard,
      @Nullable TenantRequestLimiter limiter) {
    this.resolver = resolver;
    this.catalog = catalog;
    this.guard = guard;
    this.limiter = limiter;
  }

  /**
   * The outcome for one request: {@code tenant} (and the guard's {@code principal}, and the
   * limiter's {@code permit}, which the adapter closes when the request ends) when admitted,
   * {@code problem} when refused.
   */
  public record Outcome(@Nullable Tenant tenant, @Nullable Object principal, @Nullable Problem problem,
      TenantRequestLimiter.Permit permit) {}

  /** Decides {@code request}. Never throws a {@link TenantKitException}: refusals are outcomes. */
  public Outcome admit(TenantRequest request) {
    try {
      Optional<TenantId> id = resolver.resolve(request);
      if (id.isEmpty()) {
        LOG.debug("request refused reason=tenant-required path={}", SafeText.quote(request.path()));
        return new Outcome(null, null, Problem.TENANT_REQUIRED, TenantRequestLimiter.Permit.NONE);
      }
      Tenant tenant = catalog.require(id.get());
      Object principal = guard == null ? null : guard.check(request, tenant);
      TenantRequestLimiter.Permit permit = limiter == null ? TenantRequestLimiter.Permit.NONE
          : limiter.acquire(request, tenant);
      return new Outcome(tenant, principal, null, permit);
    } catch (TenantKitException e) {
      Problem problem = Problem.of(e);
      LOG.debug("request refused reason={} cause={}", problem.code(), e.getMessage());
      return new Outcome(null, null, problem, TenantRequestLimiter.Permit.NONE);
    }
  }
}
