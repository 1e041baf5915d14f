package dev.tenantkit.auth;

/** Which kind of token a call expects. */
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
