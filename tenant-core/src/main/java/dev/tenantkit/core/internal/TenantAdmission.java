package dev.tenantkit.core.internal;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantKitException;
import dev.tenantkit.core.TenantRequest;
import dev.tenantkit.core.TenantRequestGuard;
import dev.tenantkit.core.TenantResolver;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision every adapter makes for a request, in one place: resolve the tenant, require it
 * from the catalog (exists, ACTIVE), run the guard; or refuse with the problem to answer.
 */
public final class TenantAdmission {
  private static final Logger LOG = LoggerFactory.getLogger(TenantAdmission.class);

  private final TenantResolver resolver;
  private final TenantCatalog catalog;
  private final @Nullable TenantRequestGuard guard;

  /** Admits with these parts; {@code guard} may be null. */
  public TenantAdmission(TenantResolver resolver, TenantCatalog catalog, @Nullable TenantRequestGuard guard) {
    this.resolver = resolver;
    this.catalog = catalog;
    this.guard = guard;
  }

  /**
   * The outcome for one request: {@code tenant} (and the guard's {@code principal}) when
   * admitted, {@code problem} when refused.
   */
  public record Outcome(@Nullable Tenant tenant, @Nullable Object principal, @Nullable Problem problem) {}

  /** Decides {@code request}. Never throws a {@link TenantKitException}: refusals are outcomes. */
  public Outcome admit(TenantRequest request) {
    try {
      Optional<TenantId> id = resolver.resolve(request);
      if (id.isEmpty()) {
        LOG.debug("request refused reason=tenant-required path={}", SafeText.quote(request.path()));
        return new Outcome(null, null, Problem.TENANT_REQUIRED);
      }
      Tenant tenant = catalog.require(id.get());
      Object principal = guard == null ? null : guard.check(request, tenant);
      return new Outcome(tenant, principal, null);
    } catch (TenantKitException e) {
      Problem problem = Problem.of(e);
      LOG.debug("request refused reason={} cause={}", problem.code(), e.getMessage());
      return new Outcome(null, null, problem);
    }
  }
}
