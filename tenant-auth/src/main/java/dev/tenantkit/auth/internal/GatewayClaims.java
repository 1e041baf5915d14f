package dev.tenantkit.auth.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import java.math.BigDecimal;
import java.util.Date;
import java.util.Map;

/**
 * That the token presented is the one API Gateway's JWT authorizer verified: every scalar claim
 * the authorizer passed on ({@code requestContext.authorizer.jwt.claims}, each value a string)
 * must be the token's, with the same value; {@code iss} and {@code exp} must be among them. A
 * claim the token holds as an array or object is not compared: the authorizer writes those in a
 * form of its own ({@code [a b]}) that cannot be read back exactly, and the groups, scopes and
 * audiences TenantKit checks are always read from the token, never from these strings.
 */
final class GatewayClaims {
  private GatewayClaims() {}

  static void requireSameToken(JWTClaimsSet token, Map<String, String> gateway) {
    for (String required : new String[] {"iss", "exp"}) {
      if (!gateway.containsKey(required)) {
        throw reject("the authorizer's claims hold no " + required);
      }
    }
    for (Map.Entry<String, String> e : gateway.entrySet()) {
      Object value = token.getClaim(e.getKey());
      if (value == null) {
        throw reject("the token lacks a claim the authorizer verified");
      }
      if (!same(value, e.getValue())) {
        // The claim's name only: values may be personal data.
        throw reject("the token's " + e.getKey() + " is not the one the authorizer verified");
      }
    }
  }

  private static boolean same(Object token, String gateway) {
    if (token instanceof String) {
      return token.equals(gateway);
    }
    if (token instanceof Date) { // exp, nbf, iat: seconds since the epoch
      return number(gateway, BigDecimal.valueOf(((Date) token).getTime() / 1000));
    }
    if (token instanceof Number) {
      try {
        return number(gateway, new BigDecimal(token.toString()));
      } catch (NumberFormatException e) {
        return false;
      }
    }
    if (token instanceof Boolean) {
      return token.toString().equals(gateway);
    }
    return true; // an array or an object: see the class comment
  }

  private static boolean number(String gateway, BigDecimal token) {
    if (gateway.length() > 40) {
      return false;
    }
    try {
      return new BigDecimal(gateway).compareTo(token) == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static TokenRejectedException reject(String detail) {
    return new TokenRejectedException(Reason.NOT_GATEWAY_VERIFIED, detail);
  }
}
