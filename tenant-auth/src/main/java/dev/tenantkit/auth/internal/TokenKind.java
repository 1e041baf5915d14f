package dev.tenantkit.auth.internal;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.auth.TokenUse;

/**
 * Step 6: the kind of token, so an access token and an ID token are never interchangeable, for
 * any kind of issuer. Each issuer marks the kind its own way:
 *
 * <ul>
 *   <li>Cognito: {@code token_use} is {@code access} or {@code id}; it must be the expected one.</li>
 *   <li>Okta and other direct OIDC issuers carry no {@code token_use}. An access token is marked
 *       by a {@code typ} of {@code at+jwt} (RFC 9068), or by the claims only access tokens carry:
 *       {@code cid} and {@code scp} (Okta), {@code client_id} and {@code scope} (RFC 9068, most
 *       others). A token with none of these is an ID token. A {@code token_use}, where an issuer
 *       adds one, must agree.</li>
 * </ul>
 *
 * For either kind of issuer a {@code typ} of {@code at+jwt} means an access token. The audience
 * and client (which differ per tenant record) are checked later by {@link ClientCheck}.
 */
final class TokenKind {
  private TokenKind() {}

  static boolean isAccessTokenType(String typ) {
    return "at+jwt".equalsIgnoreCase(typ) || "application/at+jwt".equalsIgnoreCase(typ);
  }

  static void check(Issuer issuer, JWSHeader header, JWTClaimsSet claims, TokenUse expected) {
    JOSEObjectType typ = header.getType();
    boolean typedAccess = typ != null && isAccessTokenType(typ.getType());
    Object use = claims.getClaim("token_use");
    if (use != null && !"access".equals(use) && !"id".equals(use)) {
      throw reject("token_use must be access or id");
    }
    if (issuer.cognito()) {
      if (!expected.claimValue().equals(use)) {
        throw reject("expected a " + expected.claimValue() + " token (token_use)");
      }
      if (typedAccess && expected == TokenUse.ID) {
        throw reject("typ at+jwt marks an access token, not an ID token");
      }
      return;
    }
    boolean accessMarks = typedAccess || "access".equals(use) || claims.getClaim("cid") != null
        || claims.getClaim("scp") != null || claims.getClaim("client_id") != null || claims.getClaim("scope") != null;
    if (accessMarks && "id".equals(use)) {
      throw reject("token is marked as both an access token and an ID token");
    }
    if (expected == TokenUse.ACCESS && !accessMarks) {
      throw reject("expected an access token (typ at+jwt, or cid/client_id/scp/scope); this is an ID token");
    }
    if (expected == TokenUse.ID && accessMarks) {
      throw reject("expected an ID token; this one is marked as an access token");
    }
  }

  private static TokenRejectedException reject(String detail) {
    return new TokenRejectedException(Reason.WRONG_TOKEN_USE, detail);
  }
}
