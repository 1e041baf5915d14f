package dev.tenantkit.auth;

/**
 * Which kind of token a call expects. Cognito marks it with {@code token_use}; for Okta and other
 * direct OIDC issuers an access token is marked by {@code typ: at+jwt} or {@code cid},
 * {@code client_id}, {@code scp} or {@code scope}, and a token with none of them is an ID token.
 */
public enum TokenUse {
  /** An access token: {@code token_use=access}, its app client in {@code client_id}. */
  ACCESS("access"),
  /** An ID token: {@code token_use=id}, its app client in {@code aud}. */
  ID("id");

  private final String claimValue;

  TokenUse(String claimValue) {
    this.claimValue = claimValue;
  }

  /** The value of Cognito's {@code token_use} claim for this kind. */
  public String claimValue() {
    return claimValue;
  }
}
