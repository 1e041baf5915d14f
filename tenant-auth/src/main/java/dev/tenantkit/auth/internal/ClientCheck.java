package dev.tenantkit.auth.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.auth.TokenUse;
import dev.tenantkit.core.IdentityConfig;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Step 8: the token's app client and audience against the tenant's record. Nothing the record
 * leaves out widens what is accepted:
 *
 * <ul>
 *   <li>access tokens: {@code client_id} (Cognito, RFC 9068) or {@code cid} (Okta) must be one
 *       of {@code appClientIds}, unless the record says {@code anyClient}; {@code aud} must hold
 *       the record's {@code audience}. A direct OIDC issuer's access tokens are refused when the
 *       record gives no audience (they all carry the authorization server's, whichever API they
 *       were issued for);</li>
 *   <li>ID tokens: {@code aud} must hold one of {@code appClientIds} (any, with
 *       {@code anyClient}), and must not hold the record's API {@code audience}, which only an
 *       access token carries.</li>
 * </ul>
 */
final class ClientCheck {
  private ClientCheck() {}

  /** Checks and returns the client the token was issued to. */
  static @Nullable String check(JWTClaimsSet claims, IdentityConfig identity, TokenUse use) {
    return use == TokenUse.ACCESS ? accessToken(claims, identity) : idToken(claims, identity);
  }

  private static @Nullable String accessToken(JWTClaimsSet claims, IdentityConfig identity) {
    Object client = claims.getClaim("client_id");
    if (client == null) {
      client = claims.getClaim("cid"); // Okta access tokens
    }
    String clientId = client instanceof String ? (String) client : null;
    if (!identity.anyClient() && (clientId == null || !identity.appClientIds().contains(clientId))) {
      throw reject(Reason.WRONG_AUDIENCE, "client_id is not one of the tenant's app clients");
    }
    String audience = identity.audience();
    if (audience == null) {
      if (!identity.isCognito()) {
        throw reject(Reason.WRONG_AUDIENCE, "the tenant record gives no identity.audience, which access tokens"
            + " of a direct OIDC issuer must carry (Okta: the authorization server's audience)");
      }
    } else if (!claims.getAudience().contains(audience)) {
      throw reject(Reason.WRONG_AUDIENCE, "aud does not hold the tenant's audience");
    }
    return clientId;
  }

  private static String idToken(JWTClaimsSet claims, IdentityConfig identity) {
    List<String> aud = claims.getAudience();
    if (aud.isEmpty()) {
      throw reject(Reason.WRONG_AUDIENCE, "an ID token must carry aud");
    }
    String audience = identity.audience();
    if (audience != null && aud.contains(audience)) {
      throw reject(Reason.WRONG_TOKEN_USE, "aud holds the API audience, which marks an access token");
    }
    if (identity.anyClient()) {
      Object azp = claims.getClaim("azp");
      return aud.size() > 1 && azp instanceof String ? (String) azp : aud.get(0);
    }
    for (String a : aud) {
      if (identity.appClientIds().contains(a)) {
        return a;
      }
    }
    throw reject(Reason.WRONG_AUDIENCE, "aud is not one of the tenant's app clients");
  }

  private static TokenRejectedException reject(Reason reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }
}
