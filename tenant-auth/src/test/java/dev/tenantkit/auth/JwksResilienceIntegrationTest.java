package dev.tenantkit.auth;

import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.assertRejected;
import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.auth.TokenRejectedException.Reason;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Key fetching under abuse and outage, against the real local issuer. */
class JwksResilienceIntegrationTest {
  AuthFixtures f;

  @BeforeEach
  void start() {
    f = new AuthFixtures();
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void unknownKidFlood_atMostOneFetchPerWindow() {
    TenantTokenVerifier v = f.verifier().build(); // window: 30 s by default
    v.verify(f.acmePool.accessToken().sign(), id("acme"));
    int afterWarm = f.acmePool.jwksFetches();
    int refused = 0;
    for (int i = 0; i < 1000; i++) {
      try {
        v.verify(TokenAttackIntegrationTest.randomKidToken(f.acmePool), id("acme"));
      } catch (TokenRejectedException e) {
        assertThat(e.reason()).isIn(Reason.KEY_NOT_FOUND);
        refused++;
      }
    }
    assertThat(refused).isEqualTo(1000);
    assertThat(f.acmePool.jwksFetches() - afterWarm).as("fetches caused by 1,000 unknown kids").isLessThanOrEqualTo(1);
    // Valid tokens keep verifying from the cache during the flood.
    assertThat(v.verify(f.acmePool.accessToken().sign(), id("acme"))).isNotNull();
  }

  @Test
  void jwksEndpointDown_cachedKeysKeepVerifying_newKidFailsAsKeysUnavailable() throws Exception {
    TenantTokenVerifier v = f.verifier()
        .jwksCacheTtl(Duration.ofSeconds(1)).jwksRefreshAhead(Duration.ofMillis(200))
        .unknownKeyRefreshInterval(Duration.ofMillis(100)).jwksOutageTolerance(Duration.ofHours(1)).build();
    v.verify(f.acmePool.accessToken().sign(), id("acme"));
    f.acmePool.setAvailable(false);
    Thread.sleep(1500); // let the cached set pass its time to live
    assertThat(v.verify(f.acmePool.accessToken().sign(), id("acme"))).as("outage tolerated").isNotNull();
    assertThat(acmeKeys(v).state()).isEqualTo(KeySourceStatus.State.UNREACHABLE);
    assertThat(acmeKeys(v).error()).isPresent();
    f.acmePool.rotateKey();
    String newKid = f.acmePool.accessToken().sign();
    Thread.sleep(200); // past the unknown-kid window
    assertRejected(() -> v.verify(newKid, id("acme")), Reason.KEYS_UNAVAILABLE);
    f.acmePool.setAvailable(true);
    Thread.sleep(200);
    assertThat(v.verify(newKid, id("acme"))).as("recovered once the endpoint is back").isNotNull();
    assertThat(acmeKeys(v).state()).isEqualTo(KeySourceStatus.State.FETCHED);
  }

  private KeySourceStatus acmeKeys(TenantTokenVerifier v) {
    return v.keySources().stream().filter(k -> k.issuer().equals(f.acmePool.issuer())).findFirst().orElseThrow();
  }

  @Test
  void jwksEndpointDownFromStart_keysUnavailable() {
    f.globexPool.setAvailable(false);
    TenantTokenVerifier v = f.verifier().build();
    assertRejected(() -> v.verify(f.globexPool.accessToken().sign(), id("globex")), Reason.KEYS_UNAVAILABLE);
  }
}
