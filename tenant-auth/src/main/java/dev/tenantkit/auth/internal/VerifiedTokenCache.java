package dev.tenantkit.auth.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Remembers tokens whose shape, issuer, algorithm, signature and times were verified, keyed by
 * the token's SHA-256 (never the token), bounded by Caffeine (the tokens' total length, and each
 * entry's own expiry: the token's {@code exp} plus the clock skew). A hit skips parsing and the
 * signature; everything that depends on the current catalog, the issuer's current keys or the
 * call (issuer still known, same key source, algorithm still allowed, verifying key still
 * published, expiry, kind, tenant binding and status, client, groups, scopes, claim check) runs
 * again on every call.
 *
 * <p>The same trade as Envoy's {@code jwt_authn} cache: a hit saves the RSA check (50 to 70 us of
 * CPU a request, docs/benchmarks.md), and only tokens that verified are kept, so a flood of forged
 * tokens cannot fill it.
 */
final class VerifiedTokenCache {

  /**
   * What a verified token established, the issuer's key source and the key that verified it: a
   * hit is used only while that is still the issuer's key source (a catalog change that moves the
   * keys makes every token of the issuer verify again) and the key is still in the issuer's key
   * set (a key the issuer withdrew stops verifying cached tokens when the key set is next
   * fetched, as it would without the cache).
   */
  record Verified(String iss, JWSHeader header, JWTClaimsSet claims, Instant expiresAt, IssuerKeys keys, JWK key) {}

  /**
   * The token's SHA-256 and its length (its weight in the cache). Equality written out rather
   * than the record's, which links an invokedynamic bootstrap ({@code ObjectMethods}) on first
   * use: about 10 ms of a Lambda's first request (docs/benchmarks.md). All five components.
   */
  private record TokenHash(long a, long b, long c, long d, int length) {
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof TokenHash t && a == t.a && b == t.b && c == t.c && d == t.d && length == t.length;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(a) * 31 + length;
    }
  }

  /**
   * What one unit of the configured size stands for: a token of 2 KiB (Cognito's are 1 to 4 KiB).
   * The cache is bounded by the tokens' total length, so large tokens take more of it and its
   * memory stays bounded whatever the tokens' size (each entry holds the parsed claims too,
   * a small multiple of the token).
   */
  static final int CHARS_PER_ENTRY = 2048;

  private final Cache<TokenHash, Verified> cache;

  VerifiedTokenCache(int maximumSize, Clock clock, Duration skew) {
    this.cache = Caffeine.newBuilder().maximumWeight((long) maximumSize * CHARS_PER_ENTRY)
        .weigher((TokenHash k, Verified v) -> Math.max(1, k.length()))
        .expireAfter(new Expiry<TokenHash, Verified>() {
      @Override
      public long expireAfterCreate(TokenHash key, Verified value, long currentTime) {
        long nanos = Duration.between(clock.instant(), value.expiresAt().plus(skew)).toNanos();
        return Math.max(0, nanos);
      }

      @Override
      public long expireAfterUpdate(TokenHash key, Verified value, long currentTime, long currentDuration) {
        return expireAfterCreate(key, value, currentTime);
      }

      @Override
      public long expireAfterRead(TokenHash key, Verified value, long currentTime, long currentDuration) {
        return currentDuration;
      }
    }).build();
  }

  @Nullable Verified get(String token) {
    return cache.getIfPresent(hash(token));
  }

  void put(String token, Verified verified) {
    cache.put(hash(token), verified);
  }

  private static TokenHash hash(String token) {
    byte[] d;
    try {
      d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ByteBuffer b = ByteBuffer.wrap(d);
    return new TokenHash(b.getLong(), b.getLong(), b.getLong(), b.getLong(), token.length());
  }
}
