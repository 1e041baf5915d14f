package dev.tenantkit.auth;

import java.util.Set;

/**
 * What one call requires beyond a valid token for the tenant: groups the user must be in (read
 * from the tenant record's group claim: {@code cognito:groups} for Cognito, {@code groups} for
 * Okta and other OIDC issuers, or the record's {@code groupClaim}) and OAuth scopes the token must
 * carry ({@code scope} or {@code scp}).
 *
 * @param groups every one is required
 * @param scopes every one is required
 */
public record TokenRequirements(Set<String> groups, Set<String> scopes) {
  private static final TokenRequirements NONE = new TokenRequirements(Set.of(), Set.of());

  /** Copies the sets. */
  public TokenRequirements {
    groups = Set.copyOf(groups);
    scopes = Set.copyOf(scopes);
  }

  /** No groups, no scopes. */
  public static TokenRequirements none() {
    return NONE;
  }

  /** These groups. */
  public static TokenRequirements groups(String... groups) {
    return new TokenRequirements(Set.of(groups), Set.of());
  }

  /** These scopes. */
  public static TokenRequirements scopes(String... scopes) {
    return new TokenRequirements(Set.of(), Set.of(scopes));
  }

  /** These requirements plus {@code scopes}. */
  public TokenRequirements andScopes(String... more) {
    java.util.Set<String> all = new java.util.HashSet<>(scopes);
    all.addAll(Set.of(more));
    return new TokenRequirements(groups, all);
  }
}
