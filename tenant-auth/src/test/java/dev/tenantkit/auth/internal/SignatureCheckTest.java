package dev.tenantkit.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The signature step alone. Verifiers are cached per key and algorithm: a token signed with the
 * same key under another algorithm must get its own verifier, never the cached one of the first
 * algorithm (which would refuse a good token, or, the other way round, check the wrong hash).
 */
class SignatureCheckTest {
  private static RSAKey key;
  private static RSAKey other;

  @BeforeAll
  static void keys() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    other = new RSAKeyGenerator(2048).keyID("k2").generate();
  }

  private static TokenShape.Parsed signed(RSAKey with, JWSAlgorithm alg) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(with.getKeyID()).build(),
        new JWTClaimsSet.Builder().issuer("https://idp.example/pool").subject("alice").build());
    jwt.sign(new RSASSASigner(with));
    return TokenShape.parse(jwt.serialize(), 16 * 1024);
  }

  @Test
  void oneKeyUnderThreeAlgorithms_eachVerifiesWithItsOwnVerifier() throws Exception {
    SignatureCheck check = new SignatureCheck();
    List<JWK> keys = List.of(key.toPublicJWK());
    for (int round = 0; round < 2; round++) { // the second round runs on cached verifiers
      for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.PS256)) {
        assertThat(check.verify(signed(key, alg), keys)).as(alg + " round " + round).isEqualTo(keys.get(0));
      }
    }
  }

  @Test
  void aCachedVerifierOfOneKeyNeverVerifiesAnotherKeysToken() throws Exception {
    SignatureCheck check = new SignatureCheck();
    check.verify(signed(key, JWSAlgorithm.RS256), List.of(key.toPublicJWK()));
    // The other key's token, against both keys: only the other key verifies it.
    List<JWK> both = List.of(key.toPublicJWK(), other.toPublicJWK());
    assertThat(check.verify(signed(other, JWSAlgorithm.RS256), both)).isEqualTo(both.get(1));
    assertThatThrownBy(() -> check.verify(signed(other, JWSAlgorithm.RS256), List.of(key.toPublicJWK())))
        .isInstanceOfSatisfying(TokenRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }
}
