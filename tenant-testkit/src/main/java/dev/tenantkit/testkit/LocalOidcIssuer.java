package dev.tenantkit.testkit;

import dev.tenantkit.core.IdentityConfig;
import java.util.List;

/**
 * An Okta-shaped OIDC authorization server at {@code http://127.0.0.1:PORT/{name}}. Its tokens
 * are marked the way Okta marks them, with no {@code token_use}:
 *
 * <ul>
 *   <li>access tokens carry {@code cid} (the client), {@code uid}, {@code scp} (a list of scopes)
 *       and {@code aud} = the authorization server's audience ({@link #audience()},
 *       {@code api://default} like Okta's default server);</li>
 *   <li>ID tokens carry {@code aud} = the client id, {@code amr}, {@code idp} and no
 *       {@code cid}/{@code scp};</li>
 *   <li>groups are in {@code groups}.</li>
 * </ul>
 *
 * Use {@link LocalTokenBuilder#type(String)} for an RFC 9068 {@code typ: at+jwt} header.
 */
public final class LocalOidcIssuer extends LocalIssuer {
  /** The audience of Okta's default authorization server. */
  public static final String DEFAULT_AUDIENCE = "api://default";

  LocalOidcIssuer(LocalTokenIssuer server, String name) {
    super(server, name);
  }

  /** The {@code aud} of this server's access tokens. */
  public String audience() {
    return DEFAULT_AUDIENCE;
  }

  /** Issuer, the default app client and the access-token audience. */
  @Override
  public IdentityConfig.Builder identity() {
    return IdentityConfig.builder().issuer(issuer()).appClientIds(clientId()).audience(audience());
  }

  @Override
  boolean cognitoShaped() {
    return false;
  }

  /** An access token: {@code ver}, {@code cid}, {@code uid}, {@code scp}, {@code aud} = {@link #audience()}. */
  @Override
  public LocalTokenBuilder accessToken() {
    LocalTokenBuilder b = new LocalTokenBuilder(this);
    b.claims.put("ver", 1);
    b.claims.put("aud", audience());
    b.claims.put("cid", clientId());
    b.claims.put("uid", "00u" + Integer.toHexString(java.util.Objects.hashCode(b.claims.get("sub"))));
    b.claims.put("scp", List.of("openid"));
    return b;
  }

  /** An ID token: {@code ver}, {@code aud} = the client id, {@code amr}, {@code idp}, {@code email}. */
  @Override
  public LocalTokenBuilder idToken() {
    LocalTokenBuilder b = new LocalTokenBuilder(this);
    b.claims.put("ver", 1);
    b.claims.put("aud", clientId());
    b.claims.put("amr", List.of("pwd"));
    b.claims.put("idp", "00o" + id.hashCode());
    b.claims.put("email", b.claims.get("sub") + "@example.com");
    return b;
  }
}
