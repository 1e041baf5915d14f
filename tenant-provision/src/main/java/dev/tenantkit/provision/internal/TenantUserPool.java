package dev.tenantkit.provision.internal;

import dev.tenantkit.core.spi.CognitoTenantRules;
import dev.tenantkit.provision.TenantStackSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AttributeMapping;
import software.amazon.awscdk.services.cognito.CfnUserPoolClient;
import software.amazon.awscdk.services.cognito.CfnUserPoolGroup;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.ProviderAttribute;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.StandardThreatProtectionMode;
import software.amazon.awscdk.services.cognito.StringAttribute;
import software.amazon.awscdk.services.cognito.StringAttributeProps;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.cognito.UserPoolIdentityProviderSaml;
import software.amazon.awscdk.services.cognito.UserPoolIdentityProviderSamlMetadata;
import org.jspecify.annotations.Nullable;
import software.constructs.Construct;

/**
 * The tenant's Cognito user pool: an immutable {@code custom:tenant_id}, a strong password policy,
 * optional TOTP, threat protection per tier, no self sign-up, the groups tenant-auth knows, an app
 * client, a Cognito domain, and, when the spec has Okta metadata, a SAML identity provider mapping
 * Okta's email and names (never the tenant). The tenant-claim and app-client rules are core's
 * {@link CognitoTenantRules}, the same ones tenant-auth's admin client applies: the app client
 * reads but cannot write the tenant attribute, allows only the authorization code grant with the
 * spec's callback and logout URLs (no CDK placeholder, no implicit grant), and has no OAuth at all
 * when the spec gives no callback URL. Its logical id does not depend on the spec, so a re-run that
 * adds a provider or a URL updates the same client in place.
 */
public final class TenantUserPool extends Construct {
  /** Group names, as tenant-auth's CognitoTenantIdentityClient creates them. */
  public static final List<String> GROUPS = List.of("tenant-admin", "tenant-user");

  private final UserPool pool;
  private final UserPoolClient client;

  public TenantUserPool(Construct scope, String id, TenantStackSpec spec) {
    super(scope, id);
    boolean enforced = spec.tier().enforcedThreatProtection();
    UserPool.Builder b = UserPool.Builder.create(this, "Pool")
        .userPoolName(CognitoTenantRules.userPoolName(spec.tenantId()))
        .selfSignUpEnabled(false)
        .signInAliases(SignInAliases.builder().email(true).build())
        .customAttributes(Map.of(CognitoTenantRules.TENANT_ATTRIBUTE, new StringAttribute(StringAttributeProps
            .builder().mutable(CognitoTenantRules.TENANT_ATTRIBUTE_MUTABLE)
            .minLen(CognitoTenantRules.TENANT_ATTRIBUTE_MIN_LENGTH)
            .maxLen(CognitoTenantRules.TENANT_ATTRIBUTE_MAX_LENGTH).build())))
        .passwordPolicy(PasswordPolicy.builder().minLength(12).requireDigits(true).requireLowercase(true)
            .requireUppercase(true).requireSymbols(true).tempPasswordValidity(Duration.days(3)).build())
        .mfa(Mfa.OPTIONAL)
        .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
        .accountRecovery(AccountRecovery.EMAIL_ONLY)
        .deletionProtection(spec.retainData())
        .removalPolicy(spec.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
    if (enforced) {
      b.featurePlan(FeaturePlan.PLUS).standardThreatProtectionMode(StandardThreatProtectionMode.FULL_FUNCTION);
    } else {
      b.featurePlan(FeaturePlan.ESSENTIALS);
    }
    this.pool = b.build();
    Nag.suppress(pool, "AwsSolutions-COG2", "MFA is optional (TOTP) in the pool: tenants federated through "
        + "Okta enforce MFA in Okta, and local users are administrators who enrol TOTP.");
    if (!enforced) {
      Nag.suppress(pool, "AwsSolutions-COG3", "Tier " + spec.tier().name() + " uses the Essentials feature "
          + "plan (documented tier trade-off); higher tiers enforce threat protection.");
    }
    for (String group : GROUPS) {
      CfnUserPoolGroup.Builder.create(this, "Group-" + group).userPoolId(pool.getUserPoolId()).groupName(group)
          .description("TenantKit " + group).build();
    }
    pool.addDomain("Domain", UserPoolDomainOptions.builder()
        .cognitoDomain(CognitoDomainOptions.builder().domainPrefix(spec.cognitoDomainPrefix()).build()).build());

    @Nullable UserPoolIdentityProviderSaml okta = null;
    if (spec.oktaMetadataUrl().isPresent() || spec.oktaMetadataXml().isPresent()) {
      okta = UserPoolIdentityProviderSaml.Builder.create(this, "Okta")
          .userPool(pool)
          .name("Okta")
          .metadata(spec.oktaMetadataUrl().isPresent()
              ? UserPoolIdentityProviderSamlMetadata.url(spec.oktaMetadataUrl().get())
              : UserPoolIdentityProviderSamlMetadata.file(spec.oktaMetadataXml().get()))
          .attributeMapping(oktaMapping())
          .build();
    }
    List<UserPoolClientIdentityProvider> providers = okta == null
        ? List.of(UserPoolClientIdentityProvider.COGNITO)
        : List.of(UserPoolClientIdentityProvider.COGNITO, UserPoolClientIdentityProvider.custom(okta.getProviderName()));
    UserPoolClientOptions.Builder app = UserPoolClientOptions.builder()
        .generateSecret(false)
        .authFlows(software.amazon.awscdk.services.cognito.AuthFlow.builder().userSrp(true).build())
        .supportedIdentityProviders(providers)
        .preventUserExistenceErrors(true)
        .accessTokenValidity(Duration.minutes(60))
        .idTokenValidity(Duration.minutes(60))
        .refreshTokenValidity(Duration.days(30));
    if (spec.callbackUrls().isEmpty()) {
      // Nothing to redirect to: OAuth off, SRP sign-in only (CDK would otherwise enable the
      // implicit grant with a https://example.com callback). The spec refuses Okta without a URL.
      app.disableOAuth(true);
    } else {
      app.oAuth(OAuthSettings.builder()
          .flows(OAuthFlows.builder().authorizationCodeGrant(true).implicitCodeGrant(false)
              .clientCredentials(false).build())
          .scopes(CognitoTenantRules.OAUTH_SCOPES.stream().map(OAuthScope::custom).toList())
          .callbackUrls(spec.callbackUrls())
          .logoutUrls(spec.logoutUrls())
          .build());
    }
    this.client = pool.addClient("App", app.build());
    // The attribute rules as core states them (CDK's default lets a client write every attribute).
    CfnUserPoolClient cfnClient = (CfnUserPoolClient) client.getNode().getDefaultChild();
    cfnClient.setReadAttributes(CognitoTenantRules.READ_ATTRIBUTES);
    cfnClient.setWriteAttributes(CognitoTenantRules.WRITE_ATTRIBUTES);
    if (!spec.callbackUrls().isEmpty()) {
      cfnClient.setAllowedOAuthFlows(CognitoTenantRules.OAUTH_FLOWS);
    }
    if (okta != null) {
      client.getNode().addDependency(okta);
    }
  }

  /** Okta's email and names onto the pool's attributes, checked against core's rules (never the tenant). */
  private static AttributeMapping oktaMapping() {
    Map<String, String> mapping = new LinkedHashMap<>();
    mapping.put("email", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress");
    mapping.put("given_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname");
    mapping.put("family_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname");
    CognitoTenantRules.attributeMappingProblem(mapping).ifPresent(p -> {
      throw new IllegalStateException("Okta attribute mapping " + p);
    });
    Map<String, ProviderAttribute> attributes = new LinkedHashMap<>();
    mapping.forEach((target, saml) -> attributes.put(target, ProviderAttribute.other(saml)));
    return AttributeMapping.builder().custom(attributes).build();
  }

  public UserPool pool() {
    return pool;
  }

  public UserPoolClient client() {
    return client;
  }
}
