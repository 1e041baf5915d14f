package dev.tenantkit.auth.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tenantkit.auth.FederatedIdentity;
import dev.tenantkit.auth.TokenUse;
import dev.tenantkit.core.IdentityConfig;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads what a verified token says about its user, the way its issuer writes it: groups from
 * the record's group claim ({@code cognito:groups} for Cognito, {@code groups} or a configured
 * name otherwise; never another issuer kind's claim), scopes from {@code scope} (space
 * separated) or {@code scp} (a list), the username, and Cognito's federated identities.
 */
final class PrincipalClaims {
  private PrincipalClaims() {}

  static Set<String> groups(JWTClaimsSet claims, IdentityConfig identity) {
    Object value = claims.getClaim(identity.groupClaim());
    return value instanceof String ? Set.of((String) value) : stringSet(value);
  }

  static Set<String> scopes(JWTClaimsSet claims) {
    Object scope = claims.getClaim("scope");
    if (scope instanceof String) {
      Set<String> out = new HashSet<>();
      for (String sc : ((String) scope).split(" ")) {
        if (!sc.isEmpty()) {
          out.add(sc);
        }
      }
      return out;
    }
    return stringSet(claims.getClaim("scp"));
  }

  static String username(JWTClaimsSet claims, IdentityConfig identity, TokenUse use, String subject) {
    Object username;
    if (identity.isCognito()) {
      username = use == TokenUse.ACCESS ? claims.getClaim("username") : claims.getClaim("cognito:username");
    } else {
      username = claims.getClaim("preferred_username");
    }
    return username instanceof String ? (String) username : subject;
  }

  static @Nullable FederatedIdentity federated(JWTClaimsSet claims) {
    Object identities = claims.getClaim("identities");
    if (!(identities instanceof Collection)) {
      return null;
    }
    FederatedIdentity first = null;
    for (Object o : (Collection<?>) identities) {
      if (!(o instanceof Map)) {
        continue;
      }
      Map<?, ?> m = (Map<?, ?>) o;
      Object name = m.get("providerName");
      Object type = m.get("providerType");
      Object user = m.get("userId");
      if (!(name instanceof String) || !(type instanceof String) || !(user instanceof String)) {
        continue;
      }
      boolean primary = "true".equals(String.valueOf(m.get("primary")));
      FederatedIdentity f = new FederatedIdentity((String) name, (String) type, (String) user, primary);
      if (primary) {
        return f;
      }
      if (first == null) {
        first = f;
      }
    }
    return first;
  }

  private static Set<String> stringSet(@Nullable Object value) {
    if (!(value instanceof Collection)) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    for (Object o : (Collection<?>) value) {
      if (o instanceof String) {
        out.add((String) o);
      }
    }
    return out;
  }
}
