package dev.tenantkit.auth.internal;

import dev.tenantkit.auth.CognitoTenantIdentityClient;
import dev.tenantkit.auth.TenantIdentity;
import dev.tenantkit.auth.TenantIdentitySpec;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.spi.CognitoTenantRules;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdvancedSecurityModeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeDataType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.IdentityProviderType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.IdentityProviderTypeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordPolicyType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SchemaAttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.StringAttributeConstraintsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolAddOnsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UpdateUserPoolClientRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientDescription;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolDescriptionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolPolicyType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/** {@link CognitoTenantIdentityClient} over the AWS SDK v2 Cognito client. */
public final class DefaultCognitoIdentityClient implements CognitoTenantIdentityClient {
  private static final Logger LOG = LoggerFactory.getLogger(CognitoTenantIdentityClient.class);

  private final CognitoIdentityProviderClient cognito;
  private final String region;

  /** Over {@code cognito} in {@code region}. */
  public DefaultCognitoIdentityClient(CognitoIdentityProviderClient cognito, String region) {
    this.cognito = cognito;
    this.region = region;
  }

  static String poolName(TenantId id) {
    return CognitoTenantRules.userPoolName(id);
  }

  static String clientName(TenantId id) {
    return "tenantkit-" + id + "-app";
  }

  @Override
  public TenantIdentity ensure(TenantIdentitySpec spec) {
    TenantId id = spec.tenantId();
    if (spec.saml() != null && spec.callbackUrls().isEmpty()) {
      // Checked before any call, so nothing is half set up.
      throw new TenantConfigurationException("TenantIdentitySpec.callbackUrls: tenant " + id + " federates "
          + spec.saml().providerName() + ", whose users can only sign in through OAuth (the authorization code "
          + "flow redirects to a callback URL); give the app's callback URL");
    }
    try {
      String poolId = findPool(id).orElseGet(() -> createPool(spec));
      ensureGroup(poolId, ADMIN_GROUP, "Administrators of tenant " + id, 0);
      ensureGroup(poolId, USER_GROUP, "Users of tenant " + id, 10);
      @Nullable String provider = null;
      if (spec.saml() != null) {
        provider = ensureSaml(poolId, spec.saml());
      }
      String clientId = ensureClient(poolId, spec, provider);
      ensureDomain(poolId, spec.domainPrefix());
      return new TenantIdentity(id, region, poolId, clientId, spec.domainPrefix(), provider);
    } catch (CognitoIdentityProviderException e) {
      throw new TenantConfigurationException("Cognito refused setting up tenant " + id + ": "
          + e.awsErrorDetails().errorCode() + " (" + e.statusCode() + ")");
    }
  }

  private Optional<String> findPool(TenantId id) {
    String name = poolName(id);
    for (UserPoolDescriptionType p : cognito.listUserPoolsPaginator(r -> r.maxResults(60)).userPools()) {
      if (name.equals(p.name())) {
        return Optional.of(p.id());
      }
    }
    return Optional.empty();
  }

  private String createPool(TenantIdentitySpec spec) {
    TenantId id = spec.tenantId();
    UserPoolType pool = cognito.createUserPool(r -> r
        .poolName(poolName(id))
        .schema(SchemaAttributeType.builder().name(CognitoTenantRules.TENANT_ATTRIBUTE)
            .attributeDataType(AttributeDataType.STRING).mutable(CognitoTenantRules.TENANT_ATTRIBUTE_MUTABLE)
            .stringAttributeConstraints(StringAttributeConstraintsType.builder()
                .minLength(Integer.toString(CognitoTenantRules.TENANT_ATTRIBUTE_MIN_LENGTH))
                .maxLength(Integer.toString(CognitoTenantRules.TENANT_ATTRIBUTE_MAX_LENGTH)).build()).build())
        .policies(UserPoolPolicyType.builder().passwordPolicy(PasswordPolicyType.builder()
            .minimumLength(12).requireLowercase(true).requireUppercase(true).requireNumbers(true)
            .requireSymbols(true).temporaryPasswordValidityDays(3).build()).build())
        .userPoolAddOns(UserPoolAddOnsType.builder()
            .advancedSecurityMode(AdvancedSecurityModeType.fromValue(spec.advancedSecurity())).build())
        .userPoolTags(Map.of("tenantkit:tenant", id.value()))).userPool();
    LOG.info("user pool created tenant={} userPoolId={}", id, pool.id());
    return pool.id();
  }

  private void ensureGroup(String poolId, String group, String description, int precedence) {
    try {
      cognito.getGroup(r -> r.userPoolId(poolId).groupName(group));
    } catch (ResourceNotFoundException e) {
      cognito.createGroup(r -> r.userPoolId(poolId).groupName(group).description(description).precedence(precedence));
    }
  }

  private String ensureSaml(String poolId, TenantIdentitySpec.SamlProvider saml) {
    Map<String, String> details = new LinkedHashMap<>();
    if (saml.metadataUrl() != null) {
      details.put("MetadataURL", saml.metadataUrl().toString());
    } else {
      details.put("MetadataFile", saml.metadataDocument());
    }
    // Never the tenant claim: the tenant is this pool's, not the customer's IdP's to say.
    Map<String, String> mapping = new LinkedHashMap<>();
    mapping.put("email", saml.emailAttribute());
    mapping.put("name", saml.nameAttribute());
    Optional<String> problem = CognitoTenantRules.attributeMappingProblem(mapping);
    if (problem.isPresent()) {
      throw new TenantConfigurationException("SAML provider " + saml.providerName() + ": " + problem.get());
    }
    try {
      IdentityProviderType existing = cognito.describeIdentityProvider(
          r -> r.userPoolId(poolId).providerName(saml.providerName())).identityProvider();
      boolean same = mapping.equals(existing.attributeMapping())
          && details.entrySet().stream().allMatch(e -> e.getValue().equals(existing.providerDetails().get(e.getKey())));
      if (!same) {
        cognito.updateIdentityProvider(r -> r.userPoolId(poolId).providerName(saml.providerName())
            .providerDetails(details).attributeMapping(mapping));
      }
    } catch (ResourceNotFoundException e) {
      cognito.createIdentityProvider(r -> r.userPoolId(poolId).providerName(saml.providerName())
          .providerType(IdentityProviderTypeType.SAML).providerDetails(details).attributeMapping(mapping));
    }
    return saml.providerName();
  }

  /**
   * Creates the tenant's app client, or brings an existing one to the spec: what TenantKit manages
   * (auth and OAuth flows, identity providers, callback and logout URLs, scopes, attribute access)
   * is compared and, when it differs, set with {@code UpdateUserPoolClient}. That call resets every
   * field it is not given, so the client's other settings (token validities, analytics, ...) are
   * read first and sent back unchanged.
   */
  private String ensureClient(String poolId, TenantIdentitySpec spec, @Nullable String provider) {
    String name = clientName(spec.tenantId());
    AppClient want = AppClient.of(spec, provider);
    for (UserPoolClientDescription c : cognito.listUserPoolClientsPaginator(r -> r.userPoolId(poolId).maxResults(60))
        .userPoolClients()) {
      if (name.equals(c.clientName())) {
        UserPoolClientType have = cognito.describeUserPoolClient(r -> r.userPoolId(poolId).clientId(c.clientId()))
            .userPoolClient();
        if (!want.matches(have)) {
          cognito.updateUserPoolClient(want.update(have));
          LOG.info("app client brought to the spec tenant={} clientId={}", spec.tenantId(), c.clientId());
        }
        return c.clientId();
      }
    }
    return cognito.createUserPoolClient(r -> {
      r.userPoolId(poolId).clientName(name).generateSecret(false)
          .explicitAuthFlowsWithStrings(want.explicitAuthFlows)
          .supportedIdentityProviders(want.providers)
          .preventUserExistenceErrors(want.preventUserExistenceErrors)
          .enableTokenRevocation(want.enableTokenRevocation)
          .readAttributes(want.readAttributes)
          .writeAttributes(want.writeAttributes)
          .callbackURLs(want.callbackUrls)
          .logoutURLs(want.logoutUrls)
          .allowedOAuthFlowsWithStrings(want.oauthFlows)
          .allowedOAuthScopes(want.oauthScopes)
          .allowedOAuthFlowsUserPoolClient(want.oauth);
    }).userPoolClient().clientId();
  }

  /** What TenantKit manages of an app client, as the spec wants it. */
  private static final class AppClient {
    final List<String> explicitAuthFlows = List.of(ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH.toString(),
        ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH.toString());
    final String preventUserExistenceErrors = "ENABLED";
    final boolean enableTokenRevocation = true;
    // Users may read their tenant, never write it: the tenant claim is what isolates them.
    final List<String> readAttributes = CognitoTenantRules.READ_ATTRIBUTES;
    final List<String> writeAttributes = CognitoTenantRules.WRITE_ATTRIBUTES;
    final List<String> providers = new ArrayList<>(List.of("COGNITO"));
    final List<String> callbackUrls = new ArrayList<>();
    final List<String> logoutUrls = new ArrayList<>();
    final boolean oauth;
    final List<String> oauthFlows;
    final List<String> oauthScopes;

    private AppClient(TenantIdentitySpec spec, @Nullable String provider) {
      if (provider != null) {
        providers.add(provider);
      }
      for (URI u : spec.callbackUrls()) {
        callbackUrls.add(u.toString());
      }
      for (URI u : spec.logoutUrls()) {
        logoutUrls.add(u.toString());
      }
      // Without a callback URL there is nothing to redirect to: OAuth stays off, SRP sign-in only.
      this.oauth = !callbackUrls.isEmpty();
      this.oauthFlows = oauth ? CognitoTenantRules.OAUTH_FLOWS : List.of();
      this.oauthScopes = oauth ? CognitoTenantRules.OAUTH_SCOPES : List.of();
    }

    static AppClient of(TenantIdentitySpec spec, @Nullable String provider) {
      return new AppClient(spec, provider);
    }

    boolean matches(UserPoolClientType have) {
      return set(have.explicitAuthFlowsAsStrings()).equals(set(explicitAuthFlows))
          && set(have.supportedIdentityProviders()).equals(set(providers))
          && set(have.callbackURLs()).equals(set(callbackUrls))
          && set(have.logoutURLs()).equals(set(logoutUrls))
          && set(have.allowedOAuthFlowsAsStrings()).equals(set(oauthFlows))
          && set(have.allowedOAuthScopes()).equals(set(oauthScopes))
          && Boolean.TRUE.equals(have.allowedOAuthFlowsUserPoolClient()) == oauth
          && set(have.readAttributes()).equals(set(readAttributes))
          && set(have.writeAttributes()).equals(set(writeAttributes))
          && preventUserExistenceErrors.equals(have.preventUserExistenceErrorsAsString())
          && Boolean.valueOf(enableTokenRevocation).equals(have.enableTokenRevocation());
    }

    /** The full update: the managed fields as wanted, every other field as the client has it. */
    UpdateUserPoolClientRequest update(UserPoolClientType have) {
      String defaultRedirect = have.defaultRedirectURI() != null && callbackUrls.contains(have.defaultRedirectURI())
          ? have.defaultRedirectURI() : null;
      return UpdateUserPoolClientRequest.builder()
          .userPoolId(have.userPoolId()).clientId(have.clientId()).clientName(have.clientName())
          .refreshTokenValidity(have.refreshTokenValidity())
          .accessTokenValidity(have.accessTokenValidity())
          .idTokenValidity(have.idTokenValidity())
          .tokenValidityUnits(have.tokenValidityUnits())
          .analyticsConfiguration(have.analyticsConfiguration())
          .authSessionValidity(have.authSessionValidity())
          .enablePropagateAdditionalUserContextData(have.enablePropagateAdditionalUserContextData())
          .refreshTokenRotation(have.refreshTokenRotation())
          .defaultRedirectURI(defaultRedirect)
          .explicitAuthFlowsWithStrings(explicitAuthFlows)
          .supportedIdentityProviders(providers)
          .callbackURLs(callbackUrls)
          .logoutURLs(logoutUrls)
          .allowedOAuthFlowsWithStrings(oauthFlows)
          .allowedOAuthScopes(oauthScopes)
          .allowedOAuthFlowsUserPoolClient(oauth)
          .readAttributes(readAttributes)
          .writeAttributes(writeAttributes)
          .preventUserExistenceErrors(preventUserExistenceErrors)
          .enableTokenRevocation(enableTokenRevocation)
          .build();
    }

    private static Set<String> set(@Nullable List<String> values) {
      return values == null ? Set.of() : new HashSet<>(values);
    }
  }

  private void ensureDomain(String poolId, String prefix) {
    String current = cognito.describeUserPool(r -> r.userPoolId(poolId)).userPool().domain();
    if (current == null) {
      cognito.createUserPoolDomain(r -> r.userPoolId(poolId).domain(prefix));
    } else if (!current.equals(prefix)) {
      LOG.warn("user pool already has another domain; left as is userPoolId={} domain={}", poolId, current);
    }
  }

  @Override
  public void createUser(TenantIdentity identity, String username, String email, String group) {
    try {
      cognito.adminCreateUser(r -> r.userPoolId(identity.userPoolId()).username(username)
          .messageAction(MessageActionType.SUPPRESS)
          .userAttributes(AttributeType.builder().name("email").value(email).build(),
              AttributeType.builder().name("email_verified").value("true").build(),
              tenantAttribute(identity.tenantId())));
    } catch (UsernameExistsException e) {
      LOG.debug("user exists; left as is tenant={}", identity.tenantId());
    }
    cognito.adminAddUserToGroup(r -> r.userPoolId(identity.userPoolId()).username(username).groupName(group));
  }

  /** The tenant attribute, fixed at creation: immutable, and no app client may write it. */
  private static AttributeType tenantAttribute(TenantId tenant) {
    Map.Entry<String, String> a = CognitoTenantRules.tenantUserAttribute(tenant).entrySet().iterator().next();
    return AttributeType.builder().name(a.getKey()).value(a.getValue()).build();
  }

  @Override
  public void disableUser(TenantIdentity identity, String username) {
    cognito.adminDisableUser(r -> r.userPoolId(identity.userPoolId()).username(username));
  }

  @Override
  public boolean delete(TenantId tenantId) {
    Optional<String> pool = findPool(tenantId);
    if (pool.isEmpty()) {
      return false;
    }
    String poolId = pool.get();
    String domain = cognito.describeUserPool(r -> r.userPoolId(poolId)).userPool().domain();
    if (domain != null) {
      cognito.deleteUserPoolDomain(r -> r.userPoolId(poolId).domain(domain));
    }
    cognito.deleteUserPool(r -> r.userPoolId(poolId));
    LOG.info("user pool deleted tenant={} userPoolId={}", tenantId, poolId);
    return true;
  }
}
