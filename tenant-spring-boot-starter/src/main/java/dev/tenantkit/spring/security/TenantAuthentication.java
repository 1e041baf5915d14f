package dev.tenantkit.spring.security;

import dev.tenantkit.auth.VerifiedPrincipal;
import dev.tenantkit.core.Tenant;
import java.util.Collection;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A request authenticated by a bearer token that TenantKit verified and bound to the request's
 * tenant. The principal is the {@link VerifiedPrincipal} (tenant, subject, groups, scopes,
 * claims), so a controller takes {@code @AuthenticationPrincipal VerifiedPrincipal user}. The
 * token itself is not kept: {@link #getCredentials()} is empty.
 */
public final class TenantAuthentication extends AbstractAuthenticationToken {
  private static final long serialVersionUID = 1L;
  private final transient VerifiedPrincipal principal;

  /** An authenticated request of {@code principal} with these authorities. */
  public TenantAuthentication(VerifiedPrincipal principal, Collection<? extends GrantedAuthority> authorities) {
    super(authorities);
    this.principal = principal;
    setAuthenticated(true);
  }

  @Override
  public VerifiedPrincipal getPrincipal() {
    return principal;
  }

  /** Empty: the token is not kept once verified. */
  @Override
  public Object getCredentials() {
    return "";
  }

  /** The tenant the token was verified for (the request's). */
  public Tenant tenant() {
    return principal.tenant();
  }

  /** The user's subject ({@code sub}). */
  @Override
  public String getName() {
    return principal.subject();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TenantAuthentication other && super.equals(o) && principal.equals(other.principal);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + principal.hashCode();
  }
}
