package dev.tenantkit.spring.security;

import dev.tenantkit.auth.TenantTokenVerifier;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.VerifiedPrincipal;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantId;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Verifies a request's bearer token with TenantKit's verifier against the tenant the request was
 * admitted to (the tenant filter's {@code TenantContext}), for
 * {@code http.oauth2ResourceServer(o -> o.authenticationManagerResolver(resolver))}. A token of
 * another tenant, or a token on a request that has no tenant (a path the tenant filter skips), is
 * refused as an invalid token (401), never bound to whichever tenant its issuer names.
 *
 * <p>Authorities: each scope as {@code SCOPE_<scope>} (Spring Security's convention, so
 * {@code hasAuthority('SCOPE_documents/read')}), and each group as the group prefix
 * ({@code ROLE_} by default, so {@code hasRole('admin')}) followed by the group.
 */
public final class TenantAuthenticationManagerResolver implements AuthenticationManagerResolver<HttpServletRequest> {
  private final TenantTokenVerifier verifier;
  private final String groupPrefix;
  private final AuthenticationManager manager = this::authenticate;

  /** Verifies with {@code verifier}; groups become {@code groupPrefix + group}. */
  public TenantAuthenticationManagerResolver(TenantTokenVerifier verifier, String groupPrefix) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.groupPrefix = Objects.requireNonNull(groupPrefix, "groupPrefix");
  }

  @Override
  public AuthenticationManager resolve(HttpServletRequest request) {
    return manager;
  }

  private TenantAuthentication authenticate(org.springframework.security.core.Authentication authentication) {
    if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
      throw new InvalidBearerTokenException("not a bearer token");
    }
    TenantId tenant = TenantContext.currentId().orElseThrow(() ->
        new InvalidBearerTokenException("this request has no tenant, so no tenant's token is accepted on it"));
    VerifiedPrincipal principal;
    try {
      principal = verifier.verify(bearer.getToken(), tenant);
    } catch (TokenRejectedException e) {
      // The reason in words (never the token), as the tenant filter's problem+json gives it.
      throw new InvalidBearerTokenException("token refused: " + e.reason(), e);
    }
    return new TenantAuthentication(principal, authorities(principal));
  }

  /** The authorities of a verified principal: its scopes and groups. */
  public List<GrantedAuthority> authorities(VerifiedPrincipal principal) {
    List<GrantedAuthority> authorities = new ArrayList<>();
    principal.scopes().stream().sorted().forEach(s -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + s)));
    principal.groups().stream().sorted().forEach(g -> authorities.add(new SimpleGrantedAuthority(groupPrefix + g)));
    return authorities;
  }
}
