package dev.tenantkit.auth.internal;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.auth.TokenRejectedException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 4, first half: one issuer's signing keys. Where they are (in order): a builder override,
 * the record's {@code jwksUri}, Cognito's fixed {@code {issuer}/.well-known/jwks.json}, or OIDC
 * discovery. Once located, a nimbus {@link JWKSource} caches them (TTL, refresh-ahead, one fetch
 * per window for unknown kids, outage tolerance, no retries).
 *
 * <p>Each instance belongs to one immutable {@link IssuerIndex} snapshot (and is handed on to the
 * next snapshot only while the issuer's key location is unchanged), so a verification that
 * started before a catalog change can only ever fill this instance, never the index that
 * replaced it; and its health is its own, so a fetch of an old location that fails after a move
 * cannot mark the new location down.
 *
 * <p>Locating the keys never runs at request rate: one thread at a time tries, under this
 * instance's own lock (never inside a map's compute, so nothing else waits on it), and a failure
 * is remembered with a backoff (the retry interval, doubling per consecutive failure, at most
 * 10 minutes): until then every verification is refused at once with KEYS_UNAVAILABLE.
 */
final class IssuerKeys {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);
  private static final Duration LONGEST_BACKOFF = Duration.ofMinutes(10);
  private static final JWKSelector ALL_KEYS = new JWKSelector(new JWKMatcher.Builder().build());

  private record Located(URI url, JWKSource<SecurityContext> source) {}

  private record Failure(String cause, Instant retryAt, int failures) {}

  private final Issuer issuer;
  private final VerifierSettings s;
  private final @Nullable JWKSource<SecurityContext> fixed;
  private final Object locating = new Object();
  private volatile @Nullable Located located;
  private volatile @Nullable Failure failure;
  /** Whether the latest fetch of the key set succeeded (the outage-tolerant layer may serve old keys). */
  private volatile boolean reachable = true;
  private volatile @Nullable String lastFetchProblem;
  private volatile @Nullable Instant lastFetched;

  IssuerKeys(Issuer issuer, VerifierSettings settings) {
    this.issuer = issuer;
    this.s = settings;
    String document = settings.jwksDocuments().get(issuer.iss());
    JWKSource<SecurityContext> given = null;
    if (document != null) {
      try {
        given = new ImmutableJWKSet<>(JWKSet.parse(document));
      } catch (ParseException e) {
        // The builder parses it first; a document that got here anyway is reported per token.
        failure = new Failure("the JWKS given for this issuer does not parse", Instant.MAX, 1);
      }
    }
    this.fixed = given;
  }

  /**
   * The issuer's keys that match the header's {@code kid} and algorithm; never empty.
   *
   * @throws TokenRejectedException KEY_NOT_FOUND, or KEYS_UNAVAILABLE when the keys cannot be
   *     located or fetched
   */
  List<JWK> select(JWSHeader header) {
    JWKSource<SecurityContext> source = source();
    List<JWK> keys;
    try {
      keys = source.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
    } catch (RateLimitReachedException e) {
      throw reachable ? reject(Reason.KEY_NOT_FOUND, "no key with this kid; key refresh is rate limited")
          : reject(Reason.KEYS_UNAVAILABLE, "the issuer's keys cannot be fetched; refresh is rate limited");
    } catch (KeySourceException | RuntimeException e) {
      throw reject(Reason.KEYS_UNAVAILABLE, "issuer keys could not be fetched (" + e.getClass().getSimpleName() + ")");
    }
    if (keys.isEmpty()) {
      throw reachable ? reject(Reason.KEY_NOT_FOUND, "no key of the issuer has this kid")
          : reject(Reason.KEYS_UNAVAILABLE, "no cached key has this kid and the issuer's keys cannot be fetched");
    }
    return keys;
  }

  /** Locates and fetches the keys now; null when that worked, else the cause in words. */
  @Nullable String warm() {
    JWKSource<SecurityContext> source;
    try {
      source = source();
    } catch (TokenRejectedException e) {
      Failure f = failure;
      return f == null ? e.getMessage() : f.cause();
    }
    try {
      List<JWK> keys = source.get(ALL_KEYS, null);
      if (keys.isEmpty()) {
        return "the key set" + at() + " holds no keys";
      }
      return null;
    } catch (KeySourceException | RuntimeException e) {
      String problem = lastFetchProblem;
      return "the keys" + at() + " could not be fetched: " + (problem != null ? problem : Causes.describe(e));
    }
  }

  /** How the keys are doing, for {@code TenantTokenVerifier.keySources()}. */
  dev.tenantkit.auth.KeySourceStatus status() {
    dev.tenantkit.auth.KeySourceStatus.State state;
    String problem = null;
    Located l = located;
    Failure f = failure;
    if (fixed != null) {
      state = dev.tenantkit.auth.KeySourceStatus.State.GIVEN;
    } else if (l == null && f != null) {
      state = dev.tenantkit.auth.KeySourceStatus.State.FAILED;
      problem = f.cause();
    } else if (!reachable) {
      state = lastFetched == null ? dev.tenantkit.auth.KeySourceStatus.State.FAILED
          : dev.tenantkit.auth.KeySourceStatus.State.UNREACHABLE;
      problem = lastFetchProblem;
    } else {
      state = lastFetched == null ? dev.tenantkit.auth.KeySourceStatus.State.NOT_FETCHED
          : dev.tenantkit.auth.KeySourceStatus.State.FETCHED;
    }
    return new dev.tenantkit.auth.KeySourceStatus(issuer.iss(), l == null ? null : l.url(), state, lastFetched, problem);
  }

  private String at() {
    Located l = located;
    return l == null ? "" : " at " + l.url();
  }

  private JWKSource<SecurityContext> source() {
    if (fixed != null) {
      return fixed;
    }
    Located l = located;
    if (l != null) {
      return l.source();
    }
    Failure f = failure;
    if (f != null && s.clock().instant().isBefore(f.retryAt())) {
      throw reject(Reason.KEYS_UNAVAILABLE, f.cause() + " (next attempt after " + f.retryAt() + ")");
    }
    synchronized (locating) {
      l = located;
      if (l != null) {
        return l.source();
      }
      f = failure;
      Instant now = s.clock().instant();
      if (f != null && now.isBefore(f.retryAt())) {
        throw reject(Reason.KEYS_UNAVAILABLE, f.cause() + " (next attempt after " + f.retryAt() + ")");
      }
      try {
        URI url = location();
        JWKSource<SecurityContext> source = build(url);
        located = new Located(url, source);
        failure = null;
        return source;
      } catch (KeySetupException e) {
        int failures = f == null ? 1 : f.failures() + 1;
        Instant retryAt = now.plus(backoff(failures));
        String cause = Objects.requireNonNullElse(e.getMessage(), "the issuer's keys cannot be located");
        failure = new Failure(cause, retryAt, failures);
        LOG.warn("issuer keys cannot be located issuer={} failures={} retryAt={} cause={}",
            issuer.iss(), failures, retryAt, cause);
        throw reject(Reason.KEYS_UNAVAILABLE, cause);
      }
    }
  }

  private Duration backoff(int failures) {
    Duration base = s.discoveryRetryInterval();
    Duration longest = base.compareTo(LONGEST_BACKOFF) > 0 ? base : LONGEST_BACKOFF;
    Duration d = base.multipliedBy(1L << Math.min(failures - 1, 20));
    return d.compareTo(longest) > 0 ? longest : d;
  }

  /** Override, record, Cognito's fixed location, or OIDC discovery. */
  private URI location() {
    URI override = s.jwksUris().get(issuer.iss());
    if (override != null) {
      return override;
    }
    if (issuer.jwksUri() != null) {
      return issuer.jwksUri();
    }
    if (issuer.cognito()) {
      String iss = issuer.iss();
      return URI.create((iss.endsWith("/") ? iss.substring(0, iss.length() - 1) : iss) + "/.well-known/jwks.json");
    }
    return OidcDiscovery.jwksUri(issuer.iss(), retriever());
  }

  private DefaultResourceRetriever retriever() {
    return new DefaultResourceRetriever((int) s.httpConnectTimeout().toMillis(),
        (int) s.httpReadTimeout().toMillis(), s.jwksSizeLimitBytes());
  }

  private JWKSource<SecurityContext> build(URI uri) {
    URL url;
    try {
      url = uri.toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new KeySetupException("the key set location " + uri + " is not a URL");
    }
    // nimbus requires refresh-ahead + refresh timeout <= time to live: a fetch may wait for the
    // HTTP timeouts, but never longer than what is left of the TTL after the refresh-ahead time.
    long ttl = s.jwksCacheTtl().toMillis();
    long refreshAhead = s.jwksRefreshAhead().toMillis();
    long refreshTimeout = Math.min(s.httpConnectTimeout().plus(s.httpReadTimeout()).toMillis(), ttl - refreshAhead);
    // The outage-tolerant layer answers with stale keys when a fetch fails, so "kid not found"
    // alone cannot tell a forged kid from an outage: the innermost source (the HTTP fetch itself)
    // records whether this issuer's key set is currently reachable.
    URLBasedJWKSetSource<SecurityContext> http = new URLBasedJWKSetSource<>(url, retriever());
    JWKSetSource<SecurityContext> tracked = new JWKSetSource<>() {
      @Override
      public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, SecurityContext context)
          throws KeySourceException {
        try {
          JWKSet set = http.getJWKSet(evaluator, currentTime, context);
          reachable = true;
          lastFetchProblem = null;
          lastFetched = s.clock().instant();
          return set;
        } catch (KeySourceException | RuntimeException e) {
          lastFetchProblem = Causes.describe(e);
          if (reachable) {
            reachable = false;
            LOG.warn("issuer keys could not be fetched; cached keys keep verifying issuer={} url={} cause={}",
                issuer.iss(), uri, lastFetchProblem);
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

  private static TokenRejectedException reject(Reason reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }
}
