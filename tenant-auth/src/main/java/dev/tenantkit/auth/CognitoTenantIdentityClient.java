package dev.tenantkit.auth;

import dev.tenantkit.auth.internal.DefaultCognitoIdentityClient;
import dev.tenantkit.core.TenantId;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * Sets up, uses and removes a tenant's Cognito identity through the real Cognito API: a user
 * pool with an immutable {@code custom:tenant_id}, a password policy and optional threat
 * protection; an app client that cannot write the tenant attribute (authorization code grant
 * only, callback and logout URLs from the spec); a hosted UI domain; the groups
 * {@code tenant-admin} and {@code tenant-user}; and, when given, the customer's SAML IdP (Okta)
 * with an attribute mapping that never touches the tenant attribute. The rules shared with
 * tenant-provision's CDK user pool are {@link dev.tenantkit.core.spi.CognitoTenantRules}. Every
 * call is idempotent: {@link #ensure} brings an existing identity to the spec (an app client is
 * updated when its providers, URLs or attribute access differ) and changes nothing when it
 * already matches.
 *
 * <p>Needs {@code software.amazon.awssdk:cognitoidentityprovider} on the class path (an optional
 * dependency of tenant-auth: only control-plane code uses this).
 */
public interface CognitoTenantIdentityClient {
  /** Group of the tenant's administrators. */
  String ADMIN_GROUP = "tenant-admin";
  /** Group of the tenant's users. */
  String USER_GROUP = "tenant-user";

  /** A client over {@code cognito}, whose Region is the pools' Region. */
  static CognitoTenantIdentityClient create(CognitoIdentityProviderClient cognito, String region) {
    return new DefaultCognitoIdentityClient(cognito, region);
  }

  /**
   * Creates whatever of the tenant's identity is missing and brings what exists to the spec;
   * returns it as it now is.
   *
   * @throws dev.tenantkit.core.TenantConfigurationException when the spec federates a SAML
   *     provider without a callback URL (before any call), or Cognito refuses a call
   */
  TenantIdentity ensure(TenantIdentitySpec spec);

  /**
   * Creates a user of the tenant (no invitation message), with {@code custom:tenant_id} set, in
   * {@code group}. An existing user is left as is and only added to the group.
   */
  void createUser(TenantIdentity identity, String username, String email, String group);

  /** Disables a user; signing in is refused afterwards. */
  void disableUser(TenantIdentity identity, String username);

  /**
   * Deletes the tenant's domain and user pool (users included), for offboarding.
   *
   * @return whether there was anything to delete
   */
  boolean delete(TenantId tenantId);
}
