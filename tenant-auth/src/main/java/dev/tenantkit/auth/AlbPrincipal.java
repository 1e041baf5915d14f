package dev.tenantkit.auth;

import java.time.Instant;
import java.util.Map;

/**
 * The user an Application Load Balancer authenticated, from a verified {@code x-amzn-oidc-data}
 * header.
 *
 * @param subject the {@code sub} claim
 * @param issuer the identity provider ({@code iss})
 * @param expiresAt the {@code exp} claim
 * @param claims every claim, read-only
 */
public record AlbPrincipal(String subject, String issuer, Instant expiresAt, Map<String, Object> claims) {
  /** Copies the claims. */
  public AlbPrincipal {
    claims = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims));
  }

  /** Never prints claims. */
  @Override
  public String toString() {
    return "AlbPrincipal[subject=" + subject + ", expiresAt=" + expiresAt + "]";
  }
}
