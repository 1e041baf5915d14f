package dev.tenantkit.auth.internal;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;

/**
 * Step 1 of verification: the token's shape, before any key is looked up. Size and alphabet
 * first (cheapest), then a compact signed JWT whose header names nothing to fetch ({@code jku},
 * {@code x5u}), embeds no key ({@code jwk}, {@code x5c}), has no {@code crit} and a sane
 * {@code kid}; then claims that are one JSON object. Duplicate claim names and deep nesting are
 * refused by nimbus's claims parser (a {@link ParseException} here); TokenAttackIntegrationTest
 * keeps that pinned.
 *
 * <p>Why not {@code JWTParser.parse}: it decodes and parses the header twice and decodes with
 * nimbus's own base64 codec, together about a third of an RS256 verification on this machine
 * (docs/benchmarks.md). Here each part is decoded once with the JDK's decoder, and each JSON part
 * is parsed once by nimbus's own JSON parser, so duplicate and nesting limits are unchanged.
 */
final class TokenShape {
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  private TokenShape() {}

  /**
   * A token that passed the shape checks: its header and claims, and what the signature check
   * needs (the token's bytes, of which the first {@code signingInputLength} are the signing
   * input, and the decoded signature).
   */
  record Parsed(JWSHeader header, JWTClaimsSet claims, byte[] tokenBytes, int signingInputLength,
      byte[] signature, String signaturePart) {}

  static Parsed parse(String token, int maxTokenBytes) {
    int firstDot = checkCharacters(token, maxTokenBytes);
    int secondDot = token.indexOf('.', firstDot + 1);
    String headerPart = token.substring(0, firstDot);
    String signaturePart = token.substring(secondDot + 1);
    Map<String, Object> headerJson;
    try {
      headerJson = JSONObjectUtils.parse(decode(headerPart));
    } catch (ParseException | RuntimeException e) {
      throw reject(Reason.MALFORMED, "not a parseable JWT (" + e.getClass().getSimpleName() + ")");
    }
    if ("none".equals(headerJson.get("alg"))) {
      throw reject(Reason.UNSUPPORTED_ALGORITHM, "unsigned token (alg none)");
    }
    if (headerJson.containsKey("enc")) {
      throw reject(Reason.MALFORMED, "only signed tokens are accepted");
    }
    if (headerJson.containsKey("b64")) {
      throw reject(Reason.MALFORMED, "header parameter b64 is not accepted");
    }
    if (signaturePart.isEmpty()) {
      throw reject(Reason.MALFORMED, "the token has no signature");
    }
    JWSHeader header;
    try {
      header = JWSHeader.parse(headerJson, new Base64URL(headerPart));
    } catch (ParseException | RuntimeException e) {
      throw reject(Reason.MALFORMED, "not a parseable JWT (" + e.getClass().getSimpleName() + ")");
    }
    checkHeader(header);
    JWTClaimsSet claims;
    byte[] signature;
    try {
      claims = JWTClaimsSet.parse(JSONObjectUtils.parse(decode(token.substring(firstDot + 1, secondDot))));
    } catch (ParseException | RuntimeException e) {
      throw reject(Reason.MALFORMED, "claims are not a JSON object");
    }
    try {
      signature = BASE64URL.decode(signaturePart);
    } catch (IllegalArgumentException e) {
      throw reject(Reason.MALFORMED, "the signature is not base64url");
    }
    return new Parsed(header, claims, token.getBytes(StandardCharsets.US_ASCII), secondDot, signature, signaturePart);
  }

  private static String decode(String part) {
    return new String(BASE64URL.decode(part), StandardCharsets.UTF_8);
  }

  /** Size, alphabet and three parts; returns the position of the first dot. */
  private static int checkCharacters(String token, int maxTokenBytes) {
    if (token.length() > maxTokenBytes) {
      throw reject(Reason.MALFORMED, "token is " + token.length() + " characters; the limit is " + maxTokenBytes);
    }
    int dots = 0;
    int first = -1;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '.') {
        if (dots++ == 0) {
          first = i;
        }
      } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        throw reject(Reason.MALFORMED, "character outside base64url at position " + i);
      }
    }
    if (dots != 2) {
      throw reject(Reason.MALFORMED, dots == 4 ? "encrypted tokens (JWE) are not accepted"
          : "a signed JWT has three parts, this token has " + (dots + 1));
    }
    return first;
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
