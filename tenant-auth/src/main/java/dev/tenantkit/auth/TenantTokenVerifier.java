package dev.tenantkit.auth;

import dev.tenantkit.core.spi.Durations;
import dev.tenantkit.auth.internal.DefaultTokenVerifier;
import dev.tenantkit.auth.internal.VerifierSettings;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Verifies bearer tokens against each tenant's issuer from the catalog and binds them to the
 * tenant.
 *
 * <pre>{@code
 * TenantTokenVerifier verifier = TenantTokenVerifier.builder()
 *     .catalog(catalog)
 *     .tokenUse(TokenUse.ACCESS)
 *     .build();
 * verifier.warmUp();                                      // fetch every issuer's keys at start
 * VerifiedPrincipal p = verifier.verify(token, resolvedTenantId);
 * }</pre>
 *
 * <h2>What is checked, in order</h2>
 * <ol>
 *   <li>Shape: at most {@link Builder#maxTokenBytes} (16 KiB), a compact signed JWT; no
 *       {@code jku}, {@code x5u}, {@code jwk}, {@code x5c} or {@code crit} header (nothing from
 *       the token is ever fetched); a sane {@code kid}; no duplicate claim names and no deep
 *       nesting (both refused by the claims parser).</li>
 *   <li>Issuer: the unverified {@code iss} must be a tenant's issuer in the catalog, checked
 *       before any network call.</li>
 *   <li>Algorithm: on the issuer's allow-list (RS256 by default), so {@code none} and HMAC
 *       signed with a public key are refused.</li>
 *   <li>Signature, with the issuer's keys: Cognito's {@code {issuer}/.well-known/jwks.json},
 *       other issuers' {@code jwks_uri} from OIDC discovery, or an override. A failed discovery
 *       is retried at most once per {@link Builder#discoveryRetryInterval} (doubling while it
 *       keeps failing); meanwhile tokens of that issuer are refused at once with
 *       {@code KEYS_UNAVAILABLE}.</li>
 *   <li>Time: {@code exp} required; {@code exp}, {@code nbf} and {@code iat} with
 *       {@link Builder#clockSkew} tolerance (30 s by default).</li>
 *   <li>Kind: an access token and an ID token are never interchangeable. Cognito: its
 *       {@code token_use} must be the configured {@link TokenUse}. Okta and other direct OIDC
 *       issuers: an access token is marked by {@code typ: at+jwt} or by {@code cid},
 *       {@code client_id}, {@code scp} or {@code scope}; a token with none of them is an ID
 *       token.</li>
 *   <li>Tenant: from the issuer (a silo user pool) and/or the tenant claim (a shared pool); when
 *       both exist they must agree, and they must agree with the tenant the request resolved.
 *       The tenant must be ACTIVE.</li>
 *   <li>Client and audience: {@code client_id}/{@code cid} (access) or {@code aud} (ID) must be
 *       one of the record's {@code appClientIds} (any client only where the record says
 *       {@code anyClient}); an access token's {@code aud} must hold the record's
 *       {@code audience}, which a direct OIDC issuer's record must give.</li>
 *   <li>Per call: required groups (from the record's group claim: {@code cognito:groups} for
 *       Cognito, {@code groups} otherwise) and scopes, then the custom {@link ClaimCheck}.</li>
 * </ol>
 */
public interface TenantTokenVerifier {

  /** A builder; the catalog is required. */
  static Builder builder() {
    return new Builder();
  }

  /** {@link #verify(String, TenantId, TokenRequirements)} with no groups or scopes required. */
  default VerifiedPrincipal verify(String token, @Nullable TenantId resolvedTenant) {
    return verify(token, resolvedTenant, TokenRequirements.none());
  }

  /**
   * Verifies {@code token} and binds it to {@code resolvedTenant}.
   *
   * @param token the compact JWT, without the {@code Bearer } prefix
   * @param resolvedTenant the tenant the request resolved to (subdomain, path, pinned), or null
   *     when only the token names the tenant
   * @param requirements groups and scopes this call requires
   * @throws TokenRejectedException with the reason, for any refusal
   */
  VerifiedPrincipal verify(String token, @Nullable TenantId resolvedTenant, TokenRequirements requirements);

  /**
   * Fetches every issuer's keys now, so the first requests do not wait and a misconfigured
   * issuer shows at start, and runs the verification path once on a built-in throwaway token (no
   * tenant's issuer, nothing cached), so that the first request does not load its classes. Call it
   * at start, or in a SnapStart {@code beforeCheckpoint} hook.
   *
   * @throws dev.tenantkit.core.TenantConfigurationException naming each issuer whose keys could
   *     not be located or fetched, with the cause in words (for example "the discovery document
   *     names issuer X, the record expects Y", or the key set's URL and HTTP status), and, for an
   *     access-token verifier, each direct OIDC record without an {@code audience}; the other
   *     issuers are warm
   */
  void warmUp();

  /**
   * How each issuer's signing keys are doing (for health checks), sorted by issuer; no key
   * material. Empty for an implementation that does not tell.
   */
  default java.util.List<KeySourceStatus> keySources() {
    return java.util.List.of();
  }

  /** Builds a {@link TenantTokenVerifier}. */
  final class Builder {
    private @Nullable TenantCatalog catalog;
    private TokenUse tokenUse = TokenUse.ACCESS;
    private Duration clockSkew = Duration.ofSeconds(30);
    private Duration jwksCacheTtl = Duration.ofMinutes(10);
    private Duration jwksRefreshAhead = Duration.ofSeconds(30);
    private Duration unknownKeyRefreshInterval = Duration.ofSeconds(30);
    private Duration jwksOutageTolerance = Duration.ofHours(1);
    private Duration discoveryRetryInterval = Duration.ofSeconds(30);
    private Duration httpConnectTimeout = Duration.ofSeconds(2);
    private Duration httpReadTimeout = Duration.ofSeconds(2);
    private int jwksSizeLimitBytes = 64 * 1024;
    private int maxTokenBytes = 16 * 1024;
    private int verifiedTokenCacheSize = 4_096;
    private @Nullable ClaimCheck claimCheck;
    private Clock clock = Clock.systemUTC();
    private final Map<String, URI> jwksUris = new HashMap<>();
    private final Map<String, String> jwksDocuments = new HashMap<>();
    private final Map<String, Set<String>> algorithms = new HashMap<>();

    private Builder() {}

    /** Where tenants, their issuers, app clients and tenant claims come from. Required. */
    public Builder catalog(TenantCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** Which kind of token to accept; {@link TokenUse#ACCESS} by default. */
    public Builder tokenUse(TokenUse tokenUse) {
      this.tokenUse = Objects.requireNonNull(tokenUse, "tokenUse");
      return this;
    }

    /**
     * Tolerance for clock differences on {@code exp}, {@code nbf} and {@code iat}; 30 s by
     * default, enough for EC2 and Lambda clocks (kept in sync by Amazon Time Sync) against
     * Cognito's, while keeping an expired token's extra life short. 0 to 5 minutes.
     */
    public Builder clockSkew(Duration clockSkew) {
      this.clockSkew = range("clockSkew", clockSkew, Duration.ZERO, Duration.ofMinutes(5));
      return this;
    }

    /**
     * How long fetched keys are used before they are fetched again; 10 minutes by default.
     * Cognito rotates keys rarely and announces new ones in the JWKS before signing with them.
     */
    public Builder jwksCacheTtl(Duration ttl) {
      this.jwksCacheTtl = range("jwksCacheTtl", ttl, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    /** How long before expiry the keys are refreshed in the background; 30 s by default. */
    public Builder jwksRefreshAhead(Duration refreshAhead) {
      this.jwksRefreshAhead = range("jwksRefreshAhead", refreshAhead, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /**
     * At most one key fetch per issuer per this interval for tokens whose {@code kid} is not
     * cached, so a flood of forged {@code kid}s cannot hammer the issuer; 30 s by default.
     */
    public Builder unknownKeyRefreshInterval(Duration interval) {
      this.unknownKeyRefreshInterval = range("unknownKeyRefreshInterval", interval,
          Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /**
     * How long cached keys keep verifying while the JWKS endpoint is down; 1 hour by default.
     * Longer rides out longer outages; shorter limits how long a revoked key keeps working.
     */
    public Builder jwksOutageTolerance(Duration tolerance) {
      this.jwksOutageTolerance = range("jwksOutageTolerance", tolerance, Duration.ZERO, Duration.ofDays(7));
      return this;
    }

    /**
     * After OIDC discovery (or locating an issuer's keys) failed, the next attempt for that issuer
     * waits this long, doubling with each further failure up to 10 minutes; 30 s by default, 100 ms
     * to 1 hour. Until then its tokens are refused at once with {@code KEYS_UNAVAILABLE}, so a flood
     * of tokens for an issuer whose discovery is down costs it at most one request per window.
     * Shorter recovers sooner from an outage; longer spares a struggling issuer.
     */
    public Builder discoveryRetryInterval(Duration interval) {
      this.discoveryRetryInterval = range("discoveryRetryInterval", interval, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /** Connect timeout for key and discovery fetches; 2 s by default. */
    public Builder httpConnectTimeout(Duration timeout) {
      this.httpConnectTimeout = range("httpConnectTimeout", timeout, Duration.ofMillis(50), Duration.ofMinutes(1));
      return this;
    }

    /** Read timeout for key and discovery fetches; 2 s by default. */
    public Builder httpReadTimeout(Duration timeout) {
      this.httpReadTimeout = range("httpReadTimeout", timeout, Duration.ofMillis(50), Duration.ofMinutes(1));
      return this;
    }

    /** Largest JWKS or discovery document accepted; 64 KiB by default. */
    public Builder jwksSizeLimitBytes(int bytes) {
      if (bytes < 1024 || bytes > 10 * 1024 * 1024) {
        throw new IllegalArgumentException("jwksSizeLimitBytes must be 1024 to 10485760, was " + bytes);
      }
      this.jwksSizeLimitBytes = bytes;
      return this;
    }

    /** Largest token accepted; 16 KiB by default (Cognito tokens are 1 to 4 KiB). */
    public Builder maxTokenBytes(int bytes) {
      if (bytes < 512 || bytes > 1024 * 1024) {
        throw new IllegalArgumentException("maxTokenBytes must be 512 to 1048576, was " + bytes);
      }
      this.maxTokenBytes = bytes;
      return this;
    }

    /**
     * Remembers up to this many verified tokens of 2 KiB (4,096 by default; a larger token counts
     * as more, so memory stays bounded whatever the tokens' size; keyed by their SHA-256, never
     * the token; only tokens that verified, each until it expires), so a repeated token skips
     * parsing and the signature check, most of a verification's cost. On every call, hit or not:
     * the issuer is still a tenant's with the same key source and algorithms, the key that
     * verified the signature is still in the issuer's key set, and expiry, kind, tenant binding,
     * the tenant's status, client, groups, scopes and the claim check hold. 0 turns it off (every
     * call then pays the signature check).
     */
    public Builder verifiedTokenCacheSize(int entries) {
      if (entries < 0 || entries > 1_000_000) {
        throw new IllegalArgumentException("verifiedTokenCacheSize must be 0 to 1000000, was " + entries);
      }
      this.verifiedTokenCacheSize = entries;
      return this;
    }

    /** A custom rule run after every built-in check. */
    public Builder claimCheck(ClaimCheck claimCheck) {
      this.claimCheck = Objects.requireNonNull(claimCheck, "claimCheck");
      return this;
    }

    /** The clock for time checks; the system UTC clock by default. For tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where {@code issuer}'s keys are, instead of its default location (local emulators, private
     * endpoints). A tenant record's {@code identity.jwksUri} does the same per tenant.
     */
    public Builder jwksUri(String issuer, URI jwksUri) {
      if (!dev.tenantkit.core.spi.Uris.isHttpsOrLoopbackHttp(jwksUri)) {
        throw new IllegalArgumentException("jwksUri must use https (http only for localhost): " + jwksUri);
      }
      jwksUris.put(Objects.requireNonNull(issuer, "issuer"), jwksUri);
      return this;
    }

    /** {@code issuer}'s keys as a JWKS document, never fetched (Lambda cold starts, tests). */
    public Builder jwks(String issuer, String jwksJson) {
      try {
        com.nimbusds.jose.jwk.JWKSet.parse(Objects.requireNonNull(jwksJson, "jwksJson"));
      } catch (java.text.ParseException e) {
        throw new IllegalArgumentException("the JWKS given for issuer " + issuer + " does not parse as a JWK set");
      }
      jwksDocuments.put(Objects.requireNonNull(issuer, "issuer"), Objects.requireNonNull(jwksJson, "jwksJson"));
      return this;
    }

    /** {@code issuer}'s keys from a JWKS file, read now. */
    public Builder jwksFile(String issuer, Path file) {
      try {
        return jwks(issuer, java.nio.file.Files.readString(file));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("cannot read JWKS file " + file + ": " + e.getMessage(), e);
      }
    }

    /**
     * The JWS algorithms accepted from {@code issuer}; RS256 by default (what Cognito and Okta
     * sign with). Only RSA, RSA-PSS and ECDSA algorithms can be allowed: HMAC has no public key.
     */
    public Builder allowedAlgorithms(String issuer, String... algorithmNames) {
      Set<String> names = new LinkedHashSet<>();
      for (String a : algorithmNames) {
        if (!a.matches("(RS|PS|ES)(256|384|512)")) {
          throw new IllegalArgumentException("algorithm " + a + " is not allowed; use RS/PS/ES 256/384/512");
        }
        names.add(a);
      }
      if (names.isEmpty()) {
        throw new IllegalArgumentException("at least one algorithm is required");
      }
      algorithms.put(Objects.requireNonNull(issuer, "issuer"), names);
      return this;
    }

    private static Duration range(String name, Duration value, Duration min, Duration max) {
      return Durations.requireBetween(name, value, min, max);
    }

    /** Validates and builds. */
    public TenantTokenVerifier build() {
      if (catalog == null) {
        throw new IllegalStateException("catalog is required");
      }
      if (jwksRefreshAhead.compareTo(jwksCacheTtl) >= 0) {
        throw new IllegalStateException("jwksRefreshAhead (" + jwksRefreshAhead
            + ") must be shorter than jwksCacheTtl (" + jwksCacheTtl + ")");
      }
      // nimbus refuses it too, but only at the first verification, from deep inside.
      if (unknownKeyRefreshInterval.compareTo(jwksCacheTtl) >= 0) {
        throw new IllegalStateException("unknownKeyRefreshInterval (" + unknownKeyRefreshInterval
            + ") must be shorter than jwksCacheTtl (" + jwksCacheTtl + ")");
      }
      return new DefaultTokenVerifier(new VerifierSettings(catalog, tokenUse, clockSkew,
          jwksCacheTtl, jwksRefreshAhead, unknownKeyRefreshInterval, jwksOutageTolerance,
          discoveryRetryInterval, httpConnectTimeout, httpReadTimeout, jwksSizeLimitBytes, maxTokenBytes,
          verifiedTokenCacheSize, claimCheck, clock, jwksUris, jwksDocuments, algorithms));
    }
  }
}
