package dev.tenantkit.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Step 1 alone: size, parts, {@code typ} and {@code kid}, before any key or issuer is looked at. */
class TokenShapeTest {
  private static final int LIMIT = 16 * 1024;

  static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A token of this header (JSON), some claims and a signature that is never checked here. */
  static String token(String headerJson) {
    return b64(headerJson) + "." + b64("{\"iss\":\"https://idp.example/pool\",\"sub\":\"alice\"}") + "." + b64("sig");
  }

  static String withKid(String kidJson) {
    return token("{\"alg\":\"RS256\",\"kid\":\"" + kidJson + "\"}");
  }

  static String withTyp(String typ) {
    return token("{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"" + typ + "\"}");
  }

  static void assertMalformed(String token, String messagePart) {
    assertThatThrownBy(() -> TokenShape.parse(token, LIMIT))
        .isInstanceOfSatisfying(TokenRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining(messagePart);
  }

  @Test
  void parse_whenTokenIsExactlyTheLimit_accepted_andOneOverRefused() {
    String token = withKid("k1");
    assertThat(TokenShape.parse(token, token.length()).claims().getSubject()).isEqualTo("alice");
    assertThatThrownBy(() -> TokenShape.parse(token, token.length() - 1))
        .isInstanceOfSatisfying(TokenRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("the limit is " + (token.length() - 1));
  }

  @Test
  void parse_whenPartsAreMissingOrExtra_messageSaysHowMany_orThatItIsAJwe() {
    String token = withKid("k1");
    String twoParts = token.substring(0, token.lastIndexOf('.'));
    assertMalformed(twoParts, "a signed JWT has three parts, this token has 2");
    assertMalformed(token + ".e30", "a signed JWT has three parts, this token has 4");
    assertMalformed("abc", "this token has 1");
    assertMalformed(token + ".e30.e30", "encrypted tokens (JWE) are not accepted");
    assertThatThrownBy(() -> TokenShape.parse(twoParts, LIMIT)).hasMessageNotContaining("JWE");
  }

  @Test
  void parse_whenKidIs128Characters_accepted_and129Refused() {
    String kid128 = "k".repeat(128);
    assertThat(TokenShape.parse(withKid(kid128), LIMIT).header().getKeyID()).isEqualTo(kid128);
    assertMalformed(withKid("k".repeat(129)), "kid must be 1 to 128 printable ASCII characters");
    assertMalformed(withKid(""), "kid must be");
    assertMalformed(token("{\"alg\":\"RS256\"}"), "kid must be");
  }

  @Test
  void parse_whenKidHoldsTheOuterPrintableCharacters_accepted() {
    assertThat(TokenShape.parse(withKid("key 1"), LIMIT).header().getKeyID()).isEqualTo("key 1"); // 0x20
    assertThat(TokenShape.parse(withKid("key~1"), LIMIT).header().getKeyID()).isEqualTo("key~1"); // 0x7e
    assertThat(TokenShape.parse(withKid(" "), LIMIT).header().getKeyID()).isEqualTo(" ");
    assertThat(TokenShape.parse(withKid("~"), LIMIT).header().getKeyID()).isEqualTo("~");
  }

  @Test
  void parse_whenKidHoldsAControlOrNonAsciiCharacter_malformed() {
    assertMalformed(withKid("key\\u001f1"), "printable ASCII"); // 0x1f
    assertMalformed(withKid("key\\u007f1"), "printable ASCII"); // DEL
    assertMalformed(withKid("key\\n"), "printable ASCII");
    assertMalformed(withKid("\\u0000"), "printable ASCII");
    assertMalformed(withKid("cl\\u00e9"), "printable ASCII"); // é
    assertMalformed(withKid("\\u2028"), "printable ASCII");
  }

  @Test
  void parse_typ_jwtAndAccessTokenTypesAccepted_anyOtherMalformed() {
    for (String typ : new String[] {"JWT", "jwt", "at+jwt", "AT+JWT", "application/at+jwt"}) {
      assertThat(TokenShape.parse(withTyp(typ), LIMIT).header().getType().getType()).as(typ).isEqualTo(typ);
    }
    assertThat(TokenShape.parse(withKid("k1"), LIMIT).header().getType()).isNull();
    for (String typ : new String[] {"JOSE", "JWS", "id+jwt", "application/jwt", "at+jwt2"}) {
      assertMalformed(withTyp(typ), "typ must be JWT or at+jwt");
    }
  }

  @Test
  void isAccessTokenType_onlyTheRfc9068Types() {
    assertThat(TokenKind.isAccessTokenType("at+jwt")).isTrue();
    assertThat(TokenKind.isAccessTokenType("application/AT+JWT")).isTrue();
    assertThat(TokenKind.isAccessTokenType("JWT")).isFalse();
    assertThat(TokenKind.isAccessTokenType("jwt")).isFalse();
  }
}
