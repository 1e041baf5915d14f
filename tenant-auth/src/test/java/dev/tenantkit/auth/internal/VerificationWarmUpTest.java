package dev.tenantkit.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in throwaway token really runs the signature check: it verifies, and a changed one does not. */
class VerificationWarmUpTest {

  @Test
  void run_builtInTokenVerifiesWithItsKey() {
    assertThat(VerificationWarmUp.run()).isTrue();
  }

  @Test
  void builtInToken_withAnotherKeyOrAChangedClaim_doesNotVerify() throws Exception {
    TokenShape.Parsed token = TokenShape.parse(VerificationWarmUp.TOKEN, VerificationWarmUp.TOKEN.length());
    assertThat(token.claims().getIssuer()).isEqualTo(VerificationWarmUp.ISSUER);
    RSAKey other = new RSAKeyGenerator(2048).keyID("tenantkit-warm-up").generate().toPublicJWK();
    assertThatThrownBy(() -> new SignatureCheck().verify(token, List.of(other)))
        .isInstanceOfSatisfying(TokenRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));

    String[] parts = VerificationWarmUp.TOKEN.split("\\.");
    String changed = parts[0] + "." + TokenShapeTest.b64(
        "{\"iss\":\"urn:tenantkit:warm-up\",\"sub\":\"admin\",\"token_use\":\"access\",\"iat\":0,\"exp\":1}")
        + "." + parts[2];
    TokenShape.Parsed forged = TokenShape.parse(changed, changed.length());
    assertThatThrownBy(() -> new SignatureCheck().verify(forged, List.of(VerificationWarmUp.key())))
        .isInstanceOf(TokenRejectedException.class);
  }
}
