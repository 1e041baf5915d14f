package dev.tenantkit.core;

import dev.tenantkit.core.internal.Checks;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Who signs the tenant's tokens: a Cognito user pool (its own in a silo, or a shared pool with a
 * tenant claim) or a direct OIDC issuer such as Okta.
 *
 * @param issuer the exact {@code iss} of the tenant's tokens; for Cognito
 *     {@code https://cognito-idp.{region}.amazonaws.com/{userPoolId}}, derived when omitted
 * @param userPoolId the Cognito user pool id, when the issuer is Cognito
 * @param region the user pool's Region
 * @param appClientIds the app clients whose tokens are accepted ({@code client_id} of access
 *     tokens, {@code aud} of ID tokens); empty means any client of this issuer
 * @param tenantClaim the claim naming the tenant in a shared pool; {@code custom:tenant_id}
 * @param sharedIssuer whether other tenants use the same issuer (a pooled user pool), in which
 *     case the tenant claim is what tells tenants apart and is required in every token
 * @param jwksUri where the issuer's keys are, when not the default location (local emulators,
 *     private endpoints)
 * @param federation the customer's identity provider federated into the user pool, if any
 */
public record IdentityConfig(
    URI issuer,
    @Nullable String userPoolId,
    @Nullable String region,
    Set<String> appClientIds,
    String tenantClaim,
    boolean sharedIssuer,
    @Nullable URI jwksUri,
    @Nullable Federation federation) {

  /** The tenant claim Cognito user pools carry: an immutable custom attribute. */
  public static final String DEFAULT_TENANT_CLAIM = "custom:tenant_id";

  private static final Pattern USER_POOL_ID = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}_[0-9A-Za-z]{1,64}");
  private static final Pattern CLIENT_ID = Pattern.compile("[\\w+]{1,128}");
  private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_:.\\-]{1,128}");

  /** Validates every field; see the builder for the rules. */
  public IdentityConfig {
    if (issuer == null) {
      throw new InvalidTenantRecordException("issuer", "is required (or give userPoolId and region)");
    }
    Checks.httpsUri(issuer.toString(), "issuer");
    Checks.matches(userPoolId, USER_POOL_ID, "userPoolId", "must look like eu-west-1_AbCdEf123");
    Checks.region(region, "region");
    appClientIds = Set.copyOf(appClientIds);
    for (String id : appClientIds) {
      Checks.matches(id, CLIENT_ID, "appClientIds", "must be word characters, 1 to 128 of them");
    }
    Checks.matches(Checks.required(tenantClaim, "tenantClaim"), CLAIM, "tenantClaim",
        "must be 1 to 128 letters, digits or _:.-");
    if (jwksUri != null) {
      Checks.httpsUri(jwksUri.toString(), "jwksUri");
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.issuer = issuer.toString();
    b.userPoolId = userPoolId;
    b.region = region;
    b.appClientIds.addAll(appClientIds);
    b.tenantClaim = tenantClaim;
    b.sharedIssuer = sharedIssuer;
    b.jwksUri = jwksUri == null ? null : jwksUri.toString();
    b.federation = federation;
    return b;
  }

  /** Whether the issuer is a Cognito user pool. */
  public boolean isCognito() {
    return userPoolId != null;
  }

  /**
   * The customer's identity provider federated into the user pool.
   *
   * @param providerName the provider name in the user pool, for example {@code Okta}
   * @param providerType SAML or OIDC
   * @param metadataUrl the SAML metadata URL or OIDC issuer of the customer's IdP, if recorded
   */
  public record Federation(String providerName, ProviderType providerType, @Nullable URI metadataUrl) {
    /** Validates the provider name. */
    public Federation {
      Checks.matches(Checks.required(providerName, "federation.providerName"),
          Pattern.compile("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]{1,32}"), "federation.providerName",
          "must be 1 to 32 characters without spaces");
      if (providerType == null) {
        throw new InvalidTenantRecordException("federation.providerType", "is required (SAML or OIDC)");
      }
    }
  }

  /** How a customer's identity provider is federated. */
  public enum ProviderType {
    /** SAML 2.0, as Okta is federated into Cognito by default. */
    SAML,
    /** OpenID Connect. */
    OIDC
  }

  /** Builds an {@link IdentityConfig}. */
  public static final class Builder {
    private @Nullable String issuer;
    private @Nullable String userPoolId;
    private @Nullable String region;
    private final Set<String> appClientIds = new LinkedHashSet<>();
    private String tenantClaim = DEFAULT_TENANT_CLAIM;
    private boolean sharedIssuer;
    private @Nullable String jwksUri;
    private @Nullable Federation federation;

    private Builder() {}

    /** The exact {@code iss} of the tenant's tokens; override for emulators and private endpoints. */
    public Builder issuer(@Nullable String issuer) {
      this.issuer = issuer;
      return this;
    }

    /** The Cognito user pool id; with {@link #region} it determines the issuer. */
    public Builder userPoolId(@Nullable String userPoolId) {
      this.userPoolId = userPoolId;
      return this;
    }

    /** The user pool's Region. */
    public Builder region(@Nullable String region) {
      this.region = region;
      return this;
    }

    /** Adds accepted app client ids. */
    public Builder appClientIds(String... ids) {
      this.appClientIds.addAll(Set.of(ids));
      return this;
    }

    /** Replaces the accepted app client ids. */
    public Builder appClientIds(Set<String> ids) {
      this.appClientIds.clear();
      this.appClientIds.addAll(ids);
      return this;
    }

    /** The claim that names the tenant; change it when your pool uses another attribute name. */
    public Builder tenantClaim(String tenantClaim) {
      this.tenantClaim = tenantClaim;
      return this;
    }

    /** Marks the issuer as shared by several tenants (a pooled user pool). */
    public Builder sharedIssuer(boolean sharedIssuer) {
      this.sharedIssuer = sharedIssuer;
      return this;
    }

    /** Where the keys are, when not at the issuer's default location. */
    public Builder jwksUri(@Nullable String jwksUri) {
      this.jwksUri = jwksUri;
      return this;
    }

    /** The federated customer identity provider. */
    public Builder federation(@Nullable Federation federation) {
      this.federation = federation;
      return this;
    }

    /** Validates and builds; derives the Cognito issuer from pool id and Region when not given. */
    public IdentityConfig build() {
      String iss = issuer;
      if (iss == null && userPoolId != null && region != null) {
        iss = "https://cognito-idp." + region + ".amazonaws.com/" + userPoolId;
      }
      if (iss == null) {
        throw new InvalidTenantRecordException("issuer", "is required (or give userPoolId and region)");
      }
      URI issuerUri = Checks.httpsUri(iss, "issuer");
      URI jwks = Checks.httpsUri(jwksUri, "jwksUri");
      return new IdentityConfig(issuerUri, userPoolId, region, appClientIds, tenantClaim,
          sharedIssuer, jwks, federation);
    }
  }
}
