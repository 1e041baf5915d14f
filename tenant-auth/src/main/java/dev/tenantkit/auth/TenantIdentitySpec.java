package dev.tenantkit.auth;

import dev.tenantkit.core.TenantId;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a tenant's Cognito identity should look like: its user pool, app client, domain, groups
 * and, optionally, the customer's Okta federated by SAML.
 *
 * @param tenantId the tenant; names the pool {@code tenantkit-{id}} and is written, immutable, to
 *     every user's {@code custom:tenant_id}
 * @param domainPrefix the hosted UI domain prefix; {@code tenantkit-{id}} by default
 * @param callbackUrls OAuth callback URLs of the app client
 * @param advancedSecurity Cognito threat protection: {@code OFF}, {@code AUDIT} or {@code ENFORCED}
 *     (higher tiers; needs the Plus feature plan)
 * @param saml the customer's SAML identity provider, or null
 */
public record TenantIdentitySpec(TenantId tenantId, String domainPrefix, List<URI> callbackUrls,
    String advancedSecurity, @Nullable SamlProvider saml) {

  /** Validates the fields. */
  public TenantIdentitySpec {
    Objects.requireNonNull(tenantId, "tenantId");
    if (domainPrefix == null || !domainPrefix.matches("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException("domainPrefix must be a lowercase DNS label: " + domainPrefix);
    }
    callbackUrls = List.copyOf(callbackUrls);
    if (!List.of("OFF", "AUDIT", "ENFORCED").contains(advancedSecurity)) {
      throw new IllegalArgumentException("advancedSecurity must be OFF, AUDIT or ENFORCED: " + advancedSecurity);
    }
  }

  /** The spec for {@code tenantId} with defaults: no callbacks, advanced security OFF, no SAML. */
  public static TenantIdentitySpec of(TenantId tenantId) {
    return new TenantIdentitySpec(tenantId, "tenantkit-" + tenantId, List.of(), "OFF", null);
  }

  /** This spec with the customer's SAML provider. */
  public TenantIdentitySpec withSaml(SamlProvider provider) {
    return new TenantIdentitySpec(tenantId, domainPrefix, callbackUrls, advancedSecurity, provider);
  }

  /** This spec with advanced security {@code mode}. */
  public TenantIdentitySpec withAdvancedSecurity(String mode) {
    return new TenantIdentitySpec(tenantId, domainPrefix, callbackUrls, mode, saml);
  }

  /**
   * The customer's SAML IdP (Okta, say), from a metadata URL or a metadata document, and the
   * SAML attribute names that carry email, name and the tenant id.
   *
   * @param providerName the provider's name in the pool, such as {@code Okta}
   * @param metadataUrl the IdP metadata URL, or null when {@code metadataDocument} is given
   * @param metadataDocument the IdP metadata XML, or null when {@code metadataUrl} is given
   * @param emailAttribute the SAML attribute mapped to {@code email}
   * @param nameAttribute the SAML attribute mapped to {@code name}
   * @param tenantAttribute the SAML attribute mapped to {@code custom:tenant_id}
   */
  public record SamlProvider(String providerName, @Nullable URI metadataUrl, @Nullable String metadataDocument,
      String emailAttribute, String nameAttribute, String tenantAttribute) {
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
      Objects.requireNonNull(tenantAttribute, "tenantAttribute");
    }

    /** Okta's usual attribute statements (email, name, tenant_id) from a metadata URL. */
    public static SamlProvider okta(URI metadataUrl) {
      return new SamlProvider("Okta", metadataUrl, null,
          "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
          "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", "tenant_id");
    }
  }
}
