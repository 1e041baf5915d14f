package dev.tenantkit.auth.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.tenantkit.auth.ClaimCheck;
import dev.tenantkit.auth.FederatedIdentity;
import dev.tenantkit.auth.TenantTokenVerifier;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.auth.TokenRequirements;
import dev.tenantkit.auth.TokenUse;
import dev.tenantkit.auth.VerifiedPrincipal;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.core.TenantId;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The verifier. See {@link TenantTokenVerifier} for the checks and their order. */
public final class DefaultTokenVerifier implements TenantTokenVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(TenantTokenVerifier.class);
  private static final DefaultJWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();
  private static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256");

  /** Everything the builder collected. */
  public record Settings(TenantCatalog catalog, TokenUse tokenUse, Duration clockSkew,
      Duration jwksCacheTtl, Duration jwksRefreshAhead, Duration unknownKeyRefreshInterval,
      Duration jwksOutageTolerance, Duration httpConnectTimeout, Duration httpReadTimeout,
      int jwksSizeLimitBytes, int maxTokenBytes, int verifiedTokenCacheSize,
      @Nullable ClaimCheck claimCheck, Clock clock, Map<String, URI> jwksUris,
      Map<String, String> jwksDocuments, Map<String, Set<String>> algorithms) {}

  /** One issuer as the catalog describes it: which tenants use it, how tenants are told apart. */
  record Issuer(String iss, boolean cognito, Set<TenantId> tenants, boolean shared, String tenantClaim,
      Set<JWSAlgorithm> algorithms, @Nullable URI jwksUri) {}

  /** What a verified token established; re-checked against the current catalog on cache hits. */
  record Verified(String iss, JWTClaimsSet claims, Instant expiresAt) {}

  private record CacheKey(long a, long b, long c, long d) {}

  private record VerifierKey(JWK jwk, JWSAlgorithm algorithm) {}

  private final Settings s;
  private volatile Map<String, Issuer> issuers = Map.of();
  private final Map<String, JWKSource<SecurityContext>> keySources = new ConcurrentHashMap<>();
  /** Issuers whose latest key fetch failed (the outage-tolerant layer may still serve old keys). */
  private final Set<String> unhealthy = ConcurrentHashMap.newKeySet();
  private final Map<CacheKey, Verified> cache = new ConcurrentHashMap<>();
  private final Map<VerifierKey, JWSVerifier> verifiers = new ConcurrentHashMap<>();

  /** Builds the issuer index and keeps it in step with the catalog. */
  public DefaultTokenVerifier(Settings settings) {
    this.s = settings;
    rebuildIssuers();
    settings.catalog().addListener(change -> rebuildIssuers());
  }

  private void rebuildIssuers() {
    Map<String, List<Tenant>> byIssuer = new HashMap<>();
    for (Tenant t : s.catalog().all()) {
      t.identity().ifPresent(id -> byIssuer.computeIfAbsent(id.issuer().toString(), k -> new ArrayList<>()).add(t));
    }
    Map<String, Issuer> next = new HashMap<>();
    byIssuer.forEach((iss, tenants) -> {
      IdentityConfig first = tenants.get(0).identity().orElseThrow();
      Set<TenantId> ids = new HashSet<>();
      boolean shared = tenants.size() > 1;
      URI jwks = null;
      for (Tenant t : tenants) {
        ids.add(t.id());
        IdentityConfig id = t.identity().orElseThrow();
        shared |= id.sharedIssuer();
        if (id.jwksUri() != null) {
          jwks = id.jwksUri();
        }
        if (!id.tenantClaim().equals(first.tenantClaim())) {
          LOG.warn("tenants of one issuer name different tenant claims; using {} issuer={}",
              first.tenantClaim(), iss);
        }
      }
      Set<JWSAlgorithm> algs = new LinkedHashSet<>();
      for (String a : s.algorithms().getOrDefault(iss, DEFAULT_ALGORITHMS)) {
        algs.add(JWSAlgorithm.parse(a));
      }
      next.put(iss, new Issuer(iss, first.isCognito(), Set.copyOf(ids), shared, first.tenantClaim(),
          Set.copyOf(algs), jwks));
    });
    Map<String, Issuer> previous = issuers;
    issuers = Map.copyOf(next);
    // A removed issuer, or one whose key location changed, must not keep serving old keys.
    previous.forEach((iss, old) -> {
      Issuer now = next.get(iss);
      if (now == null || !java.util.Objects.equals(now.jwksUri(), old.jwksUri())) {
        keySources.remove(iss);
        unhealthy.remove(iss);
      }
    });
  }

  @Override
  public VerifiedPrincipal verify(String token, @Nullable TenantId resolvedTenant, TokenRequirements requirements) {
    if (token == null || token.isEmpty()) {
      throw reject(Reason.MISSING_TOKEN, "no token");
    }
    checkShape(token);
    CacheKey key = null;
    Verified verified = null;
    if (s.verifiedTokenCacheSize() > 0) {
      key = cacheKey(token);
      verified = cache.get(key);
    }
    if (verified == null) {
      verified = verifySignedToken(token);
      if (key != null) {
        remember(key, verified);
      }
    }
    return authorize(verified, resolvedTenant, requirements);
  }

  // ---- 1. shape -------------------------------------------------------------------------------

  private void checkShape(String token) {
    if (token.length() > s.maxTokenBytes()) {
      throw reject(Reason.MALFORMED, "token is " + token.length() + " characters; the limit is " + s.maxTokenBytes());
    }
    int dots = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '.') {
        dots++;
      } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        throw reject(Reason.MALFORMED, "character outside base64url at position " + i);
      }
    }
    if (dots != 2) {
      throw reject(Reason.MALFORMED, dots == 4 ? "encrypted tokens (JWE) are not accepted"
          : "a signed JWT has three parts, this token has " + (dots + 1));
    }
  }

  // ---- 2-6. parse, issuer, algorithm, signature, time, kind --------------------------------------

  private Verified verifySignedToken(String token) {
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException | RuntimeException e) {
      throw reject(Reason.MALFORMED, "not a parseable JWT (" + e.getClass().getSimpleName() + ")");
    }
    if (parsed instanceof PlainJWT) {
      throw reject(Reason.UNSUPPORTED_ALGORITHM, "unsigned token (alg none)");
    }
    if (parsed instanceof EncryptedJWT || !(parsed instanceof SignedJWT)) {
      throw reject(Reason.MALFORMED, "only signed tokens are accepted");
    }
    SignedJWT jwt = (SignedJWT) parsed;
    JWSHeader header = jwt.getHeader();
    if (header.getJWKURL() != null) {
      throw reject(Reason.MALFORMED, "header parameter jku is not accepted");
    }
    if (header.getX509CertURL() != null) {
      throw reject(Reason.MALFORMED, "header parameter x5u is not accepted");
    }
    if (header.getJWK() != null) {
      throw reject(Reason.MALFORMED, "header parameter jwk is not accepted");
    }
    if (header.getX509CertChain() != null) {
      throw reject(Reason.MALFORMED, "header parameter x5c is not accepted");
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw reject(Reason.MALFORMED, "critical header parameters are not supported");
    }
    JOSEObjectType typ = header.getType();
    if (typ != null && !"JWT".equalsIgnoreCase(typ.getType()) && !"at+jwt".equalsIgnoreCase(typ.getType())) {
      throw reject(Reason.MALFORMED, "typ must be JWT");
    }
    String kid = header.getKeyID();
    if (kid == null || kid.isEmpty() || kid.length() > 128 || !printableAscii(kid)) {
      throw reject(Reason.MALFORMED, "kid must be 1 to 128 printable ASCII characters");
    }
    // Duplicate claim names and deep nesting: nimbus's claims parser refuses both (a ParseException
    // below); TokenAttackIntegrationTest keeps that behaviour pinned.
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw reject(Reason.MALFORMED, "claims are not a JSON object");
    }
    String iss = claims.getIssuer();
    Issuer issuer = iss == null ? null : issuers.get(iss);
    if (issuer == null) {
      // Before any network call: an unknown issuer costs nothing but this map lookup.
      throw reject(Reason.UNKNOWN_ISSUER, "issuer is not a tenant's issuer");
    }
    if (!issuer.algorithms().contains(header.getAlgorithm())) {
      throw reject(Reason.UNSUPPORTED_ALGORITHM, "alg " + header.getAlgorithm() + " is not allowed for this issuer");
    }
    verifySignature(jwt, header, issuer);
    Instant now = s.clock().instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw reject(Reason.MALFORMED, "exp is required");
    }
    checkTime(claims, exp.toInstant(), now);
    if (issuer.cognito()) {
      Object use = claims.getClaim("token_use");
      if (!s.tokenUse().claimValue().equals(use)) {
        throw reject(Reason.WRONG_TOKEN_USE, "expected a " + s.tokenUse().claimValue() + " token");
      }
    }
    return new Verified(iss, claims, exp.toInstant());
  }

  private void verifySignature(SignedJWT jwt, JWSHeader header, Issuer issuer) {
    List<JWK> keys;
    try {
      keys = keySource(issuer).get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
    } catch (RateLimitReachedException e) {
      throw reject(Reason.KEY_NOT_FOUND, "no key with this kid; key refresh is rate limited");
    } catch (KeySourceException e) {
      throw reject(Reason.KEYS_UNAVAILABLE, "issuer keys could not be fetched (" + e.getClass().getSimpleName() + ")");
    } catch (RuntimeException e) {
      throw reject(Reason.KEYS_UNAVAILABLE, "issuer keys could not be read (" + e.getClass().getSimpleName() + ")");
    }
    if (keys.isEmpty()) {
      if (unhealthy.contains(issuer.iss())) {
        throw reject(Reason.KEYS_UNAVAILABLE, "no cached key has this kid and the issuer's keys cannot be fetched");
      }
      throw reject(Reason.KEY_NOT_FOUND, "no key of the issuer has this kid");
    }
    for (JWK jwk : keys) {
      try {
        if (jwt.verify(verifierFor(jwk, header))) {
          return;
        }
      } catch (JOSEException | RuntimeException e) {
        // try the next key; a key of the wrong type for the algorithm lands here
      }
    }
    throw reject(Reason.BAD_SIGNATURE, "signature does not verify");
  }

  /**
   * Converting a JWK to a Java key (BigIntegers through a KeyFactory) costs more than a tenth of
   * an RS256 verification, so verifiers are kept per key and algorithm. Keyed by the JWK's
   * value, bounded: keys only change when an issuer rotates.
   */
  private JWSVerifier verifierFor(JWK jwk, JWSHeader header) throws JOSEException {
    VerifierKey key = new VerifierKey(jwk, header.getAlgorithm());
    JWSVerifier cached = verifiers.get(key);
    if (cached != null) {
      return cached;
    }
    List<Key> javaKeys = KeyConverter.toJavaKeys(List.of(jwk));
    if (javaKeys.isEmpty()) {
      throw new JOSEException("not a public key");
    }
    JWSVerifier verifier = VERIFIERS.createJWSVerifier(header, javaKeys.get(0));
    if (verifiers.size() > 1000) {
      verifiers.clear();
    }
    verifiers.put(key, verifier);
    return verifier;
  }

  private void checkTime(JWTClaimsSet claims, Instant exp, Instant now) {
    Duration skew = s.clockSkew();
    if (now.minus(skew).isAfter(exp)) {
      throw reject(Reason.EXPIRED, "expired at " + exp);
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
      throw reject(Reason.NOT_YET_VALID, "not valid before " + nbf.toInstant());
    }
    Date iat = claims.getIssueTime();
    if (iat != null && now.plus(skew).isBefore(iat.toInstant())) {
      throw reject(Reason.NOT_YET_VALID, "issued in the future (" + iat.toInstant() + ")");
    }
  }

  // ---- 7-9. tenant binding, client, per-call checks (also on cache hits) --------------------------

  private VerifiedPrincipal authorize(Verified v, @Nullable TenantId resolved, TokenRequirements req) {
    JWTClaimsSet claims = v.claims();
    if (s.clock().instant().minus(s.clockSkew()).isAfter(v.expiresAt())) {
      throw reject(Reason.EXPIRED, "expired at " + v.expiresAt());
    }
    Issuer issuer = issuers.get(v.iss());
    if (issuer == null) {
      throw reject(Reason.UNKNOWN_ISSUER, "issuer is no longer a tenant's issuer");
    }
    Tenant tenant = bindTenant(issuer, claims, resolved);
    IdentityConfig identity = tenant.identity().orElseThrow();
    String clientId = checkClient(claims, identity);
    Set<String> groups = stringSet(claims.getClaim("cognito:groups"));
    Set<String> scopes = scopes(claims);
    for (String g : req.groups()) {
      if (!groups.contains(g)) {
        throw reject(Reason.MISSING_GROUP, "user is not in a required group");
      }
    }
    for (String sc : req.scopes()) {
      if (!scopes.contains(sc)) {
        throw reject(Reason.MISSING_SCOPE, "token lacks a required scope");
      }
    }
    Map<String, Object> all = claims.getClaims();
    if (s.claimCheck() != null && !s.claimCheck().accept(tenant, all)) {
      throw reject(Reason.CLAIM_CHECK_FAILED, "custom claim check refused the token");
    }
    String subject = claims.getSubject() == null ? "" : claims.getSubject();
    Object username = s.tokenUse() == TokenUse.ACCESS ? claims.getClaim("username") : claims.getClaim("cognito:username");
    return new VerifiedPrincipal(tenant, subject, username instanceof String ? (String) username : subject,
        groups, scopes, s.tokenUse(), clientId, federated(claims.getClaim("identities")), v.expiresAt(),
        v.iss(), all);
  }

  private Tenant bindTenant(Issuer issuer, JWTClaimsSet claims, @Nullable TenantId resolved) {
    Object raw = claims.getClaim(issuer.tenantClaim());
    TenantId claimTenant = null;
    if (raw != null) {
      if (!(raw instanceof String) || !TenantId.isValid((String) raw)) {
        throw reject(Reason.TENANT_MISMATCH, "tenant claim is not a valid tenant id");
      }
      claimTenant = TenantId.of((String) raw);
    }
    TenantId issuerTenant = !issuer.shared() && issuer.tenants().size() == 1
        ? issuer.tenants().iterator().next() : null;
    if (issuerTenant != null && claimTenant != null && !issuerTenant.equals(claimTenant)) {
      throw reject(Reason.TENANT_MISMATCH, "tenant claim disagrees with the issuer's tenant");
    }
    TenantId tokenTenant = issuerTenant != null ? issuerTenant : claimTenant;
    if (tokenTenant == null) {
      throw reject(Reason.TENANT_MISMATCH, "token of a shared issuer carries no tenant claim");
    }
    if (!issuer.tenants().contains(tokenTenant)) {
      throw reject(Reason.TENANT_MISMATCH, "token's tenant does not use this issuer");
    }
    if (resolved != null && !resolved.equals(tokenTenant)) {
      throw reject(Reason.TENANT_MISMATCH, "token belongs to tenant " + tokenTenant
          + ", the request to tenant " + resolved);
    }
    Tenant tenant = s.catalog().find(tokenTenant).orElse(null);
    if (tenant == null || tenant.identity().isEmpty()
        || !tenant.identity().get().issuer().toString().equals(issuer.iss())) {
      throw reject(Reason.TENANT_MISMATCH, "token's tenant is no longer served by this issuer");
    }
    if (!tenant.status().isServing()) {
      throw reject(Reason.TENANT_NOT_ACTIVE, "tenant " + tokenTenant + " is " + tenant.status());
    }
    return tenant;
  }

  private @Nullable String checkClient(JWTClaimsSet claims, IdentityConfig identity) {
    Set<String> allowed = identity.appClientIds();
    if (s.tokenUse() == TokenUse.ACCESS) {
      Object client = claims.getClaim("client_id");
      if (client == null) {
        client = claims.getClaim("cid"); // Okta access tokens
      }
      String clientId = client instanceof String ? (String) client : null;
      if (!allowed.isEmpty() && (clientId == null || !allowed.contains(clientId))) {
        throw reject(Reason.WRONG_AUDIENCE, "client_id is not one of the tenant's app clients");
      }
      return clientId;
    }
    List<String> aud = claims.getAudience();
    if (allowed.isEmpty()) {
      return aud.isEmpty() ? null : aud.get(0);
    }
    for (String a : aud) {
      if (allowed.contains(a)) {
        return a;
      }
    }
    throw reject(Reason.WRONG_AUDIENCE, "aud is not one of the tenant's app clients");
  }

  private static Set<String> scopes(JWTClaimsSet claims) {
    Object scope = claims.getClaim("scope");
    if (scope instanceof String) {
      Set<String> out = new HashSet<>();
      for (String sc : ((String) scope).split(" ")) {
        if (!sc.isEmpty()) {
          out.add(sc);
        }
      }
      return out;
    }
    return stringSet(claims.getClaim("scp"));
  }

  private static Set<String> stringSet(@Nullable Object value) {
    if (!(value instanceof Collection)) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    for (Object o : (Collection<?>) value) {
      if (o instanceof String) {
        out.add((String) o);
      }
    }
    return out;
  }

  private static @Nullable FederatedIdentity federated(@Nullable Object identities) {
    if (!(identities instanceof Collection)) {
      return null;
    }
    FederatedIdentity first = null;
    for (Object o : (Collection<?>) identities) {
      if (!(o instanceof Map)) {
        continue;
      }
      Map<?, ?> m = (Map<?, ?>) o;
      Object name = m.get("providerName");
      Object type = m.get("providerType");
      Object user = m.get("userId");
      if (!(name instanceof String) || !(type instanceof String) || !(user instanceof String)) {
        continue;
      }
      boolean primary = "true".equals(String.valueOf(m.get("primary")));
      FederatedIdentity f = new FederatedIdentity((String) name, (String) type, (String) user, primary);
      if (primary) {
        return f;
      }
      if (first == null) {
        first = f;
      }
    }
    return first;
  }

  // ---- keys -----------------------------------------------------------------------------------

  private JWKSource<SecurityContext> keySource(Issuer issuer) {
    return keySources.computeIfAbsent(issuer.iss(), iss -> newKeySource(issuer));
  }

  private JWKSource<SecurityContext> newKeySource(Issuer issuer) {
    String document = s.jwksDocuments().get(issuer.iss());
    if (document != null) {
      try {
        return new ImmutableJWKSet<>(JWKSet.parse(document));
      } catch (ParseException e) {
        throw new TenantConfigurationException("the JWKS given for issuer " + issuer.iss() + " does not parse");
      }
    }
    DefaultResourceRetriever retriever = retriever();
    URL url = toUrl(jwksLocation(issuer, retriever));
    // nimbus requires refresh-ahead + refresh timeout <= time to live: a fetch may wait for the
    // HTTP timeouts, but never longer than what is left of the TTL after the refresh-ahead time.
    long ttl = s.jwksCacheTtl().toMillis();
    long refreshAhead = s.jwksRefreshAhead().toMillis();
    long refreshTimeout = Math.min(s.httpConnectTimeout().plus(s.httpReadTimeout()).toMillis(), ttl - refreshAhead);
    String iss = issuer.iss();
    // The outage-tolerant layer answers with stale keys when a fetch fails, so "kid not found"
    // alone cannot tell a forged kid from an outage. The innermost source (the HTTP fetch itself)
    // records which issuers are currently unreachable.
    URLBasedJWKSetSource<SecurityContext> http = new URLBasedJWKSetSource<>(url, retriever);
    JWKSetSource<SecurityContext> tracked = new JWKSetSource<>() {
      @Override
      public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, SecurityContext context)
          throws KeySourceException {
        try {
          JWKSet set = http.getJWKSet(evaluator, currentTime, context);
          unhealthy.remove(iss);
          return set;
        } catch (KeySourceException | RuntimeException e) {
          if (unhealthy.add(iss)) {
            LOG.warn("issuer keys could not be fetched; cached keys keep verifying issuer={} cause={}",
                iss, e.getClass().getSimpleName());
          }
          throw e;
        }
      }

      @Override
      public void close() throws IOException {
        http.close();
      }
    };
    return JWKSourceBuilder.create(tracked)
        .cache(ttl, refreshTimeout)
        .refreshAheadCache(refreshAhead, false)
        .rateLimited(s.unknownKeyRefreshInterval().toMillis())
        .outageTolerant(s.jwksOutageTolerance().toMillis())
        .retrying(false)
        .build();
  }

  private DefaultResourceRetriever retriever() {
    return new DefaultResourceRetriever((int) s.httpConnectTimeout().toMillis(),
        (int) s.httpReadTimeout().toMillis(), s.jwksSizeLimitBytes());
  }

  /** Override, tenant record, Cognito's fixed location, or OIDC discovery. */
  private URI jwksLocation(Issuer issuer, DefaultResourceRetriever retriever) {
    URI override = s.jwksUris().get(issuer.iss());
    if (override != null) {
      return override;
    }
    if (issuer.jwksUri() != null) {
      return issuer.jwksUri();
    }
    String base = issuer.iss().endsWith("/") ? issuer.iss().substring(0, issuer.iss().length() - 1) : issuer.iss();
    if (issuer.cognito()) {
      return URI.create(base + "/.well-known/jwks.json");
    }
    try {
      Resource r = retriever.retrieveResource(toUrl(URI.create(base + "/.well-known/openid-configuration")));
      Map<String, Object> doc = JSONObjectUtils.parse(r.getContent());
      if (!issuer.iss().equals(doc.get("issuer"))) {
        throw new TenantConfigurationException("OIDC discovery for " + issuer.iss() + " names another issuer");
      }
      Object jwks = doc.get("jwks_uri");
      if (!(jwks instanceof String)) {
        throw new TenantConfigurationException("OIDC discovery for " + issuer.iss() + " has no jwks_uri");
      }
      URI uri = URI.create((String) jwks);
      String host = uri.getHost() == null ? "" : uri.getHost();
      boolean loopback = host.equals("localhost") || host.startsWith("127.");
      if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
        throw new TenantConfigurationException("OIDC discovery for " + issuer.iss() + " gives a non-https jwks_uri");
      }
      return uri;
    } catch (IOException | ParseException e) {
      throw new KeysUnavailable("OIDC discovery for " + issuer.iss() + " failed (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Discovery failed: surfaces as KEYS_UNAVAILABLE for the token, and is retried next time. */
  private static final class KeysUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeysUnavailable(String message) {
      super(message, null, false, false);
    }
  }

  private static URL toUrl(URI uri) {
    try {
      return uri.toURL();
    } catch (java.net.MalformedURLException e) {
      throw new TenantConfigurationException("not a URL: " + uri);
    }
  }

  @Override
  public void warmUp() {
    List<String> failed = new ArrayList<>();
    for (Issuer issuer : issuers.values()) {
      try {
        keySource(issuer).get(new JWKSelector(new JWKMatcher.Builder().build()), null);
      } catch (KeySourceException | RuntimeException e) {
        keySources.remove(issuer.iss());
        failed.add(issuer.iss() + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    if (!failed.isEmpty()) {
      throw new TenantConfigurationException("could not fetch the keys of issuer(s): " + String.join(", ", failed));
    }
  }

  // ---- cache ----------------------------------------------------------------------------------

  private static CacheKey cacheKey(String token) {
    byte[] d;
    try {
      d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d);
    return new CacheKey(b.getLong(), b.getLong(), b.getLong(), b.getLong());
  }

  private void remember(CacheKey key, Verified v) {
    if (cache.size() >= s.verifiedTokenCacheSize()) {
      // At the bound: drop expired entries; if that is not enough, drop entries until half the
      // bound is free. Rare (only on a miss at the bound), never on the hit path.
      Instant now = s.clock().instant();
      cache.values().removeIf(e -> e.expiresAt().isBefore(now));
      Iterator<CacheKey> it = cache.keySet().iterator();
      while (cache.size() > s.verifiedTokenCacheSize() / 2 && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
    cache.put(key, v);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static TokenRejectedException reject(Reason reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }

  @Override
  public String toString() {
    return "TenantTokenVerifier[issuers=" + issuers.size() + ", tokenUse=" + s.tokenUse() + "]";
  }
}
