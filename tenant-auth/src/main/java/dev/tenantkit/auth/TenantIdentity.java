package dev.tenantkit.auth;

import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.TenantId;
import java.net.URI;

/**
 * A tenant's Cognito identity as it exists: what {@link CognitoTenantIdentityClient#ensure}
 * returns, and what the tenant record's identity section is built from.
 *
 * @param tenantId the tenant
 * @param region the user pool's Region
 * @param userPoolId the user pool id
 * @param appClientId the app client id
 * @param domainPrefix the hosted UI domain prefix
 * @param federatedProvider the SAML provider's name, or null
 */
public record TenantIdentity(TenantId tenantId, String region, String userPoolId, String appClientId,
    String domainPrefix, @org.jspecify.annotations.Nullable String federatedProvider) {

  /** The Cognito issuer of this pool's tokens. */
  public URI issuer() {
    return URI.create("https://cognito-idp." + region + ".amazonaws.com/" + userPoolId);
  }

  /** The identity section of the tenant record. */
  public IdentityConfig toIdentityConfig() {
    IdentityConfig.Builder b = IdentityConfig.builder().userPoolId(userPoolId).region(region).appClientIds(appClientId);
    if (federatedProvider != null) {
      b.federation(new IdentityConfig.Federation(federatedProvider, IdentityConfig.ProviderType.SAML, null));
    }
    return b.build();
  }
}
