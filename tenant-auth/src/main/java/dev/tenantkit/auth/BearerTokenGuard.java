package dev.tenantkit.auth;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantRequest;
import dev.tenantkit.core.TenantRequestGuard;
import java.util.List;
import java.util.Objects;

/**
 * Plugs a {@link TenantTokenVerifier} into tenant-core's servlet filter and Lambda helper: reads
 * {@code Authorization: Bearer <token>}, verifies it bound to the request's tenant, and hands the
 * {@link VerifiedPrincipal} to the handler (servlet request attribute
 * {@code dev.tenantkit.principal}).
 *
 * <pre>{@code
 * TenantFilter.builder()
 *     .resolver(TenantResolvers.subdomain("{tenant}.app.example.com"))
 *     .catalog(catalog)
 *     .guard(BearerTokenGuard.of(verifier))
 *     .build();
 * }</pre>
 *
 * <p>Refusals: no or unusable Authorization header 401 {@code WWW-Authenticate: Bearer}; a bad
 * token 401 {@code error="invalid_token"}; a missing group or scope 403
 * {@code error="insufficient_scope"}; another tenant's token 403.
 */
public final class BearerTokenGuard implements TenantRequestGuard {
  private final TenantTokenVerifier verifier;
  private final TokenRequirements requirements;

  private BearerTokenGuard(TenantTokenVerifier verifier, TokenRequirements requirements) {
    this.verifier = verifier;
    this.requirements = requirements;
  }

  /** A guard that requires a valid token of the request's tenant. */
  public static BearerTokenGuard of(TenantTokenVerifier verifier) {
    return new BearerTokenGuard(Objects.requireNonNull(verifier, "verifier"), TokenRequirements.none());
  }

  /** The same guard, also requiring these groups and scopes. */
  public BearerTokenGuard requiring(TokenRequirements requirements) {
    return new BearerTokenGuard(verifier, Objects.requireNonNull(requirements, "requirements"));
  }

  @Override
  public VerifiedPrincipal check(TenantRequest request, Tenant tenant) {
    return verifier.verify(bearerToken(request), tenant.id(), requirements);
  }

  /** The token of the request's one {@code Authorization: Bearer} header, without the prefix. */
  static String bearerToken(TenantRequest request) {
    List<String> values = request.headers("authorization");
    if (values.isEmpty()) {
      throw new TokenRejectedException(TokenRejectedException.Reason.MISSING_TOKEN, "no Authorization header");
    }
    if (values.size() > 1) {
      throw new TokenRejectedException(TokenRejectedException.Reason.MALFORMED, "more than one Authorization header");
    }
    String value = values.get(0);
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new TokenRejectedException(TokenRejectedException.Reason.MISSING_TOKEN, "Authorization is not a Bearer token");
    }
    return value.substring(7).trim();
  }
}
