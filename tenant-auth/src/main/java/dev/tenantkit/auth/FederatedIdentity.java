package dev.tenantkit.auth;

/**
 * The customer's identity provider a Cognito user signed in through, from the {@code identities}
 * claim of a federated user's token (Okta by SAML or OIDC, say).
 *
 * @param providerName the provider's name in the user pool, e.g. {@code Okta}
 * @param providerType {@code SAML}, {@code OIDC}, or another Cognito provider type
 * @param userId the user's id at the provider
 * @param primary whether this is the user's primary identity
 */
public record FederatedIdentity(String providerName, String providerType, String userId, boolean primary) {}
