package dev.tenantkit.auth;

import dev.tenantkit.core.Tenant;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A verified token's user, bound to its tenant.
 *
 * @param tenant the tenant the token belongs to (and the request resolved, when it did)
 * @param subject the {@code sub} claim
 * @param username Cognito's {@code username} (access tokens) or {@code cognito:username} (ID
 *     tokens), another issuer's {@code preferred_username}; else the subject
 * @param groups from the record's group claim ({@code cognito:groups} for Cognito, {@code groups}
 *     otherwise)
 * @param scopes the scopes of {@code scope} (space-separated) or {@code scp}
 * @param tokenUse which kind of token it was
 * @param clientId the app client: {@code client_id} (or Okta's {@code cid}) of an access token,
 *     the audience of an ID token
 * @param federatedIdentity the primary federated identity, for a federated user
 * @param expiresAt the {@code exp} claim
 * @param issuer the {@code iss} claim
 * @param claims every claim, read-only
 */
public record VerifiedPrincipal(
    Tenant tenant,
    String subject,
    String username,
    Set<String> groups,
    Set<String> scopes,
    TokenUse tokenUse,
    @Nullable String clientId,
    @Nullable FederatedIdentity federatedIdentity,
    Instant expiresAt,
    String issuer,
    Map<String, Object> claims) {

  /** Copies the collections. */
  public VerifiedPrincipal {
    groups = Set.copyOf(groups);
    scopes = Set.copyOf(scopes);
    claims = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims));
  }

  /** The primary federated identity, if the user signed in through the customer's IdP. */
  public Optional<FederatedIdentity> federated() {
    return Optional.ofNullable(federatedIdentity);
  }

  /** Never prints claims (they may hold personal data). */
  @Override
  public String toString() {
    return "VerifiedPrincipal[tenant=" + tenant.id() + ", subject=" + subject + ", tokenUse="
        + tokenUse + ", expiresAt=" + expiresAt + "]";
  }
}
