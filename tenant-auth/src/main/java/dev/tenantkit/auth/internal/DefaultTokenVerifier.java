package dev.tenantkit.auth.internal;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tenantkit.auth.TenantTokenVerifier;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.auth.TokenRequirements;
import dev.tenantkit.auth.TokenUse;
import dev.tenantkit.auth.VerifiedPrincipal;
import dev.tenantkit.auth.internal.VerifiedTokenCache.Verified;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.core.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The verifier: the ordered pipeline of {@link TenantTokenVerifier}'s Javadoc, each step in its
 * own class.
 *
 * <ol>
 *   <li>shape: {@link TokenShape}</li>
 *   <li>issuer: {@link IssuerIndex}, kept in step with the catalog by {@link CatalogIssuers}</li>
 *   <li>algorithm: the issuer's allow-list</li>
 *   <li>signature: {@link IssuerKeys} (location, discovery, cache, health) and {@link SignatureCheck}</li>
 *   <li>time: {@link TokenTimes}</li>
 *   <li>kind: {@link TokenKind}</li>
 *   <li>tenant: {@link TenantBinding}</li>
 *   <li>client and audience: {@link ClientCheck}</li>
 *   <li>per call: groups and scopes ({@link PrincipalClaims}), then the custom claim check</li>
 * </ol>
 *
 * On a {@link VerifiedTokenCache} hit, parsing and the signature check are skipped; the issuer,
 * its algorithms and the verifying key are looked up again, and steps 5 (expiry) to 9 run on
 * every call, against the current catalog.
 */
public final class DefaultTokenVerifier implements TenantTokenVerifier {
  private final VerifierSettings s;
  private final CatalogIssuers issuers;
  // Built on first use, not with the verifier: a verifier that only binds tokens API Gateway
  // verified (ApiGatewayJwtGuard) never loads the signature path's classes or its caches, which
  // is most of what building one cost a Lambda cold start.
  private volatile @Nullable SignatureCheck signatures;
  private volatile @Nullable VerifiedTokenCache cache;

  /** Builds the issuer index and keeps it in step with the catalog. */
  public DefaultTokenVerifier(VerifierSettings settings) {
    this.s = settings;
    this.issuers = new CatalogIssuers(settings);
  }

  private SignatureCheck signatures() {
    SignatureCheck check = signatures;
    if (check == null) {
      synchronized (this) {
        check = signatures;
        if (check == null) {
          check = new SignatureCheck();
          signatures = check;
        }
      }
    }
    return check;
  }

  /** The verified-token cache, or null when it is turned off. */
  private @Nullable VerifiedTokenCache cache() {
    if (s.verifiedTokenCacheSize() == 0) {
      return null;
    }
    VerifiedTokenCache c = cache;
    if (c == null) {
      synchronized (this) {
        c = cache;
        if (c == null) {
          c = new VerifiedTokenCache(s.verifiedTokenCacheSize(), s.clock(), s.clockSkew());
          cache = c;
        }
      }
    }
    return c;
  }

  @Override
  public VerifiedPrincipal verify(String token, @Nullable TenantId resolvedTenant, TokenRequirements requirements) {
    if (token == null || token.isEmpty()) {
      throw reject(Reason.MISSING_TOKEN, "no token");
    }
    if (token.length() > s.maxTokenBytes()) {
      // Before hashing or parsing anything.
      throw reject(Reason.MALFORMED, "token is " + token.length() + " characters; the limit is " + s.maxTokenBytes());
    }
    VerifiedTokenCache cache = cache();
    Verified verified = cache == null ? null : cache.get(token);
    if (verified != null && !stillVerifies(verified)) {
      verified = null; // the issuer, its algorithms or its keys changed since: verify again
    }
    boolean hit = verified != null;
    if (verified == null) {
      verified = verifySignedToken(token);
      if (cache != null) {
        cache.put(token, verified);
      }
    }
    return authorize(verified.iss(), verified.header(), verified.claims(), verified.expiresAt(), hit, resolvedTenant,
        requirements);
  }

  /**
   * For {@link dev.tenantkit.auth.ApiGatewayJwtGuard}: every step but the signature's (shape,
   * issuer, algorithm, time, kind, tenant, client, groups, scopes, claim check), for a token API
   * Gateway's JWT authorizer verified, bound to it by the claims the authorizer passed on
   * ({@link GatewayClaims}). Fetches no keys and checks no signature; the verified-token cache is
   * neither read nor filled.
   */
  public VerifiedPrincipal verifyGatewayVerified(String token, Map<String, String> gatewayClaims,
      @Nullable TenantId resolvedTenant, TokenRequirements requirements) {
    if (token == null || token.isEmpty()) {
      throw reject(Reason.MISSING_TOKEN, "no token");
    }
    if (token.length() > s.maxTokenBytes()) {
      throw reject(Reason.MALFORMED, "token is " + token.length() + " characters; the limit is " + s.maxTokenBytes());
    }
    TokenShape.Parsed t = TokenShape.parse(token, s.maxTokenBytes());
    GatewayClaims.requireSameToken(t.claims(), gatewayClaims);
    IssuerIndex.Entry entry = issuerOf(t);
    Instant expiresAt = TokenTimes.check(t.claims(), s.clock().instant(), s.clockSkew());
    TokenKind.check(entry.issuer(), t.header(), t.claims(), s.tokenUse());
    return authorize(entry.issuer().iss(), t.header(), t.claims(), expiresAt, false, resolvedTenant, requirements);
  }

  /** Steps 2 and 3: the token's issuer is a tenant's, and allows the token's algorithm. */
  private IssuerIndex.Entry issuerOf(TokenShape.Parsed t) {
    String iss = t.claims().getIssuer();
    IssuerIndex.Entry entry = iss == null ? null : issuers.current().get(iss);
    if (entry == null) {
      throw reject(Reason.UNKNOWN_ISSUER, "issuer is not a tenant's issuer");
    }
    if (!entry.issuer().algorithms().contains(t.header().getAlgorithm())) {
      throw reject(Reason.UNSUPPORTED_ALGORITHM, "alg " + t.header().getAlgorithm() + " is not allowed for this issuer");
    }
    return entry;
  }

  /** Steps 1 to 6. */
  private Verified verifySignedToken(String token) {
    TokenShape.Parsed t = TokenShape.parse(token, s.maxTokenBytes());
    IssuerIndex.Entry entry = issuerOf(t);
    List<JWK> keys = entry.keys().select(t.header());
    JWK key = signatures().verify(t, keys);
    Instant expiresAt = TokenTimes.check(t.claims(), s.clock().instant(), s.clockSkew());
    TokenKind.check(entry.issuer(), t.header(), t.claims(), s.tokenUse());
    return new Verified(entry.issuer().iss(), t.header(), t.claims(), expiresAt, entry.keys(), key);
  }

  /**
   * Whether a cached verification still holds against the current catalog and keys: the issuer
   * is still known with the same key source, still allows the algorithm, and still publishes the
   * key that verified the signature (looked up in the key source's cache, which fetches only when
   * the uncached path would).
   */
  private boolean stillVerifies(Verified v) {
    IssuerIndex.Entry now = issuers.current().get(v.iss());
    if (now == null || now.keys() != v.keys() || !now.issuer().algorithms().contains(v.header().getAlgorithm())) {
      return false;
    }
    try {
      return now.keys().select(v.header()).contains(v.key());
    } catch (TokenRejectedException e) {
      return false; // the full path gives the reason
    }
  }

  /** Steps 6 (again on a cache hit: the issuer's kind may have changed) to 9, against the current catalog. */
  private VerifiedPrincipal authorize(String iss, JWSHeader header, JWTClaimsSet claims, Instant expiresAt,
      boolean cacheHit, @Nullable TenantId resolved, TokenRequirements req) {
    TokenTimes.checkNotExpired(expiresAt, s.clock().instant(), s.clockSkew());
    IssuerIndex.Entry entry = issuers.current().get(iss);
    if (entry == null) {
      throw reject(Reason.UNKNOWN_ISSUER, "issuer is no longer a tenant's issuer");
    }
    if (cacheHit) {
      TokenKind.check(entry.issuer(), header, claims, s.tokenUse());
    }
    Tenant tenant = TenantBinding.bind(entry.issuer(), claims, resolved, s.catalog());
    IdentityConfig identity = tenant.identity().orElseThrow();
    String clientId = ClientCheck.check(claims, identity, s.tokenUse());
    Set<String> groups = PrincipalClaims.groups(claims, identity);
    for (String g : req.groups()) {
      if (!groups.contains(g)) {
        throw reject(Reason.MISSING_GROUP, "user is not in a required group");
      }
    }
    Set<String> scopes = PrincipalClaims.scopes(claims);
    for (String sc : req.scopes()) {
      if (!scopes.contains(sc)) {
        throw reject(Reason.MISSING_SCOPE, "token lacks a required scope");
      }
    }
    if (s.claimCheck() != null && !s.claimCheck().accept(tenant, claims.getClaims())) {
      throw reject(Reason.CLAIM_CHECK_FAILED, "custom claim check refused the token");
    }
    String subject = claims.getSubject() == null ? "" : claims.getSubject();
    return new VerifiedPrincipal(tenant, subject, PrincipalClaims.username(claims, identity, s.tokenUse(), subject),
        groups, scopes, s.tokenUse(), clientId, PrincipalClaims.federated(claims), expiresAt, iss,
        claims.getClaims());
  }

  @Override
  public void warmUp() {
    List<String> problems = new ArrayList<>();
    List<IssuerIndex.Entry> entries = new ArrayList<>(issuers.current().entries());
    entries.sort(Comparator.comparing(e -> e.issuer().iss()));
    for (IssuerIndex.Entry e : entries) {
      // A catalog change during warm-up: warm what serves now, never an issuer's old key source.
      IssuerIndex.Entry now = issuers.current().get(e.issuer().iss());
      if (now == null) {
        continue;
      }
      String problem = now.keys().warm();
      if (problem != null) {
        problems.add("issuer " + now.issuer().iss() + ": " + problem);
      }
    }
    try {
      // Before a SnapStart snapshot too: the first request then finds the parser, the RSA check
      // and the caches loaded. The throwaway token touches none of this verifier's state; a miss
      // in the token cache loads its lookup path without changing it.
      signatures(); // built before a snapshot, not by the first request
      if (!VerificationWarmUp.run()) {
        problems.add("the built-in test token did not verify on this JVM");
      }
      VerifiedTokenCache cache = cache();
      if (cache != null) {
        cache.get(VerificationWarmUp.TOKEN);
      }
    } catch (RuntimeException e) {
      problems.add("the built-in test token did not verify on this JVM (" + e.getClass().getSimpleName() + ")");
    }
    if (s.tokenUse() == TokenUse.ACCESS) {
      for (Tenant t : s.catalog().all()) {
        IdentityConfig id = t.identity().orElse(null);
        if (id != null && !id.isCognito() && id.audience() == null) {
          problems.add("tenant " + t.id() + ": identity.audience is not set, and access tokens of the direct OIDC"
              + " issuer " + id.issuer() + " are refused without it (Okta: the authorization server's audience,"
              + " such as api://default)");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new TenantConfigurationException("the token verifier is not ready: " + String.join("; ", problems));
    }
  }

  @Override
  public List<dev.tenantkit.auth.KeySourceStatus> keySources() {
    List<dev.tenantkit.auth.KeySourceStatus> out = new ArrayList<>();
    for (IssuerIndex.Entry e : issuers.current().entries()) {
      out.add(e.keys().status());
    }
    out.sort(Comparator.comparing(dev.tenantkit.auth.KeySourceStatus::issuer));
    return out;
  }

  private static TokenRejectedException reject(Reason reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }

  @Override
  public String toString() {
    return "TenantTokenVerifier[issuers=" + issuers.current().size() + ", tokenUse=" + s.tokenUse() + "]";
  }
}
