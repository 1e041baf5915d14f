package dev.tenantkit.auth;

import dev.tenantkit.testkit.TestTenants;
import dev.tenantkit.core.TenantOverlapException;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.IdentityConfig;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSAlgorithm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.testkit.LocalUserPool;
import java.time.Duration;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verifier against a real local issuer over HTTP: the paths that must succeed, and binding. */
class TenantTokenVerifierIntegrationTest {
  AuthFixtures f;

  @BeforeEach
  void start() {
    f = new AuthFixtures();
  }

  @AfterEach
  void stop() {
    f.close();
  }

  static TenantId id(String s) {
    return TenantId.of(s);
  }

  static void assertRejected(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(TokenRejectedException.class,
        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  @Test
  void verify_siloAccessToken_boundToItsTenant() {
    TenantTokenVerifier v = f.verifier().build();
    String token = f.acmePool.accessToken().subject("alice").groups("admin", "users")
        .scopes("documents/read", "documents/write").sign();
    VerifiedPrincipal p = v.verify(token, id("acme"));
    assertThat(p.tenant().id()).isEqualTo(id("acme"));
    assertThat(p.subject()).isEqualTo("alice");
    assertThat(p.username()).isEqualTo("alice");
    assertThat(p.groups()).containsExactlyInAnyOrder("admin", "users");
    assertThat(p.scopes()).containsExactlyInAnyOrder("documents/read", "documents/write");
    assertThat(p.tokenUse()).isEqualTo(TokenUse.ACCESS);
    assertThat(p.clientId()).isEqualTo(f.acmePool.clientId());
    assertThat(p.issuer()).isEqualTo(f.acmePool.issuer());
    assertThat(p.claims()).containsEntry("sub", "alice");
    assertThat(p.toString()).doesNotContain("admin");
    // No resolved tenant: the silo issuer names it.
    assertThat(v.verify(token, null).tenant().id()).isEqualTo(id("acme"));
  }

  @Test
  void verify_sharedPool_tenantFromClaim() {
    TenantTokenVerifier v = f.verifier().build();
    String initech = f.sharedPool.accessToken().tenant("initech").sign();
    assertThat(v.verify(initech, id("initech")).tenant().id()).isEqualTo(id("initech"));
    assertThat(v.verify(initech, null).tenant().id()).isEqualTo(id("initech"));
  }

  @Test
  void verify_idTokenOfFederatedUser_exposesFederatedIdentity() {
    TenantTokenVerifier v = f.verifier().tokenUse(TokenUse.ID).build();
    String token = f.acmePool.idToken().subject("bob").federated("Okta", "SAML", "bob@acme.example").sign();
    VerifiedPrincipal p = v.verify(token, id("acme"));
    assertThat(p.tokenUse()).isEqualTo(TokenUse.ID);
    assertThat(p.clientId()).isEqualTo(f.acmePool.clientId());
    assertThat(p.federated()).hasValueSatisfying(fi -> {
      assertThat(fi.providerName()).isEqualTo("Okta");
      assertThat(fi.providerType()).isEqualTo("SAML");
      assertThat(fi.userId()).isEqualTo("bob@acme.example");
      assertThat(fi.primary()).isTrue();
    });
  }

  @Test
  void verify_directOidcIssuer_usesDiscoveryOnce() {
    TenantTokenVerifier v = f.verifier().build();
    for (int i = 0; i < 5; i++) {
      String token = f.okta.accessToken().scopes("openid", "documents/read").sign();
      VerifiedPrincipal p = v.verify(token, id("oktaco"), TokenRequirements.scopes("documents/read"));
      assertThat(p.clientId()).isEqualTo(f.okta.clientId());
    }
    assertThat(f.issuer.requestCount("/okta-oktaco/.well-known/openid-configuration")).isEqualTo(1);
    assertThat(f.okta.jwksFetches()).isEqualTo(1);
  }

  @Test
  void verify_requirements_groupsAndScopes() {
    TenantTokenVerifier v = f.verifier().build();
    String token = f.acmePool.accessToken().groups("users").scopes("documents/read").sign();
    assertThat(v.verify(token, id("acme"), TokenRequirements.groups("users").andScopes("documents/read")))
        .isNotNull();
    assertRejected(() -> v.verify(token, id("acme"), TokenRequirements.groups("admin")), Reason.MISSING_GROUP);
    assertRejected(() -> v.verify(token, id("acme"), TokenRequirements.scopes("documents/write")),
        Reason.MISSING_SCOPE);
  }

  @Test
  void verify_claimCheckHook_canRefuse() {
    TenantTokenVerifier v = f.verifier().claimCheck((tenant, claims) -> "pro".equals(claims.get("custom:plan"))).build();
    assertThat(v.verify(f.acmePool.accessToken().claim("custom:plan", "pro").sign(), id("acme"))).isNotNull();
    assertRejected(() -> v.verify(f.acmePool.accessToken().claim("custom:plan", "free").sign(), id("acme")),
        Reason.CLAIM_CHECK_FAILED);
  }

  @Test
  void verify_keyRotation_newKeyFetchedOldKeyStillValidWhilePublished() {
    TenantTokenVerifier v = f.verifier().unknownKeyRefreshInterval(Duration.ofMillis(100)).build();
    String before = f.acmePool.accessToken().sign();
    v.verify(before, id("acme"));
    f.acmePool.rotateKey();
    String after = f.acmePool.accessToken().sign();
    assertThat(v.verify(after, id("acme"))).isNotNull();
    assertThat(v.verify(before, id("acme"))).isNotNull();
    assertThat(f.acmePool.jwksFetches()).isEqualTo(2);
  }

  @Test
  void warmUp_builtInTestTokenPresentedAsARequest_refusedAsAnyUnknownIssuersToken() {
    TenantTokenVerifier v = f.verifier().build();
    v.warmUp();
    assertRejected(() -> v.verify(dev.tenantkit.auth.internal.VerificationWarmUp.TOKEN, id("acme")),
        Reason.UNKNOWN_ISSUER);
    assertRejected(() -> v.verify(dev.tenantkit.auth.internal.VerificationWarmUp.TOKEN, null), Reason.UNKNOWN_ISSUER);
    // The warm-up left the verifier serving as before.
    assertThat(v.verify(f.acmePool.accessToken().sign(), id("acme")).tenant().id()).isEqualTo(id("acme"));
  }

  @Test
  void warmUp_fetchesEveryIssuerAndNamesThoseThatFail() {
    f.hooliPool.setAvailable(false);
    TenantTokenVerifier v = f.verifier().build();
    assertThat(v.keySources()).isNotEmpty().allSatisfy(k -> assertThat(k.state()).isEqualTo(KeySourceStatus.State.NOT_FETCHED));
    assertThatThrownBy(v::warmUp)
        .isInstanceOf(TenantConfigurationException.class)
        .hasMessageContaining(f.hooliPool.issuer())
        .hasMessageNotContaining(f.acmePool.issuer());
    KeySourceStatus acme = v.keySources().stream().filter(k -> k.issuer().equals(f.acmePool.issuer())).findFirst()
        .orElseThrow();
    assertThat(acme.state()).isEqualTo(KeySourceStatus.State.FETCHED);
    assertThat(acme.lastFetched()).isNotNull();
    assertThat(String.valueOf(acme.location())).endsWith("/.well-known/jwks.json");
    assertThat(acme.error()).isEmpty();
    KeySourceStatus hooli = v.keySources().stream().filter(k -> k.issuer().equals(f.hooliPool.issuer())).findFirst()
        .orElseThrow();
    assertThat(hooli.state()).isEqualTo(KeySourceStatus.State.FAILED);
    assertThat(hooli.error()).isPresent();
    assertThat(f.acmePool.jwksFetches()).isEqualTo(1);
    assertThat(f.globexPool.jwksFetches()).isEqualTo(1);
    // Warm: verifying now fetches nothing more.
    v.verify(f.acmePool.accessToken().sign(), id("acme"));
    assertThat(f.acmePool.jwksFetches()).isEqualTo(1);
  }

  @Test
  void jwksFromString_verifiesWithoutAnyFetch() {
    TenantTokenVerifier v = f.verifier().jwks(f.acmePool.issuer(), f.acmePool.jwksJson()).build();
    assertThat(v.verify(f.acmePool.accessToken().sign(), id("acme"))).isNotNull();
    assertThat(f.acmePool.jwksFetches()).isZero();
    assertThat(v.keySources()).filteredOn(k -> k.issuer().equals(f.acmePool.issuer()))
        .singleElement().satisfies(k -> assertThat(k.state()).isEqualTo(KeySourceStatus.State.GIVEN));
  }

  @Test
  void verifiedTokenCache_hitStillChecksExpiryBindingAndStatus() {
    AuthFixtures.MutableClock clock = new AuthFixtures.MutableClock();
    TenantTokenVerifier v = f.verifier().verifiedTokenCacheSize(100).clock(clock).build();
    String token = f.acmePool.accessToken().expiresIn(Duration.ofMinutes(5)).sign();
    assertThat(v.verify(token, id("acme"))).isNotNull();
    assertThat(v.verify(token, id("acme"))).isNotNull(); // cache hit
    assertRejected(() -> v.verify(token, id("globex")), Reason.TENANT_MISMATCH);
    assertRejected(() -> v.verify(token, id("acme"), TokenRequirements.groups("admin")), Reason.MISSING_GROUP);
    f.catalog.put(f.catalog.find(id("acme")).orElseThrow().toBuilder().status(TenantStatus.SUSPENDED).build());
    assertRejected(() -> v.verify(token, id("acme")), Reason.TENANT_NOT_ACTIVE);
    f.catalog.put(f.catalog.find(id("acme")).orElseThrow().toBuilder().status(TenantStatus.ACTIVE).build());
    assertThat(v.verify(token, id("acme"))).isNotNull();
    clock.advance(Duration.ofMinutes(10));
    assertRejected(() -> v.verify(token, id("acme")), Reason.EXPIRED);
  }

  @Test
  void verifiedTokenCache_staysBounded() {
    TenantTokenVerifier v = f.verifier().verifiedTokenCacheSize(10).build();
    for (int i = 0; i < 50; i++) {
      assertThat(v.verify(f.acmePool.accessToken().sign(), id("acme"))).isNotNull();
    }
    assertThat(v.toString()).contains("issuers=");
  }

  @Test
  void catalogChange_newTenantsIssuerAcceptedRemovedOneRefused() {
    TenantTokenVerifier v = f.verifier().build();
    LocalUserPool newPool = f.issuer.pool("eu-west-1_Newco");
    String token = newPool.accessToken().sign();
    assertRejected(() -> v.verify(token, id("newco")), Reason.UNKNOWN_ISSUER);
    f.catalog.put(AuthFixtures.tenant("newco", newPool, false));
    assertThat(v.verify(token, id("newco")).tenant().id()).isEqualTo(id("newco"));
    f.catalog.remove(id("newco"));
    assertRejected(() -> v.verify(token, id("newco")), Reason.UNKNOWN_ISSUER);
  }

  @Test
  void catalogChange_jwksLocationMoved_newLocationUsed() {
    TenantTokenVerifier v = f.verifier().build();
    v.verify(f.acmePool.accessToken().sign(), id("acme"));
    assertThat(f.acmePool.jwksFetches()).isEqualTo(1);
    // The tenant's keys move behind a private endpoint (here: globex's pool path serves other keys,
    // so verification must now fail, proving the old cached source is gone).
    f.catalog.put(f.catalog.find(id("acme")).orElseThrow().toBuilder()
        .identity(f.acmePool.identity().jwksUri(f.globexPool.issuer() + "/.well-known/jwks.json").build()).build());
    assertRejected(() -> v.verify(f.acmePool.accessToken().sign(), id("acme")), Reason.KEY_NOT_FOUND);
    assertThat(f.globexPool.jwksFetches()).as("keys fetched from the new location").isPositive();
    assertThat(f.acmePool.jwksFetches()).as("old location not used again").isEqualTo(1);
  }

  @Test
  void builder_rejectsBadSettingsNamingThem() {
    assertThatThrownBy(() -> TenantTokenVerifier.builder().clockSkew(Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clockSkew");
    assertThatThrownBy(() -> TenantTokenVerifier.builder().allowedAlgorithms("x", "HS256"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HS256");
    assertThatThrownBy(() -> TenantTokenVerifier.builder().jwksUri("x", java.net.URI.create("http://evil.example/jwks")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    assertThatThrownBy(() -> TenantTokenVerifier.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("catalog");
    assertThatThrownBy(() -> f.verifier().jwksCacheTtl(Duration.ofSeconds(10))
            .jwksRefreshAhead(Duration.ofSeconds(20)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("jwksRefreshAhead");
    // Found by TokenVerifierFuzzTest's set-up: nimbus refused this only at the first verification.
    assertThatThrownBy(() -> f.verifier().unknownKeyRefreshInterval(Duration.ofHours(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknownKeyRefreshInterval")
        .hasMessageContaining("jwksCacheTtl");
    assertThat(Set.of(Reason.values())).hasSize(17);
  }

  // Found by an independent review: a second record on a tenant's issuer could decide how that
  // tenant's tokens verify (its jwksUri pointed the issuer's keys at an attacker's key set;
  // without one it still made the issuer "shared" and the tenant's tokens unbindable). The
  // catalog refuses such a record, and cached verifications do not outlive a move of the keys.
  @Test
  void anotherRecordOnATenantsIssuer_isRefused_andTheTenantsTokensKeepVerifying() throws Exception {
    TenantTokenVerifier verifier = f.verifier().build();
    String forged = sign(f.attackerPool.signingKey(), f.okta.accessToken().tenant("oktaco").claimsSet());
    Tenant withAttackerKeys = TestTenants.tenant("evilco").identity(IdentityConfig.builder().issuer(f.okta.issuer())
        .appClientIds("evilclient").audience(f.okta.audience())
        .jwksUri(f.attackerPool.issuer() + "/.well-known/jwks.json").build()).build();
    assertThatThrownBy(() -> f.catalog.put(withAttackerKeys)).isInstanceOf(TenantOverlapException.class)
        .hasMessageContaining("sharedIssuer");
    Tenant plain = TestTenants.tenant("evilco").identity(IdentityConfig.builder().issuer(f.okta.issuer())
        .appClientIds("evilclient").audience(f.okta.audience()).build()).build();
    assertThatThrownBy(() -> f.catalog.put(plain)).isInstanceOf(TenantOverlapException.class);

    assertThatThrownBy(() -> verifier.verify(forged, id("oktaco"))).isInstanceOf(TokenRejectedException.class);
    assertThat(verifier.verify(f.okta.accessToken().sign(), id("oktaco")).tenant().id()).isEqualTo(id("oktaco"));
  }

  @Test
  void cachedVerification_isNotReused_afterTheIssuersKeysMoved() throws Exception {
    TenantTokenVerifier verifier = f.verifier().verifiedTokenCacheSize(100).build();
    String token = f.okta.accessToken().sign();
    assertThat(verifier.verify(token, id("oktaco")).tenant().id()).isEqualTo(id("oktaco"));
    // The operator moves oktaco's keys (to where the token's key is not).
    Tenant oktaco = f.catalog.require(id("oktaco"));
    f.catalog.put(oktaco.toBuilder().identity(oktaco.identity().orElseThrow().toBuilder()
        .jwksUri(f.attackerPool.issuer() + "/.well-known/jwks.json").build()).build());
    assertThatThrownBy(() -> verifier.verify(token, id("oktaco"))).isInstanceOfSatisfying(TokenRejectedException.class,
        e -> assertThat(e.reason()).isEqualTo(TokenRejectedException.Reason.KEY_NOT_FOUND));
  }

  private static String sign(RSAKey key, com.nimbusds.jwt.JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
