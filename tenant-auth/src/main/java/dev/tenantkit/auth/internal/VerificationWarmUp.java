package dev.tenantkit.auth.internal;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.util.List;

/**
 * Runs the verification path once on a built-in throwaway token, so that the classes it needs
 * (nimbus's JSON parser, the JCA's RSA signature, the caches' node classes) are loaded and
 * initialised before the first request, or before a SnapStart snapshot: without it the first
 * request pays 50 to 90 ms of class loading on top of its signature check (docs/benchmarks.md).
 *
 * <p>The token is signed by an RSA key made for this class whose private half was discarded; its
 * issuer ({@value #ISSUER}) is no tenant's, and it is checked against a {@link SignatureCheck}
 * of its own, never the verifier's: nothing of it reaches the verifier's caches, and a request
 * carrying it is refused as any unknown issuer's token is. Public for the module's tests only (the
 * package is not exported).
 */
public final class VerificationWarmUp {
  public static final String ISSUER = "urn:tenantkit:warm-up";

  /**
   * Header {@code {"alg":"RS256","typ":"JWT","kid":"tenantkit-warm-up"}}, claims
   * {@code {"iss":"urn:tenantkit:warm-up","sub":"warm-up","token_use":"access","iat":0,"exp":1}}
   * (expired since 1970), signed by the key of {@link #MODULUS}.
   */
  public static final String TOKEN =
      "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InRlbmFudGtpdC13YXJtLXVwIn0.eyJpc3MiOiJ1cm46"
      + "dGVuYW50a2l0Ondhcm0tdXAiLCJzdWIiOiJ3YXJtLXVwIiwidG9rZW5fdXNlIjoiYWNjZXNzIiwiaWF0IjowLCJl"
      + "eHAiOjF9.vfeVuxfimoRiKXwY7ApY6kiYr3nPD6h4_HUqkLg-6MwU0kQKHNwZWueugRTf9--0nFxc-NC1A1C8hDh"
      + "tzKBwdpH42xJNSf562IEV6dod6GdytAmkmW5q7YfaY0Cfxbq7-dDbLWeIeHqS6kOhg_joOfq0XV3D75-60ChllD_"
      + "SEYhG1vwEPXWq030EeHWZa4j32S9XQsybQuv9NAnICqVzCOO4J952rtZSF5c_z4woXq2NdI43hYAeyxQx63AlQ3_"
      + "2uMUcMuG4nTnwH7lT3YQEL_9ndmMyU3gngSKW1lxkEO23Q9g5ty0P392LNoiiZqLVkGVncTuZRuXJqkSKoQKJ3g";

  /** The throwaway key's modulus (exponent 65537). */
  private static final String MODULUS =
      "6i2y3vh_8DyFY5PQa_uF0Mpe7u-KXlRExVJexA710uTaUfOWD8C8Zz7GoOpysDCUCSSRZ25sU-99HrgytZ3_cqEn"
      + "4JBBA0bcUGXz_nsWxYqx2TXowhuqGDMn95DLdTiExoPHioZXxHFDAYsm4l7QH6KKpY7L-oJr8MTdMkrvVdNO6ith"
      + "V5mtuAmsz0fkzfbkB-4_QOmAEaO6VWF_9KmLvaM5addtPEYvry0lbz3gceLLnvfWMDihuf-DMX5xtsDxq5V3DUX3"
      + "HmPtBqQkOxC0oE1yRY4uyNy0_khkYJ0gNsAA8GQ3Tr0fz4oys6gDpxoSOG9Z2APVm8XWX318qxT5ww";

  private VerificationWarmUp() {}

  /** Parses {@link #TOKEN} and checks its signature (both as a request's token would be); whether it verified. */
  static boolean run() {
    TokenShape.Parsed token = TokenShape.parse(TOKEN, TOKEN.length());
    JWK key = key();
    return new SignatureCheck().verify(token, List.of(key)).equals(key);
  }

  /** The throwaway public key that verifies {@link #TOKEN}. */
  static RSAKey key() {
    return new RSAKey.Builder(new Base64URL(MODULUS), new Base64URL("AQAB")).keyID("tenantkit-warm-up").build();
  }
}
