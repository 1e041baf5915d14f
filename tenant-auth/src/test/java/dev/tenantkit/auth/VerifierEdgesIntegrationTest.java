package dev.tenantkit.auth;

import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.assertRejected;
import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.testkit.LocalIssuer;
import dev.tenantkit.testkit.LocalUserPool;
import dev.tenantkit.testkit.TestTenants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Edges of the verifier against the real local issuer over HTTP: the exact token size limit, what
 * a verified-token cache hit skips and what it re-checks (keys, issuer, kind), ID-token audiences
 * and clients, the sharedIssuer flag of a lone tenant, non-RSA algorithms, and warm-up's report.
 */
class VerifierEdgesIntegrationTest {
  AuthFixtures f;

  @BeforeEach
  void start() {
    f = new AuthFixtures();
  }

  @AfterEach
  void stop() {
    f.close();
  }

  // ---- size limit ------------------------------------------------------------------------------

  @Test
  void verify_whenTokenIsExactlyMaxTokenBytes_accepted_andOneCharacterOverRefused() {
    String token = f.acmePool.accessToken().sign();
    int length = token.length();
    assertThat(length).isBetween(512, 16 * 1024);
    TenantTokenVerifier atLimit = f.verifier().maxTokenBytes(length).build();
    assertThat(atLimit.verify(token, id("acme")).tenant().id()).isEqualTo(id("acme"));
    TenantTokenVerifier belowLimit = f.verifier().maxTokenBytes(length - 1).build();
    assertThatThrownBy(() -> belowLimit.verify(token, id("acme")))
        .isInstanceOfSatisfying(TokenRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("the limit is " + (length - 1));
    assertThat(f.acmePool.jwksFetches()).as("only the accepted token needed keys").isEqualTo(1);
  }

  // ---- verified-token cache ---------------------------------------------------------------------

  @Test
  void verifiedTokenCache_onByDefault_hitSkipsTheFirstVerificationsTimeChecks_andOffEveryCallChecksThem() {
    AuthFixtures.MutableClock clock = new AuthFixtures.MutableClock();
    String token = f.acmePool.accessToken().sign(); // iat: now
    TenantTokenVerifier cached = f.verifier().clock(clock).build(); // the default: on
    TenantTokenVerifier uncached = f.verifier().verifiedTokenCacheSize(0).clock(clock).build();
    assertThat(cached.verify(token, id("acme"))).isNotNull();
    assertThat(uncached.verify(token, id("acme"))).isNotNull();
    // The clock steps back: iat is now further in the future than the 30 s skew allows. A hit
    // re-checks expiry only; a verification in full sees the future iat.
    clock.advance(Duration.ofMinutes(-5));
    assertThat(cached.verify(token, id("acme")).tenant().id()).as("cache hit").isEqualTo(id("acme"));
    assertRejected(() -> uncached.verify(token, id("acme")), Reason.NOT_YET_VALID);
    assertThat(f.acmePool.jwksFetches()).isEqualTo(2); // one per verifier
  }

  @Test
  void verifiedTokenCache_whenTheIssuerWithdrawsTheKeyAfterACachedAcceptance_refusedOnceTheKeySetIsFetchedAgain()
      throws InterruptedException {
    TenantTokenVerifier v = f.verifier().jwksCacheTtl(Duration.ofSeconds(1)).jwksRefreshAhead(Duration.ofMillis(200))
        .unknownKeyRefreshInterval(Duration.ofMillis(100)).build();
    String token = f.acmePool.accessToken().expiresIn(Duration.ofMinutes(30)).sign();
    assertThat(v.verify(token, id("acme"))).isNotNull();
    assertThat(v.verify(token, id("acme"))).as("cached").isNotNull();
    f.acmePool.rotateKey();
    f.acmePool.retireOldKeys(); // the key that signed the cached token is no longer published
    Thread.sleep(1_500); // past the key set's time to live: the next lookup fetches it again
    assertRejected(() -> v.verify(token, id("acme")), Reason.KEY_NOT_FOUND);
    assertThat(v.verify(f.acmePool.accessToken().sign(), id("acme"))).as("a token of the new key").isNotNull();
  }

  @Test
  void verifiedTokenCache_theSameClaimsWithAnotherSignature_areNotAHit() {
    TenantTokenVerifier v = f.verifier().build();
    String token = f.acmePool.accessToken().sign();
    assertThat(v.verify(token, id("acme"))).isNotNull();
    int dot = token.lastIndexOf('.');
    char last = token.charAt(token.length() - 1);
    // Another signature over the same header and claims (the last base64url character changed).
    String forged = token.substring(0, dot + 1) + token.substring(dot + 1, token.length() - 1) + (last == 'A' ? 'Q' : 'A');
    assertRejected(() -> v.verify(forged, id("acme")), Reason.BAD_SIGNATURE);
    assertThat(v.verify(token, id("acme"))).as("the real one still").isNotNull();
  }

  @Test
  void verifiedTokenCache_whenTheIssuerLeftTheCatalogAfterACachedAcceptance_unknownIssuer() {
    TenantTokenVerifier v = f.verifier().verifiedTokenCacheSize(100).build();
    String token = f.acmePool.accessToken().sign();
    assertThat(v.verify(token, id("acme"))).isNotNull();
    assertThat(v.verify(token, id("acme"))).isNotNull(); // cached
    f.catalog.remove(id("acme"));
    assertRejected(() -> v.verify(token, id("acme")), Reason.UNKNOWN_ISSUER);
    assertRejected(() -> v.verify(token, null), Reason.UNKNOWN_ISSUER);
  }

  @Test
  void verifiedTokenCache_whenTheIssuersKeysMoveAfterACachedAcceptance_verifiesAgainWithTheNewKeys() {
    TenantTokenVerifier v = f.verifier().verifiedTokenCacheSize(100).build();
    String token = f.acmePool.accessToken().sign();
    assertThat(v.verify(token, id("acme"))).isNotNull();
    assertThat(v.verify(token, id("acme"))).isNotNull(); // cached
    f.catalog.put(f.catalog.require(id("acme")).toBuilder()
        .identity(f.acmePool.identity().jwksUri(f.globexPool.issuer() + "/.well-known/jwks.json").build()).build());
    assertRejected(() -> v.verify(token, id("acme")), Reason.KEY_NOT_FOUND);
    assertThat(f.globexPool.jwksFetches()).as("the new location was asked").isPositive();
    assertThat(f.acmePool.jwksFetches()).as("the old location not asked again").isEqualTo(1);
  }

  @Test
  void verifiedTokenCache_whenTheIssuersKindChangesDuringACacheHit_kindCheckedAgainstTheNewRecord() {
    // acme's issuer as a direct OIDC issuer: an access token without token_use is one.
    IdentityConfig asOidc = IdentityConfig.builder().issuer(f.acmePool.issuer()).appClientIds(f.acmePool.clientId())
        .audience("api://acme").build();
    f.catalog.put(TestTenants.tenant("acme").identity(asOidc).build());
    AuthFixtures.MutableClock clock = new AuthFixtures.MutableClock();
    TenantTokenVerifier v = f.verifier().verifiedTokenCacheSize(100).clock(clock).build();
    String token = f.acmePool.accessToken().claim("token_use", null).audience("api://acme").sign();
    assertThat(v.verify(token, id("acme")).tenant().id()).isEqualTo(id("acme"));
    assertThat(v.verify(token, id("acme")).tenant().id()).as("cache hit").isEqualTo(id("acme"));
    // The record now names the user pool (Cognito: token_use is required). The change lands
    // while a cache hit is under way, after the hit was found still current (the expiry check
    // is the hit's first read of the clock): the kind is checked against the new record.
    clock.onNextRead(() -> f.catalog.put(TestTenants.tenant("acme").identity(f.acmePool.identity().build()).build()));
    assertRejected(() -> v.verify(token, id("acme")), Reason.WRONG_TOKEN_USE);
    // And from then on, verified in full against the new record.
    assertRejected(() -> v.verify(token, id("acme")), Reason.WRONG_TOKEN_USE);
    assertThat(v.verify(f.acmePool.accessToken().sign(), id("acme"))).isNotNull();
  }

  // ---- kind and times ---------------------------------------------------------------------------

  @Test
  void verify_tokenUseClaimOfADirectOidcIssuer_mustAgreeWithTheTokensOtherMarks() {
    TenantTokenVerifier access = f.verifier().build();
    TenantTokenVerifier idTokens = f.verifier().tokenUse(TokenUse.ID).build();
    assertThat(idTokens.verify(f.okta.idToken().claim("token_use", "id").sign(), id("oktaco"))).isNotNull();
    assertThat(access.verify(f.okta.accessToken().claim("token_use", "access").sign(), id("oktaco"))).isNotNull();
    // cid and scp mark an access token: token_use=id contradicts them.
    assertRejected(() -> access.verify(f.okta.accessToken().claim("token_use", "id").sign(), id("oktaco")),
        Reason.WRONG_TOKEN_USE);
  }

  @Test
  void verify_typJwt_isNoAccessTokenMark_andAnUnknownTypIsMalformed() {
    TenantTokenVerifier access = f.verifier().build();
    TenantTokenVerifier idTokens = f.verifier().tokenUse(TokenUse.ID).build();
    assertThat(idTokens.verify(f.okta.idToken().type("JWT").sign(), id("oktaco"))).isNotNull();
    assertThat(idTokens.verify(f.acmePool.idToken().type("JWT").sign(), id("acme"))).isNotNull();
    assertThat(access.verify(f.acmePool.accessToken().type("JWT").sign(), id("acme"))).isNotNull();
    assertRejected(() -> access.verify(f.acmePool.accessToken().type("JOSE").sign(), id("acme")), Reason.MALFORMED);
    assertRejected(() -> idTokens.verify(f.acmePool.idToken().type("id+jwt").sign(), id("acme")), Reason.MALFORMED);
  }

  @Test
  void verify_expiredTokenOfTheWrongKind_expired_timesAreCheckedBeforeTheKind() {
    TenantTokenVerifier access = f.verifier().build();
    assertRejected(() -> access.verify(f.acmePool.idToken().expiresIn(Duration.ofMinutes(-5)).sign(), id("acme")),
        Reason.EXPIRED);
    assertRejected(() -> access.verify(f.okta.idToken().expiresIn(Duration.ofMinutes(-5)).sign(), id("oktaco")),
        Reason.EXPIRED);
  }

  // ---- ID tokens: audience and client -------------------------------------------------------------

  @Test
  void verify_idTokenWhoseAudAlsoHoldsTheApiAudience_wrongTokenUse() {
    TenantTokenVerifier idTokens = f.verifier().tokenUse(TokenUse.ID).build();
    String both = f.okta.idToken().audience(f.okta.clientId(), f.okta.audience()).sign();
    assertRejected(() -> idTokens.verify(both, id("oktaco")), Reason.WRONG_TOKEN_USE);
    assertThat(idTokens.verify(f.okta.idToken().audience(f.okta.clientId(), "api://other").sign(), id("oktaco"))
        .clientId()).isEqualTo(f.okta.clientId());
  }

  @Test
  void verify_anyClientIdToken_clientIsAzpOnlyWhenAudHoldsSeveral() {
    f.catalog.put(TestTenants.tenant("oktaco").identity(f.okta.identity().appClientIds(Set.of()).anyClient(true)
        .build()).build());
    TenantTokenVerifier idTokens = f.verifier().tokenUse(TokenUse.ID).build();
    String several = f.okta.idToken().audience("0oafirst", "0oasecond").claim("azp", "0oasecond").sign();
    assertThat(idTokens.verify(several, id("oktaco")).clientId()).isEqualTo("0oasecond");
    String severalNoAzp = f.okta.idToken().audience("0oafirst", "0oasecond").sign();
    assertThat(idTokens.verify(severalNoAzp, id("oktaco")).clientId()).isEqualTo("0oafirst");
    String one = f.okta.idToken().audience("0oaonly").claim("azp", "0oaother").sign();
    assertThat(idTokens.verify(one, id("oktaco")).clientId()).isEqualTo("0oaonly");
    String plain = f.okta.idToken().audience("0oaplain").sign();
    assertThat(idTokens.verify(plain, id("oktaco")).clientId()).isEqualTo("0oaplain");
  }

  // ---- binding ----------------------------------------------------------------------------------

  @Test
  void verify_loneTenantOnAnIssuerMarkedShared_tenantClaimStillRequired() {
    f.catalog.remove(id("umbrella")); // initech is now the only tenant of the shared pool
    TenantTokenVerifier v = f.verifier().build();
    assertRejected(() -> v.verify(f.sharedPool.accessToken().sign(), id("initech")), Reason.TENANT_MISMATCH);
    assertRejected(() -> v.verify(f.sharedPool.accessToken().sign(), null), Reason.TENANT_MISMATCH);
    assertThat(v.verify(f.sharedPool.accessToken().tenant("initech").sign(), null).tenant().id())
        .isEqualTo(id("initech"));
  }

  // ---- algorithms -------------------------------------------------------------------------------

  @Test
  void verify_es256AndPs256Issuers_tokensSignedWithTheirKeysAccepted() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    RSAKey ps = new RSAKeyGenerator(2048).keyID("ps-1").generate();
    TenantTokenVerifier v = f.verifier()
        .jwks(f.acmePool.issuer(), new JWKSet(ec.toPublicJWK()).toString())
        .allowedAlgorithms(f.acmePool.issuer(), "ES256")
        .jwks(f.globexPool.issuer(), new JWKSet(ps.toPublicJWK()).toString())
        .allowedAlgorithms(f.globexPool.issuer(), "PS256")
        .build();
    String es256 = sign(JWSAlgorithm.ES256, ec.getKeyID(), new ECDSASigner(ec), f.acmePool.accessToken().claimsSet());
    String ps256 = sign(JWSAlgorithm.PS256, ps.getKeyID(), new RSASSASigner(ps),
        f.globexPool.accessToken().claimsSet());
    for (int i = 0; i < 2; i++) { // the second time with the key's verifier remembered
      assertThat(v.verify(es256, id("acme")).tenant().id()).isEqualTo(id("acme"));
      assertThat(v.verify(ps256, id("globex")).tenant().id()).isEqualTo(id("globex"));
    }
    // And the keys are really checked: an ES256 token signed by another key is refused.
    ECKey other = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    assertRejected(() -> v.verify(sign(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(other),
        f.acmePool.accessToken().claimsSet()), id("acme")), Reason.BAD_SIGNATURE);
    assertThat(f.issuer.requestCounts()).as("keys given as documents: nothing fetched").isEmpty();
  }

  private static String sign(JWSAlgorithm alg, String kid, JWSSigner signer, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  // ---- warm-up and toString -----------------------------------------------------------------------

  @Test
  void warmUp_whenEveryIssuerFails_namesThemInIssuerOrder() {
    List<LocalIssuer> all = new ArrayList<>(List.of(f.acmePool, f.globexPool, f.sharedPool, f.hooliPool, f.okta));
    for (String pool : List.of("eu-west-1_Wayne", "eu-west-1_Initrode", "eu-west-1_Vandelay")) {
      LocalUserPool p = f.issuer.pool(pool);
      f.catalog.put(AuthFixtures.tenant(pool.substring(pool.indexOf('_') + 1).toLowerCase(java.util.Locale.ROOT), p,
          false));
      all.add(p);
    }
    all.forEach(p -> p.setAvailable(false));
    TenantTokenVerifier v = f.verifier().build();
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(v::warmUp);
    assertThat(thrown).isInstanceOf(TenantConfigurationException.class);
    String message = thrown.getMessage();
    all.sort(Comparator.comparing(LocalIssuer::issuer));
    int last = -1;
    for (LocalIssuer p : all) {
      int at = message.indexOf("issuer " + p.issuer() + ": ");
      assertThat(at).as("%s named after the issuers before it in: %s", p.issuer(), message).isGreaterThan(last);
      last = at;
    }
  }

  @Test
  void toString_countsTheCatalogsIssuers() {
    TenantTokenVerifier v = f.verifier().build();
    // acme, globex, the shared pool (initech and umbrella), hooli, okta.
    assertThat(v.toString()).isEqualTo("TenantTokenVerifier[issuers=5, tokenUse=ACCESS]");
    f.catalog.remove(id("acme"));
    assertThat(v.toString()).isEqualTo("TenantTokenVerifier[issuers=4, tokenUse=ACCESS]");
  }
}
