package dev.tenantkit.auth.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * That the token presented is the one API Gateway's JWT authorizer verified, as far as its claims
 * tell: the authorizer passed on ({@code requestContext.authorizer.jwt.claims}, each value a
 * string) exactly the token's claims, with the same values. Both ways: a claim the authorizer
 * verified that the token lacks, and a claim the token holds that the authorizer did not verify
 * (a group, a tenant claim added to a copy of a verified token), are refused; {@code iss} and
 * {@code exp} must be among them.
 *
 * <p>Values: a string as itself; a number as its digits (the time claims as epoch seconds); a
 * boolean as {@code true}/{@code false}; an array of strings, numbers or booleans as API Gateway
 * writes it, {@code [a b]} (a one-element array also as its element, as {@code aud} is), and
 * refused when an element holds a space or a bracket, where that form cannot tell
 * {@code ["admin ops"]} from {@code ["admin", "ops"]}, or is null or an object beside other values.
 * An object, or an array of objects only (Cognito's {@code identities}), has no form to compare:
 * only its presence is. No check of TenantKit's reads one (Cognito's {@code identities} only fill
 * the principal's federated identity, for information); a {@code ClaimCheck} that does reads what
 * the authorizer did not vouch for. A claim whose
 * value is JSON {@code null} carries nothing and is passed over. Groups, scopes and audiences
 * are always read from the token, never from these strings.
 */
final class GatewayClaims {
  // What a refusal may name: the claim names of a forged event are the sender's text.
  private static final Pattern PRINTABLE_NAME = Pattern.compile("[A-Za-z0-9:_.\\-]{1,64}");

  private GatewayClaims() {}

  static void requireSameToken(JWTClaimsSet token, Map<String, String> gateway) {
    for (String required : new String[] {"iss", "exp"}) {
      if (!gateway.containsKey(required)) {
        throw reject("the authorizer's claims hold no " + required);
      }
    }
    Map<String, Object> claims = token.getClaims();
    for (Map.Entry<String, String> e : gateway.entrySet()) {
      if (!claims.containsKey(e.getKey())) {
        throw reject("the token lacks the claim " + name(e.getKey()) + ", which the authorizer verified");
      }
    }
    for (Map.Entry<String, Object> c : claims.entrySet()) {
      if (c.getValue() == null) {
        continue;
      }
      String verified = gateway.get(c.getKey());
      if (verified == null) {
        throw reject("the token's claim " + name(c.getKey()) + " is not among those the authorizer verified");
      }
      if (!same(c.getValue(), verified)) {
        // The claim's name only: values may be personal data.
        throw reject("the token's " + name(c.getKey()) + " is not the one the authorizer verified");
      }
    }
  }

  private static boolean same(Object token, String gateway) {
    if (token instanceof Collection) {
      Collection<?> list = (Collection<?>) token;
      if (!list.isEmpty() && list.stream().allMatch(e -> e instanceof Map)) {
        return true; // an array of objects: see the class comment
      }
      StringBuilder written = new StringBuilder("[");
      for (Object element : list) {
        String text = element == null ? null : scalar(element);
        if (text == null) {
          return false; // a null, or an object beside other values: no form to compare
        }
        if (text.isEmpty() || text.indexOf(' ') >= 0 || text.indexOf('[') >= 0 || text.indexOf(']') >= 0) {
          return false; // the authorizer's form would be ambiguous
        }
        written.append(written.length() == 1 ? "" : " ").append(text);
      }
      String joined = written.append(']').toString();
      return joined.equals(gateway) || list.size() == 1 && joined.substring(1, joined.length() - 1).equals(gateway);
    }
    if (token instanceof Map) {
      return true; // an object: see the class comment
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
    String text = scalar(token);
    return text != null && text.equals(gateway);
  }

  /** A string or boolean as text, a number as its digits; null for anything else. */
  private static @Nullable String scalar(Object value) {
    if (value instanceof String || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof Number) {
      try {
        return new BigDecimal(value.toString()).toPlainString();
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
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

  private static String name(String claim) {
    return PRINTABLE_NAME.matcher(claim).matches() ? claim : "(a claim)";
  }

  private static TokenRejectedException reject(String detail) {
    return new TokenRejectedException(Reason.NOT_GATEWAY_VERIFIED, detail);
  }
}
