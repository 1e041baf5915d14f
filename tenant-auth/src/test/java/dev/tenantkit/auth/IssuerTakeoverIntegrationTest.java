package dev.tenantkit.auth;

import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantOverlapException;
import dev.tenantkit.testkit.TestTenants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by an independent review: a second record on a tenant's issuer could decide how that
 * tenant's tokens verify (its {@code jwksUri} pointed the issuer's keys at an attacker's key set;
 * without one it still made the issuer "shared" and the tenant's tokens unbindable). The catalog
 * now refuses such a record, and cached verifications do not outlive a move of the issuer's keys.
 * Against the real local issuer over HTTP.
 */
class IssuerTakeoverIntegrationTest {
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
