package dev.tenantkit.provision.internal;

import dev.tenantkit.provision.TenantStackSpec;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AttributeMapping;
import software.amazon.awscdk.services.cognito.CfnUserPoolGroup;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
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
import software.constructs.Construct;

/**
 * The tenant's Cognito user pool: an immutable {@code custom:tenant_id}, a strong password policy,
 * optional TOTP, threat protection per tier, no self sign-up, the groups tenant-auth knows, an app
 * client, a Cognito domain, and, when the spec has Okta metadata, a SAML identity provider mapping
 * Okta's email and name.
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
        .userPoolName("tenantkit-" + spec.tenantId())
        .selfSignUpEnabled(false)
        .signInAliases(SignInAliases.builder().email(true).build())
        .customAttributes(Map.of("tenant_id", new StringAttribute(StringAttributeProps.builder()
            .mutable(false).minLen(3).maxLen(36).build())))
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
        .cognitoDomain(CognitoDomainOptions.builder().domainPrefix("tenantkit-" + spec.tenantId()).build()).build());

    UserPoolIdentityProviderSaml okta = null;
    if (spec.oktaMetadataUrl().isPresent() || spec.oktaMetadataXml().isPresent()) {
      okta = UserPoolIdentityProviderSaml.Builder.create(this, "Okta")
          .userPool(pool)
          .name("Okta")
          .metadata(spec.oktaMetadataUrl().isPresent()
              ? UserPoolIdentityProviderSamlMetadata.url(spec.oktaMetadataUrl().get())
              : UserPoolIdentityProviderSamlMetadata.file(spec.oktaMetadataXml().get()))
          .attributeMapping(AttributeMapping.builder()
              .email(ProviderAttribute.other("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"))
              .givenName(ProviderAttribute.other("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"))
              .familyName(ProviderAttribute.other("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"))
              .build())
          .build();
    }
    List<UserPoolClientIdentityProvider> providers = okta == null
        ? List.of(UserPoolClientIdentityProvider.COGNITO)
        : List.of(UserPoolClientIdentityProvider.COGNITO, UserPoolClientIdentityProvider.custom(okta.getProviderName()));
    this.client = pool.addClient("App", UserPoolClientOptions.builder()
        .generateSecret(false)
        .authFlows(software.amazon.awscdk.services.cognito.AuthFlow.builder().userSrp(true).build())
        .supportedIdentityProviders(providers)
        .preventUserExistenceErrors(true)
        .accessTokenValidity(Duration.minutes(60))
        .idTokenValidity(Duration.minutes(60))
        .refreshTokenValidity(Duration.days(30))
        .build());
    if (okta != null) {
      client.getNode().addDependency(okta);
    }
  }

  public UserPool pool() {
    return pool;
  }

  public UserPoolClient client() {
    return client;
  }
}
