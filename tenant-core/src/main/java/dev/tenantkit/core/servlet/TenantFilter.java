package dev.tenantkit.core.servlet;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantRequest;
import dev.tenantkit.core.TenantRequestGuard;
import dev.tenantkit.core.TenantRequestLimiter;
import dev.tenantkit.core.TenantResolver;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.core.internal.Problem;
import dev.tenantkit.core.internal.TenantAdmission;
import dev.tenantkit.core.internal.ServletTenantRequest;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Resolves each request's tenant, checks the catalog, and runs the rest of the filter chain in
 * the tenant's {@link TenantContext} scope, which is closed when the chain returns or throws.
 *
 * <p>Refusals are answered as RFC 9457 {@code application/problem+json} without internal
 * detail: no tenant named 400, invalid tenant id 400, unknown tenant 404, tenant not active 403,
 * sources disagree 403; a refusal from the {@link TenantRequestGuard} that implements
 * {@link dev.tenantkit.core.HttpProblem} with its own status and headers (401 with
 * {@code WWW-Authenticate} for a bad token, say). The request attribute {@link #TENANT_ATTRIBUTE} holds the tenant for
 * frameworks that prefer attributes.
 *
 * <p>Asynchronous servlet processing continues on other threads without the scope: propagate it
 * with {@link TenantContext#wrap(Runnable)}.
 */
public final class TenantFilter implements Filter {
  /** Request attribute holding the resolved {@link Tenant}. */
  public static final String TENANT_ATTRIBUTE = "dev.tenantkit.tenant";
  /** Request attribute holding what the {@link TenantRequestGuard} returned (a verified principal). */
  public static final String PRINCIPAL_ATTRIBUTE = "dev.tenantkit.principal";

  private final TenantAdmission admission;
  private final Set<String> skipPaths;
  private final @Nullable Predicate<TenantRequest> skip;

  private TenantFilter(Builder b) {
    this.admission = new TenantAdmission(Objects.requireNonNull(b.resolver), Objects.requireNonNull(b.catalog), b.guard,
        b.limiter);
    this.skipPaths = Set.copyOf(b.skipPaths);
    this.skip = b.skip;
  }

  /**
   * What the guard returned for {@code request} (with {@code BearerTokenGuard}: its
   * {@code VerifiedPrincipal}) when the filter admitted it and it is a {@code type}: the typed
   * accessor for code without Spring Security, as
   * {@code TenantFilter.principal(request, VerifiedPrincipal.class)}. Empty for a request the filter
   * skipped or admitted without a guard.
   */
  public static <T> java.util.Optional<T> principal(jakarta.servlet.ServletRequest request, Class<T> type) {
    Object p = request.getAttribute(PRINCIPAL_ATTRIBUTE);
    return type.isInstance(p) ? java.util.Optional.of(type.cast(p)) : java.util.Optional.empty();
  }

  /** The tenant the filter admitted {@code request} to; empty for a request it skipped. */
  public static java.util.Optional<Tenant> tenant(jakarta.servlet.ServletRequest request) {
    Object t = request.getAttribute(TENANT_ATTRIBUTE);
    return t instanceof Tenant tenant ? java.util.Optional.of(tenant) : java.util.Optional.empty();
  }

  /** A builder; resolver and catalog are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
      chain.doFilter(req, res);
      return;
    }
    HttpServletRequest http = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    TenantRequest view = new ServletTenantRequest(http);
    if (skipPaths.contains(view.path()) || (skip != null && skip.test(view))) {
      chain.doFilter(req, res);
      return;
    }
    TenantAdmission.Outcome outcome = admission.admit(view);
    Tenant tenant = outcome.tenant();
    if (tenant == null) {
      writeProblem(response, java.util.Objects.requireNonNull(outcome.problem()));
      return;
    }
    Object principal = outcome.principal();
    http.setAttribute(TENANT_ATTRIBUTE, tenant);
    if (principal != null) {
      http.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
    }
    TenantRequestLimiter.Permit permit = outcome.permit();
    boolean async = false;
    try (TenantScope ignored = TenantContext.open(tenant)) {
      chain.doFilter(req, res);
      if (http.isAsyncStarted()) {
        // The request goes on after this thread returns: it holds its permit until it completes.
        try {
          http.getAsyncContext().addListener(new ReleaseOnCompletion(permit));
          async = true;
        } catch (IllegalStateException completedMeanwhile) {
          // Another thread completed it between the two calls: released below, as for a plain request.
        }
      }
    } finally {
      if (!async) {
        permit.close();
      }
      http.removeAttribute(TENANT_ATTRIBUTE);
      http.removeAttribute(PRINCIPAL_ATTRIBUTE);
    }
  }

  /** Closes an asynchronous request's permit when it completes, times out or fails. */
  private static final class ReleaseOnCompletion implements AsyncListener {
    private final TenantRequestLimiter.Permit permit;

    ReleaseOnCompletion(TenantRequestLimiter.Permit permit) {
      this.permit = permit;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      permit.close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      permit.close();
    }

    @Override
    public void onError(AsyncEvent event) {
      permit.close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this); // a restarted async cycle keeps the listener
    }
  }

  static void writeProblem(HttpServletResponse response, Problem problem) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(problem.status());
    response.setContentType(Problem.CONTENT_TYPE);
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    problem.headers().forEach(response::setHeader);
    byte[] body = problem.json().getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** Builds a {@link TenantFilter}. */
  public static final class Builder {
    private @Nullable TenantResolver resolver;
    private @Nullable TenantCatalog catalog;
    private final Set<String> skipPaths = new LinkedHashSet<>();
    private @Nullable Predicate<TenantRequest> skip;
    private @Nullable TenantRequestGuard guard;
    private @Nullable TenantRequestLimiter limiter;

    private Builder() {}

    /**
     * A check run on each request once its tenant is known and ACTIVE, such as tenant-auth's
     * bearer-token verification. None by default.
     */
    public Builder guard(TenantRequestGuard guard) {
      this.guard = Objects.requireNonNull(guard, "guard");
      return this;
    }

    /**
     * Per-tenant limits ({@link dev.tenantkit.core.TenantLimiter}), run after the guard: a
     * refused request is answered 429 with {@code Retry-After}.
     */
    public Builder limiter(TenantRequestLimiter limiter) {
      this.limiter = Objects.requireNonNull(limiter, "limiter");
      return this;
    }

    /** Names the tenant of each request. Required. */
    public Builder resolver(TenantResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** Checks the tenant exists and is active. Required. */
    public Builder catalog(TenantCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * Exact request paths served without a tenant, such as the load balancer's health check
     * ({@code /health}). Nothing is skipped by default.
     */
    public Builder skipPaths(String... paths) {
      for (String p : paths) {
        if (p == null || !p.startsWith("/")) {
          throw new IllegalArgumentException("skip paths must start with '/': " + p);
        }
        skipPaths.add(p);
      }
      return this;
    }

    /** Requests served without a tenant, for cases {@link #skipPaths} cannot express. */
    public Builder skip(Predicate<TenantRequest> skip) {
      this.skip = Objects.requireNonNull(skip, "skip");
      return this;
    }

    /** Builds the filter. */
    public TenantFilter build() {
      if (resolver == null) {
        throw new IllegalStateException("resolver is required");
      }
      if (catalog == null) {
        throw new IllegalStateException("catalog is required");
      }
      return new TenantFilter(this);
    }
  }
}
