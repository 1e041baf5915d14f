package dev.tenantkit.auth.internal;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import java.text.ParseException;

/**
 * Step 1 of verification: the token's shape, before any key is looked up. Size and alphabet
 * first (cheapest), then a compact signed JWT whose header names nothing to fetch ({@code jku},
 * {@code x5u}), embeds no key ({@code jwk}, {@code x5c}), has no {@code crit} and a sane
 * {@code kid}; then claims that are one JSON object. Duplicate claim names and deep nesting are
 * refused by nimbus's claims parser (a {@link ParseException} here); TokenAttackIntegrationTest
 * keeps that pinned.
 */
final class TokenShape {
  private TokenShape() {}

  /** A token that passed the shape checks. */
  record Parsed(SignedJWT jwt, JWSHeader header, JWTClaimsSet claims) {}

  static Parsed parse(String token, int maxTokenBytes) {
    checkCharacters(token, maxTokenBytes);
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException | RuntimeException e) {
      throw reject(Reason.MALFORMED, "not a parseable JWT (" + e.getClass().getSimpleName() + ")");
    }
    if (parsed instanceof PlainJWT) {
      throw reject(Reason.UNSUPPORTED_ALGORITHM, "unsigned token (alg none)");
    }
    if (parsed instanceof EncryptedJWT || !(parsed instanceof SignedJWT)) {
      throw reject(Reason.MALFORMED, "only signed tokens are accepted");
    }
    SignedJWT jwt = (SignedJWT) parsed;
    JWSHeader header = jwt.getHeader();
    checkHeader(header);
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw reject(Reason.MALFORMED, "claims are not a JSON object");
    }
    return new Parsed(jwt, header, claims);
  }

  private static void checkCharacters(String token, int maxTokenBytes) {
    if (token.length() > maxTokenBytes) {
      throw reject(Reason.MALFORMED, "token is " + token.length() + " characters; the limit is " + maxTokenBytes);
    }
    int dots = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '.') {
        dots++;
      } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        throw reject(Reason.MALFORMED, "character outside base64url at position " + i);
      }
    }
    if (dots != 2) {
      throw reject(Reason.MALFORMED, dots == 4 ? "encrypted tokens (JWE) are not accepted"
          : "a signed JWT has three parts, this token has " + (dots + 1));
    }
  }

  private static void checkHeader(JWSHeader header) {
    if (header.getJWKURL() != null) {
      throw reject(Reason.MALFORMED, "header parameter jku is not accepted");
    }
    if (header.getX509CertURL() != null) {
      throw reject(Reason.MALFORMED, "header parameter x5u is not accepted");
    }
    if (header.getJWK() != null) {
      throw reject(Reason.MALFORMED, "header parameter jwk is not accepted");
    }
    if (header.getX509CertChain() != null) {
      throw reject(Reason.MALFORMED, "header parameter x5c is not accepted");
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw reject(Reason.MALFORMED, "critical header parameters are not supported");
    }
    JOSEObjectType typ = header.getType();
    if (typ != null && !"JWT".equalsIgnoreCase(typ.getType()) && !TokenKind.isAccessTokenType(typ.getType())) {
      throw reject(Reason.MALFORMED, "typ must be JWT or at+jwt");
    }
    String kid = header.getKeyID();
    if (kid == null || kid.isEmpty() || kid.length() > 128 || !printableAscii(kid)) {
      throw reject(Reason.MALFORMED, "kid must be 1 to 128 printable ASCII characters");
    }
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static TokenRejectedException reject(Reason reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }
}
