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
 * @param appClientIds the app clients whose tokens are accepted ({@code client_id} or Okta's
 *     {@code cid} of access tokens, {@code aud} of ID tokens); required unless {@code anyClient}
 * @param tenantClaim the claim naming the tenant in a shared pool; {@code custom:tenant_id}
 * @param sharedIssuer whether other tenants use the same issuer (a pooled user pool), in which
 *     case the tenant claim is what tells tenants apart and is required in every token
 * @param jwksUri where the issuer's keys are, when not the default location (local emulators,
 *     private endpoints)
 * @param federation the customer's identity provider federated into the user pool, if any
 * @param anyClient whether tokens of every app client of this issuer are accepted; false by
 *     default, and then {@code appClientIds} must list the clients. Even when true, the kind of
 *     token (access or ID) is still checked
 * @param audience the {@code aud} that access tokens of this issuer must carry: for Okta and
 *     other direct OIDC issuers the authorization server's audience (Okta's default server:
 *     {@code api://default}); without it such an issuer's access tokens are refused. Cognito
 *     access tokens carry no {@code aud}; when given for a user pool it is required there too
 * @param groupClaim the claim holding the user's groups: {@code cognito:groups} for a Cognito
 *     user pool, {@code groups} for other issuers unless configured
 */
public record IdentityConfig(
    URI issuer,
    @Nullable String userPoolId,
    @Nullable String region,
    Set<String> appClientIds,
    String tenantClaim,
    boolean sharedIssuer,
    @Nullable URI jwksUri,
    @Nullable Federation federation,
    boolean anyClient,
    @Nullable String audience,
    String groupClaim) {

  /** The tenant claim Cognito user pools carry: an immutable custom attribute. */
  public static final String DEFAULT_TENANT_CLAIM = "custom:tenant_id";

  /** The group claim of Cognito user pools. */
  public static final String COGNITO_GROUP_CLAIM = "cognito:groups";

  /** The group claim of other OIDC issuers (Okta's groups claim, Keycloak's group mapper). */
  public static final String OIDC_GROUP_CLAIM = "groups";

  private static final Pattern AUDIENCE = Pattern.compile("[\\x21-\\x7e]{1,256}");
  private static final Pattern CLIENT_ID = Pattern.compile("[\\w+]{1,128}");
  private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_:.\\-]{1,128}");

  /** Validates every field; see the builder for the rules. */
  public IdentityConfig {
    if (issuer == null) {
      throw new InvalidTenantRecordException("issuer", "is required (or give userPoolId and region)");
    }
    Checks.httpsUri(issuer.toString(), "issuer");
    if (isEmulatorPoolId(userPoolId)) {
      String host = issuer.getHost();
      if (host != null && host.endsWith(".amazonaws.com")) {
        throw new InvalidTenantRecordException("issuer", "must be the emulator's own issuer for an emulator"
            + " user pool id (local_...), not an AWS one");
      }
    } else {
      Checks.userPoolId(userPoolId, "userPoolId",
          "must look like eu-west-1_AbCdEf123 (or local_AbC123 for an emulator, with its issuer)");
    }
    Checks.region(region, "region");
    appClientIds = Set.copyOf(appClientIds);
    for (String id : appClientIds) {
      Checks.matches(id, CLIENT_ID, "appClientIds", "must be word characters, 1 to 128 of them");
    }
    // Secure by default: leaving the clients out must not mean "every client".
    if (appClientIds.isEmpty() && !anyClient) {
      throw new InvalidTenantRecordException("appClientIds", "is required: list the app clients whose tokens"
          + " are accepted, or set anyClient to true to accept every client of this issuer");
    }
    if (anyClient && !appClientIds.isEmpty()) {
      throw new InvalidTenantRecordException("anyClient", "must not be true when appClientIds are listed"
          + " (say one or the other)");
    }
    Checks.matches(audience, AUDIENCE, "audience", "must be 1 to 256 printable characters without spaces");
    if (groupClaim == null) {
      groupClaim = defaultGroupClaim(userPoolId);
    }
    Checks.matches(groupClaim, CLAIM, "groupClaim", "must be 1 to 128 letters, digits or _:.-");
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
    b.anyClient = anyClient;
    b.audience = audience;
    // A default is not copied as if it were configured, so changing the issuer kind re-derives it.
    b.groupClaim = groupClaimIsDefault() ? null : groupClaim;
    return b;
  }

  /** Whether the issuer is a Cognito user pool (an emulator's included). */
  public boolean isCognito() {
    return userPoolId != null;
  }

  /** Whether {@link #groupClaim()} is the issuer kind's default (so a writer may leave it out). */
  public boolean groupClaimIsDefault() {
    return groupClaim.equals(defaultGroupClaim(userPoolId));
  }

  private static String defaultGroupClaim(@Nullable String userPoolId) {
    return userPoolId != null ? COGNITO_GROUP_CLAIM : OIDC_GROUP_CLAIM;
  }

  private static boolean isEmulatorPoolId(@Nullable String userPoolId) {
    return dev.tenantkit.core.spi.UserPoolIds.isEmulator(userPoolId);
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
    private boolean anyClient;
    private @Nullable String audience;
    private @Nullable String groupClaim;

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

    /**
     * Accepts tokens of every app client of this issuer instead of a list; false by default.
     * Set it only where every client of the issuer belongs to this tenant (a silo user pool made
     * for it); the token's kind is still checked.
     */
    public Builder anyClient(boolean anyClient) {
      this.anyClient = anyClient;
      return this;
    }

    /**
     * The {@code aud} access tokens must carry: the authorization server's audience for Okta
     * ({@code api://default} on its default server) and other direct OIDC issuers.
     */
    public Builder audience(@Nullable String audience) {
      this.audience = audience;
      return this;
    }

    /**
     * The claim holding the user's groups, when the issuer uses another name than its kind's
     * default ({@code cognito:groups} for Cognito, {@code groups} otherwise).
     */
    public Builder groupClaim(@Nullable String groupClaim) {
      this.groupClaim = groupClaim;
      return this;
    }

    /** Validates and builds; derives the Cognito issuer from pool id and Region when not given. */
    public IdentityConfig build() {
      String iss = issuer;
      if (iss == null && isEmulatorPoolId(userPoolId)) {
        throw new InvalidTenantRecordException("issuer", "is required for an emulator user pool id"
            + " (local_...): give the emulator's issuer, such as http://localhost:9229/" + userPoolId);
      }
      if (iss == null && userPoolId != null && region != null) {
        iss = "https://cognito-idp." + region + ".amazonaws.com/" + userPoolId;
      }
      if (iss == null) {
        throw new InvalidTenantRecordException("issuer", "is required (or give userPoolId and region)");
      }
      URI issuerUri = java.util.Objects.requireNonNull(Checks.httpsUri(iss, "issuer"));
      URI jwks = Checks.httpsUri(jwksUri, "jwksUri");
      return new IdentityConfig(issuerUri, userPoolId, region, appClientIds, tenantClaim,
          sharedIssuer, jwks, federation, anyClient, audience,
          groupClaim != null ? groupClaim : defaultGroupClaim(userPoolId));
    }
  }
}
