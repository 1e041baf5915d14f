package dev.tenantkit.auth;

import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.assertRejected;
import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.testkit.LocalTokenIssuer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OIDC discovery never runs at request rate, never holds up a catalog change, and a
 * configuration error found at start names its cause. Against the real local issuer over HTTP;
 * time moves only with the test's clock.
 */
class OidcDiscoveryIntegrationTest {
  AuthFixtures f;
  AuthFixtures.MutableClock clock;

  @BeforeEach
  void start() {
    f = new AuthFixtures();
    clock = new AuthFixtures.MutableClock();
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void verify_discoveryDown_manyForgedTokens_atMostOneFetchPerWindow() {
    TenantTokenVerifier v = f.verifier().clock(clock).build(); // retry window: 30 s by default
    f.okta.setDiscoveryAvailable(false);
    for (int i = 0; i < 200; i++) {
      String forged = TokenAttackIntegrationTest.randomKidToken(f.okta);
      assertRejected(() -> v.verify(forged, id("oktaco")), Reason.KEYS_UNAVAILABLE);
    }
    assertThat(f.okta.discoveryFetches()).as("discovery requests caused by 200 tokens").isEqualTo(1);
    assertThat(f.okta.jwksFetches()).isZero();

    clock.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 50; i++) {
      assertRejected(() -> v.verify(f.okta.accessToken().sign(), id("oktaco")), Reason.KEYS_UNAVAILABLE);
    }
    assertThat(f.okta.discoveryFetches()).as("one more in the next window").isEqualTo(2);

    // Back: the next attempt (after the doubled backoff) finds the keys, and they stay found.
    f.okta.setDiscoveryAvailable(true);
    clock.advance(Duration.ofSeconds(30));
    assertRejected(() -> v.verify(f.okta.accessToken().sign(), id("oktaco")), Reason.KEYS_UNAVAILABLE);
    clock.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 5; i++) {
      assertThat(v.verify(f.okta.accessToken().sign(), id("oktaco"))).isNotNull();
    }
    assertThat(f.okta.discoveryFetches()).isEqualTo(3);
  }

  @Test
  void catalogChange_whileDiscoveryIsInFlight_doesNotWaitForIt() throws Exception {
    TenantTokenVerifier v = f.verifier().httpReadTimeout(Duration.ofSeconds(20)).build();
    LocalTokenIssuer.RequestHold hold = f.issuer.holdNextRequest(p -> p.equals(f.okta.discoveryPath()));
    CompletableFuture<Object> inFlight = CompletableFuture.supplyAsync(() -> {
      try {
        return v.verify(f.okta.accessToken().sign(), id("oktaco"));
      } catch (TokenRejectedException e) {
        return e;
      }
    });
    try {
      hold.awaitHeld();
      // Removing the tenant must not wait for the issuer's discovery to answer.
      CompletableFuture<Boolean> removal = CompletableFuture.supplyAsync(() -> f.catalog.remove(id("oktaco")));
      assertThat(removal.get(10, TimeUnit.SECONDS)).isTrue();
      assertRejected(() -> v.verify(f.okta.accessToken().sign(), id("oktaco")), Reason.UNKNOWN_ISSUER);
      assertThat(v.verify(f.acmePool.accessToken().sign(), id("acme"))).isNotNull();
    } finally {
      hold.release();
    }
    inFlight.get(30, TimeUnit.SECONDS);
  }

  @Test
  void warmUp_discoveryNamesAnotherIssuer_messageNamesBoth() {
    String elsewhere = f.okta.issuer().replace("127.0.0.1", "localhost");
    f.okta.setDiscoveryIssuer(elsewhere);
    TenantTokenVerifier v = f.verifier().build();
    assertThatThrownBy(v::warmUp)
        .isInstanceOf(TenantConfigurationException.class)
        .hasMessageContaining("the discovery document names issuer " + elsewhere)
        .hasMessageContaining("the record expects " + f.okta.issuer());
  }

  @Test
  void warmUp_keysAnswer503_messageNamesTheStatusAndUrl() {
    f.hooliPool.setAvailable(false);
    TenantTokenVerifier v = f.verifier().build();
    assertThatThrownBy(v::warmUp)
        .isInstanceOf(TenantConfigurationException.class)
        .hasMessageContaining(f.hooliPool.issuer() + f.hooliPool.jwksPath().substring(f.hooliPool.id().length() + 1))
        .hasMessageContaining("503");
  }

  @Test
  void warmUp_discoveryAnswers503_messageNamesIt() {
    f.okta.setDiscoveryAvailable(false);
    TenantTokenVerifier v = f.verifier().build();
    assertThatThrownBy(v::warmUp)
        .isInstanceOf(TenantConfigurationException.class)
        .hasMessageContaining("OIDC discovery")
        .hasMessageContaining(f.okta.issuer() + "/.well-known/openid-configuration")
        .hasMessageContaining("503");
  }

  @Test
  void warmUp_oidcRecordWithoutAudience_namesTheField() {
    f.catalog.put(dev.tenantkit.testkit.TestTenants.tenant("oktaco")
        .identity(f.okta.identity().audience(null).build()).build());
    TenantTokenVerifier v = f.verifier().build();
    assertThatThrownBy(v::warmUp)
        .isInstanceOf(TenantConfigurationException.class)
        .hasMessageContaining("oktaco")
        .hasMessageContaining("identity.audience");
    // An ID-token verifier needs no audience.
    f.verifier().tokenUse(TokenUse.ID).build().warmUp();
  }
}
