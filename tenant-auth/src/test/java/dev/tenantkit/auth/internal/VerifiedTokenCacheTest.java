package dev.tenantkit.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The cache is keyed by the token's SHA-256 and length: only the very same token finds an entry.
 * A token that differs in one character, or that is the same token with something appended, must
 * miss, or one token would be accepted on another's verification.
 */
class VerifiedTokenCacheTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  private static VerifiedTokenCache.Verified verified(String subject) {
    // The key source and key are not consulted by the cache itself.
    return new VerifiedTokenCache.Verified("https://idp.example/pool", new JWSHeader(JWSAlgorithm.RS256),
        new JWTClaimsSet.Builder().subject(subject).build(), NOW.plusSeconds(3600), null, null);
  }

  @Test
  void onlyTheSameTokenHits() {
    VerifiedTokenCache cache = new VerifiedTokenCache(100, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(60));
    String alice = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWFsaWNl";
    String mallory = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWFsaWNm"; // one character off
    cache.put(alice, verified("alice"));
    assertThat(cache.get(alice)).isNotNull();
    assertThat(cache.get(alice).claims().getSubject()).isEqualTo("alice");
    assertThat(cache.get(new String(alice.toCharArray()))).as("an equal string").isNotNull();
    assertThat(cache.get(mallory)).isNull();
    assertThat(cache.get(alice + "A")).isNull();
    assertThat(cache.get(alice.substring(1))).isNull();
    cache.put(mallory, verified("mallory"));
    assertThat(cache.get(alice).claims().getSubject()).isEqualTo("alice");
    assertThat(cache.get(mallory).claims().getSubject()).isEqualTo("mallory");
  }

  @Test
  void anExpiredEntryIsGone() {
    VerifiedTokenCache cache = new VerifiedTokenCache(100, Clock.fixed(NOW.plusSeconds(3600 + 61), ZoneOffset.UTC),
        Duration.ofSeconds(60));
    String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2ln";
    cache.put(token, verified("bob"));
    assertThat(cache.get(token)).isNull();
  }
}
