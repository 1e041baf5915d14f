package dev.tenantkit.auth;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.spi.CognitoTenantRules;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a tenant's Cognito identity should look like: its user pool, app client, domain, groups
 * and, optionally, the customer's Okta federated by SAML. {@link CognitoTenantIdentityClient#ensure}
 * brings an existing identity to this spec, not only creates what is missing.
 *
 * @param tenantId the tenant; names the pool {@code tenantkit-{id}}; every user the admin API
 *     creates carries it in the immutable {@code custom:tenant_id}
 * @param domainPrefix the hosted UI domain prefix; {@code tenantkit-{id}} by default. Cognito
 *     refuses prefixes containing {@code aws}, {@code amazon} or {@code cognito}, so a tenant whose
 *     id contains one needs its own
 * @param callbackUrls the app client's OAuth callback URLs (https, or http on localhost). None
 *     (the default) means no OAuth for the client: users sign in with SRP only. There is no
 *     placeholder: a SAML provider needs at least one, since federated sign-in goes through OAuth
 * @param logoutUrls the app client's sign-out URLs (same rules); none by default
 * @param advancedSecurity Cognito threat protection: {@code OFF}, {@code AUDIT} or {@code ENFORCED}
 *     (higher tiers; needs the Plus feature plan)
 * @param saml the customer's SAML identity provider, or null
 */
public record TenantIdentitySpec(TenantId tenantId, String domainPrefix, List<URI> callbackUrls, List<URI> logoutUrls,
    String advancedSecurity, @Nullable SamlProvider saml) {

  /** Validates the fields; each error names its field. */
  public TenantIdentitySpec {
    Objects.requireNonNull(tenantId, "tenantId");
    if (domainPrefix == null) {
      throw new IllegalArgumentException("domainPrefix is required");
    }
    Optional<String> prefixProblem = CognitoTenantRules.domainPrefixProblem(domainPrefix);
    if (prefixProblem.isPresent()) {
      throw new IllegalArgumentException("domainPrefix " + prefixProblem.get() + " (was " + domainPrefix + ")");
    }
    callbackUrls = checkUrls(callbackUrls, "callbackUrls");
    logoutUrls = checkUrls(logoutUrls, "logoutUrls");
    if (!List.of("OFF", "AUDIT", "ENFORCED").contains(advancedSecurity)) {
      throw new IllegalArgumentException("advancedSecurity must be OFF, AUDIT or ENFORCED: " + advancedSecurity);
    }
  }

  /** A spec without logout URLs. */
  public TenantIdentitySpec(TenantId tenantId, String domainPrefix, List<URI> callbackUrls, String advancedSecurity,
      @Nullable SamlProvider saml) {
    this(tenantId, domainPrefix, callbackUrls, List.of(), advancedSecurity, saml);
  }

  private static List<URI> checkUrls(List<URI> urls, String field) {
    List<URI> copy = List.copyOf(Objects.requireNonNull(urls, field));
    if (copy.size() > CognitoTenantRules.MAX_REDIRECT_URLS) {
      throw new IllegalArgumentException(field + " may hold at most " + CognitoTenantRules.MAX_REDIRECT_URLS
          + " URLs (was " + copy.size() + ")");
    }
    for (URI u : copy) {
      Optional<String> problem = CognitoTenantRules.redirectUrlProblem(u.toString());
      if (problem.isPresent()) {
        throw new IllegalArgumentException(field + ": " + u + " " + problem.get());
      }
    }
    return copy;
  }

  /** The spec for {@code tenantId} with defaults: no callback or logout URLs, advanced security OFF, no SAML. */
  public static TenantIdentitySpec of(TenantId tenantId) {
    return new TenantIdentitySpec(tenantId, CognitoTenantRules.defaultDomainPrefix(tenantId), List.of(), List.of(),
        "OFF", null);
  }

  /** This spec with the customer's SAML provider (which needs {@link #withCallbackUrls callback URLs}). */
  public TenantIdentitySpec withSaml(SamlProvider provider) {
    return new TenantIdentitySpec(tenantId, domainPrefix, callbackUrls, logoutUrls, advancedSecurity, provider);
  }

  /** This spec with these OAuth callback URLs. */
  public TenantIdentitySpec withCallbackUrls(List<URI> urls) {
    return new TenantIdentitySpec(tenantId, domainPrefix, urls, logoutUrls, advancedSecurity, saml);
  }

  /** This spec with these sign-out URLs. */
  public TenantIdentitySpec withLogoutUrls(List<URI> urls) {
    return new TenantIdentitySpec(tenantId, domainPrefix, callbackUrls, urls, advancedSecurity, saml);
  }

  /** This spec with advanced security {@code mode}. */
  public TenantIdentitySpec withAdvancedSecurity(String mode) {
    return new TenantIdentitySpec(tenantId, domainPrefix, callbackUrls, logoutUrls, mode, saml);
  }

  /**
   * The customer's SAML IdP (Okta, say), from a metadata URL or a metadata document, and the SAML
   * attribute names that carry email and name. There is deliberately no tenant attribute: the
   * tenant is the pool's, never the customer IdP's to say (see {@link CognitoTenantRules}).
   *
   * @param providerName the provider's name in the pool, such as {@code Okta}
   * @param metadataUrl the IdP metadata URL, or null when {@code metadataDocument} is given
   * @param metadataDocument the IdP metadata XML, or null when {@code metadataUrl} is given
   * @param emailAttribute the SAML attribute mapped to {@code email}
   * @param nameAttribute the SAML attribute mapped to {@code name}
   */
  public record SamlProvider(String providerName, @Nullable URI metadataUrl, @Nullable String metadataDocument,
      String emailAttribute, String nameAttribute) {
    /** Validates the fields. */
    public SamlProvider {
      if (providerName == null || !providerName.matches("[A-Za-z0-9_-]{1,32}")) {
        throw new IllegalArgumentException("providerName must be 1 to 32 letters, digits, '_' or '-'");
      }
      if ((metadataUrl == null) == (metadataDocument == null)) {
        throw new IllegalArgumentException("give exactly one of metadataUrl and metadataDocument");
      }
      if (metadataUrl != null && !"https".equals(metadataUrl.getScheme())) {
        throw new IllegalArgumentException("metadataUrl must use https");
      }
      Objects.requireNonNull(emailAttribute, "emailAttribute");
      Objects.requireNonNull(nameAttribute, "nameAttribute");
    }

    /** Okta's usual attribute statements (email, name) from a metadata URL. */
    public static SamlProvider okta(URI metadataUrl) {
      return new SamlProvider("Okta", metadataUrl, null,
          "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
          "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name");
    }
  }
}
