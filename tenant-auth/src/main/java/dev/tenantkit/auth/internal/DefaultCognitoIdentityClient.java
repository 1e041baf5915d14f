package dev.tenantkit.auth.internal;

import dev.tenantkit.auth.CognitoTenantIdentityClient;
import dev.tenantkit.auth.TenantIdentity;
import dev.tenantkit.auth.TenantIdentitySpec;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.core.TenantId;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import software.amazon.awssdk.services.cognitoidentityprovider.model.OAuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordPolicyType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SchemaAttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.StringAttributeConstraintsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolAddOnsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientDescription;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolDescriptionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolPolicyType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/** {@link CognitoTenantIdentityClient} over the AWS SDK v2 Cognito client. */
public final class DefaultCognitoIdentityClient implements CognitoTenantIdentityClient {
  private static final Logger LOG = LoggerFactory.getLogger(CognitoTenantIdentityClient.class);
  static final String TENANT_ATTRIBUTE = "tenant_id";

  private final CognitoIdentityProviderClient cognito;
  private final String region;

  /** Over {@code cognito} in {@code region}. */
  public DefaultCognitoIdentityClient(CognitoIdentityProviderClient cognito, String region) {
    this.cognito = cognito;
    this.region = region;
  }

  static String poolName(TenantId id) {
    return "tenantkit-" + id;
  }

  static String clientName(TenantId id) {
    return "tenantkit-" + id + "-app";
  }

  @Override
  public TenantIdentity ensure(TenantIdentitySpec spec) {
    TenantId id = spec.tenantId();
    try {
      String poolId = findPool(id).orElseGet(() -> createPool(spec));
      ensureGroup(poolId, ADMIN_GROUP, "Administrators of tenant " + id, 0);
      ensureGroup(poolId, USER_GROUP, "Users of tenant " + id, 10);
      String provider = null;
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
        .schema(SchemaAttributeType.builder().name(TENANT_ATTRIBUTE).attributeDataType(AttributeDataType.STRING)
            .mutable(false).stringAttributeConstraints(StringAttributeConstraintsType.builder()
                .minLength("3").maxLength("36").build()).build())
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
    Map<String, String> mapping = new LinkedHashMap<>();
    mapping.put("email", saml.emailAttribute());
    mapping.put("name", saml.nameAttribute());
    mapping.put("custom:" + TENANT_ATTRIBUTE, saml.tenantAttribute());
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

  private String ensureClient(String poolId, TenantIdentitySpec spec, String provider) {
    String name = clientName(spec.tenantId());
    for (UserPoolClientDescription c : cognito.listUserPoolClientsPaginator(r -> r.userPoolId(poolId).maxResults(60))
        .userPoolClients()) {
      if (name.equals(c.clientName())) {
        return c.clientId();
      }
    }
    List<String> providers = new ArrayList<>(List.of("COGNITO"));
    if (provider != null) {
      providers.add(provider);
    }
    List<String> callbacks = new ArrayList<>();
    for (URI u : spec.callbackUrls()) {
      callbacks.add(u.toString());
    }
    return cognito.createUserPoolClient(r -> {
      r.userPoolId(poolId).clientName(name).generateSecret(false)
          .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH, ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH)
          .supportedIdentityProviders(providers)
          .preventUserExistenceErrors("ENABLED")
          .enableTokenRevocation(true)
          // Users may read their tenant, never write it: the tenant claim is what isolates them.
          .readAttributes("email", "name", "custom:" + TENANT_ATTRIBUTE)
          .writeAttributes("email", "name");
      if (!callbacks.isEmpty()) {
        r.callbackURLs(callbacks).allowedOAuthFlows(OAuthFlowType.CODE).allowedOAuthFlowsUserPoolClient(true)
            .allowedOAuthScopes("openid", "email", "profile");
      }
    }).userPoolClient().clientId();
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
              AttributeType.builder().name("custom:" + TENANT_ATTRIBUTE).value(identity.tenantId().value()).build()));
    } catch (UsernameExistsException e) {
      LOG.debug("user exists; left as is tenant={}", identity.tenantId());
    }
    cognito.adminAddUserToGroup(r -> r.userPoolId(identity.userPoolId()).username(username).groupName(group));
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
