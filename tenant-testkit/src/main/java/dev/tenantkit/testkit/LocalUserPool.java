package dev.tenantkit.testkit;

import dev.tenantkit.core.IdentityConfig;

/**
 * A Cognito-shaped user pool: issuer {@code http://127.0.0.1:PORT/{userPoolId}}, tokens with
 * Cognito's claims ({@code token_use}, {@code client_id} and {@code scope} in access tokens,
 * {@code aud} and {@code cognito:username} in ID tokens, groups in {@code cognito:groups}).
 *
 * <p>The pool id is a Region's ({@code eu-west-1_Acme}) or an emulator's ({@code local_Acme},
 * as cognito-local makes); the identity section of an emulator's pool names the issuer
 * explicitly and no Region.
 */
public final class LocalUserPool extends LocalIssuer {

  LocalUserPool(LocalTokenIssuer server, String userPoolId) {
    super(server, userPoolId);
  }

  /** Whether the pool id is an emulator's ({@code local_...}). */
  public boolean emulator() {
    return id.startsWith("local_");
  }

  /** Issuer, pool id, Region (none for an emulator's pool) and the default app client. */
  @Override
  public IdentityConfig.Builder identity() {
    IdentityConfig.Builder b = IdentityConfig.builder().issuer(issuer()).appClientIds(clientId()).userPoolId(id);
    if (!emulator()) {
      b.region(id.substring(0, id.indexOf('_')));
    }
    return b;
  }

  @Override
  boolean cognitoShaped() {
    return true;
  }

  /** An access token: {@code token_use=access}, {@code client_id}, {@code scope}, {@code username}. */
  @Override
  public LocalTokenBuilder accessToken() {
    LocalTokenBuilder b = new LocalTokenBuilder(this);
    b.claims.put("token_use", "access");
    b.claims.put("client_id", clientId());
    b.claims.put("scope", "aws.cognito.signin.user.admin");
    b.claims.put("username", b.claims.get("sub"));
    return b;
  }

  /** An ID token: {@code token_use=id}, {@code aud} the client, {@code cognito:username}, {@code email}. */
  @Override
  public LocalTokenBuilder idToken() {
    LocalTokenBuilder b = new LocalTokenBuilder(this);
    b.claims.put("token_use", "id");
    b.claims.put("aud", clientId());
    b.claims.put("cognito:username", b.claims.get("sub"));
    b.claims.put("email", b.claims.get("sub") + "@example.com");
    return b;
  }
}
