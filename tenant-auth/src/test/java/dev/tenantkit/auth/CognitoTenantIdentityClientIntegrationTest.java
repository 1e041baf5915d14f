package dev.tenantkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.core.TenantId;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * The Cognito administration helper with the real AWS SDK client, pointed at {@link
 * LoopbackCognito}: a loopback endpoint that speaks Cognito's JSON 1.1 protocol (no Cognito
 * emulator runs here).
 */
class CognitoTenantIdentityClientIntegrationTest {
  LoopbackCognito cognito;
  CognitoIdentityProviderClient sdk;
  CognitoTenantIdentityClient client;

  @BeforeEach
  void start() throws Exception {
    cognito = new LoopbackCognito();
    sdk = CognitoIdentityProviderClient.builder().endpointOverride(cognito.endpoint()).region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "not-a-secret")))
        .build();
    client = CognitoTenantIdentityClient.create(sdk, "eu-west-1");
  }

  @AfterEach
  void stop() {
    sdk.close();
    cognito.close();
  }

  static final URI CALLBACK = URI.create("https://acme.app.example.com/login/oauth2/code/cognito");

  static TenantIdentitySpec acmeWithOkta() {
    return new TenantIdentitySpec(TenantId.of("acme"), "tenantkit-acme", List.of(CALLBACK), "ENFORCED",
        TenantIdentitySpec.SamlProvider.okta(URI.create("https://acme.okta.com/app/exk1/sso/saml/metadata")));
  }

  JsonNode lastBody(String operation) {
    List<LoopbackCognito.Call> matching = new ArrayList<>();
    cognito.calls().stream().filter(c -> c.operation().equals(operation)).forEach(matching::add);
    assertThat(matching).as(operation + " calls").isNotEmpty();
    return LoopbackCognito.body(matching.get(matching.size() - 1));
  }

  @Test
  void ensure_createsPoolWithImmutableTenantAttribute_groups_saml_client_domain() {
    TenantIdentity identity = client.ensure(acmeWithOkta());

    JsonNode pool = lastBody("CreateUserPool");
    assertThat(pool.get("PoolName").asText()).isEqualTo("tenantkit-acme");
    JsonNode schema = pool.get("Schema").get(0);
    assertThat(schema.get("Name").asText()).isEqualTo("tenant_id");
    assertThat(schema.get("Mutable").asBoolean()).isFalse();
    assertThat(pool.get("Policies").get("PasswordPolicy").get("MinimumLength").asInt()).isGreaterThanOrEqualTo(12);
    assertThat(pool.get("UserPoolAddOns").get("AdvancedSecurityMode").asText()).isEqualTo("ENFORCED");
    assertThat(pool.get("UserPoolTags").get("tenantkit:tenant").asText()).isEqualTo("acme");

    LoopbackCognito.Pool model = cognito.pools.get(identity.userPoolId());
    assertThat(model.groups).containsOnlyKeys("tenant-admin", "tenant-user");
    assertThat(model.domain).isEqualTo("tenantkit-acme");
    JsonNode saml = model.providers.get("Okta");
    assertThat(saml.get("ProviderType").asText()).isEqualTo("SAML");
    assertThat(saml.get("ProviderDetails").get("MetadataURL").asText()).startsWith("https://acme.okta.com/");
    // The tenant never comes from the customer's IdP: its own pool is the binding.
    assertThat(saml.get("AttributeMapping").has("custom:tenant_id")).isFalse();
    assertThat(saml.get("AttributeMapping").get("email").asText()).contains("emailaddress");

    JsonNode app = lastBody("CreateUserPoolClient");
    assertThat(app.get("GenerateSecret").asBoolean()).isFalse();
    assertThat(app.get("SupportedIdentityProviders").toString()).contains("COGNITO", "Okta");
    assertThat(app.get("WriteAttributes").toString()).doesNotContain("tenant_id");
    assertThat(app.get("ReadAttributes").toString()).contains("custom:tenant_id");
    assertThat(app.get("AllowedOAuthFlows").toString()).isEqualTo("[\"code\"]");
    assertThat(app.get("AllowedOAuthFlowsUserPoolClient").asBoolean()).isTrue();
    assertThat(app.get("CallbackURLs").toString()).isEqualTo("[\"" + CALLBACK + "\"]");

    assertThat(identity.appClientId()).isEqualTo(model.clients.keySet().iterator().next());
    assertThat(identity.issuer().toString())
        .isEqualTo("https://cognito-idp.eu-west-1.amazonaws.com/" + identity.userPoolId());
    assertThat(identity.toIdentityConfig().federation().providerName()).isEqualTo("Okta");
  }

  @Test
  void ensure_twice_secondRunChangesNothing() {
    TenantIdentity first = client.ensure(acmeWithOkta());
    int before = cognito.calls().size();
    TenantIdentity second = client.ensure(acmeWithOkta());
    List<String> secondRun = cognito.operations().subList(before, cognito.calls().size());
    assertThat(secondRun).noneMatch(op -> op.startsWith("Create") || op.startsWith("Update") || op.startsWith("Delete"));
    assertThat(second).isEqualTo(first);
    assertThat(cognito.pools).hasSize(1);
  }

  @Test
  void ensure_whenSamlMetadataChanges_updatesProviderOnly() {
    client.ensure(acmeWithOkta());
    int before = cognito.calls().size();
    client.ensure(acmeWithOkta().withSaml(
        TenantIdentitySpec.SamlProvider.okta(URI.create("https://acme.okta.com/app/exk2/sso/saml/metadata"))));
    assertThat(cognito.operations().subList(before, cognito.calls().size()))
        .filteredOn(op -> op.startsWith("Create") || op.startsWith("Update"))
        .containsExactly("UpdateIdentityProvider");
  }

  @Test
  void ensure_whenAnOlderProviderMapsTheTenantClaim_updatesTheMappingWithoutIt() {
    TenantIdentity identity = client.ensure(acmeWithOkta());
    // A provider as an earlier version (or a hand-made set-up) left it: the IdP writes the tenant.
    ((com.fasterxml.jackson.databind.node.ObjectNode) cognito.pools.get(identity.userPoolId()).providers.get("Okta")
        .get("AttributeMapping")).put("custom:tenant_id", "tenant_id");
    int before = cognito.calls().size();

    client.ensure(acmeWithOkta());

    assertThat(cognito.operations().subList(before, cognito.calls().size())).contains("UpdateIdentityProvider");
    JsonNode update = lastBody("UpdateIdentityProvider");
    assertThat(update.get("AttributeMapping").has("custom:tenant_id")).isFalse();
    assertThat(update.get("AttributeMapping").get("email").asText()).contains("emailaddress");
  }

  @Test
  void ensure_whenTheAppClientExists_bringsItToTheSpecWithUpdateUserPoolClient_keepingWhatItDoesNotManage() {
    // First run: no federation, no callback URLs (OAuth off, SRP sign-in only).
    TenantIdentity first = client.ensure(TenantIdentitySpec.of(TenantId.of("acme")));
    com.fasterxml.jackson.databind.node.ObjectNode model =
        cognito.pools.get(first.userPoolId()).clients.get(first.appClientId());
    assertThat(model.get("AllowedOAuthFlowsUserPoolClient").asBoolean()).isFalse();
    model.put("RefreshTokenValidity", 7); // an operator's change, which TenantKit does not manage
    model.putArray("WriteAttributes").add("email").add("custom:tenant_id"); // as a hand-made client might
    int before = cognito.calls().size();

    // Re-run once the tenant federates Okta and has its app's URL: the same client is updated.
    URI logout = URI.create("https://acme.app.example.com/signed-out");
    TenantIdentity second = client.ensure(acmeWithOkta().withLogoutUrls(List.of(logout)));

    assertThat(second.appClientId()).isEqualTo(first.appClientId());
    assertThat(cognito.operations().subList(before, cognito.calls().size()))
        .contains("DescribeUserPoolClient", "UpdateUserPoolClient").doesNotContain("CreateUserPoolClient");
    JsonNode update = lastBody("UpdateUserPoolClient");
    assertThat(update.get("ClientId").asText()).isEqualTo(first.appClientId());
    assertThat(update.get("SupportedIdentityProviders").toString()).contains("COGNITO", "Okta");
    assertThat(update.get("CallbackURLs").toString()).contains(CALLBACK.toString());
    assertThat(update.get("LogoutURLs").toString()).contains(logout.toString());
    assertThat(update.get("AllowedOAuthFlows").toString()).isEqualTo("[\"code\"]");
    assertThat(update.get("AllowedOAuthFlowsUserPoolClient").asBoolean()).isTrue();
    assertThat(update.get("WriteAttributes").toString()).doesNotContain("tenant_id");
    // UpdateUserPoolClient resets whatever it is not sent; what TenantKit does not manage is sent back.
    assertThat(update.get("RefreshTokenValidity").asInt()).isEqualTo(7);
    assertThat(cognito.pools.get(first.userPoolId()).clients.get(first.appClientId()).get("RefreshTokenValidity")
        .asInt()).isEqualTo(7);

    int settled = cognito.calls().size();
    client.ensure(acmeWithOkta().withLogoutUrls(List.of(logout)));
    assertThat(cognito.operations().subList(settled, cognito.calls().size())).doesNotContain("UpdateUserPoolClient");
  }

  @Test
  void ensure_whenSamlHasNoCallbackUrl_refusedBeforeAnyChange() {
    TenantIdentitySpec noCallback = new TenantIdentitySpec(TenantId.of("acme"), "tenantkit-acme", List.of(), "OFF",
        TenantIdentitySpec.SamlProvider.okta(URI.create("https://acme.okta.com/app/exk1/sso/saml/metadata")));
    assertThatThrownBy(() -> client.ensure(noCallback))
        .isInstanceOf(TenantConfigurationException.class).hasMessageContaining("callbackUrls");
    assertThat(cognito.operations()).noneMatch(op -> op.startsWith("Create") || op.startsWith("Update"));
  }

  @Test
  void users_createdWithTheirTenantInTheirTenantsPool_disabled_idempotent() {
    TenantIdentity acme = client.ensure(TenantIdentitySpec.of(TenantId.of("acme")));
    TenantIdentity globex = client.ensure(TenantIdentitySpec.of(TenantId.of("globex")));
    assertThat(acme.userPoolId()).isNotEqualTo(globex.userPoolId());

    client.createUser(acme, "alice", "alice@acme.example", CognitoTenantIdentityClient.ADMIN_GROUP);
    client.createUser(acme, "alice", "alice@acme.example", CognitoTenantIdentityClient.ADMIN_GROUP);
    JsonNode created = lastBody("AdminCreateUser");
    assertThat(created.get("MessageAction").asText()).isEqualTo("SUPPRESS");
    assertThat(created.get("UserAttributes").toString()).contains("\"custom:tenant_id\"", "\"acme\"");
    assertThat(cognito.pools.get(acme.userPoolId()).users).containsOnlyKeys("alice");
    assertThat(cognito.pools.get(globex.userPoolId()).users).isEmpty();

    client.disableUser(acme, "alice");
    assertThat(cognito.pools.get(acme.userPoolId()).users.get("alice").get("Enabled").asBoolean()).isFalse();
  }

  @Test
  void delete_removesDomainAndPool_secondTimeNothingToDo() {
    TenantIdentity acme = client.ensure(TenantIdentitySpec.of(TenantId.of("acme")));
    client.ensure(TenantIdentitySpec.of(TenantId.of("globex")));
    assertThat(client.delete(TenantId.of("acme"))).isTrue();
    assertThat(cognito.operations()).containsSubsequence("DeleteUserPoolDomain", "DeleteUserPool");
    assertThat(cognito.pools).doesNotContainKey(acme.userPoolId()).hasSize(1);
    assertThat(client.delete(TenantId.of("acme"))).isFalse();
  }

  @Test
  void cognitoRefusal_surfacesAsConfigurationErrorNamingTheCode() {
    cognito.failWith("NotAuthorizedException");
    assertThatThrownBy(() -> client.ensure(TenantIdentitySpec.of(TenantId.of("acme"))))
        .isInstanceOf(TenantConfigurationException.class)
        .hasMessageContaining("NotAuthorizedException")
        .hasMessageNotContaining("not-a-secret");
  }

  @Test
  void spec_rejectsBadInput() {
    assertThatThrownBy(() -> new TenantIdentitySpec(TenantId.of("acme"), "Bad_Prefix", List.of(), "OFF", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("domainPrefix");
    assertThatThrownBy(() -> TenantIdentitySpec.of(TenantId.of("acme")).withAdvancedSecurity("MAX"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("advancedSecurity");
    assertThatThrownBy(() -> TenantIdentitySpec.SamlProvider.okta(URI.create("http://acme.okta.com/metadata")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
  }

  @Test
  void spec_whenDomainPrefixHasAWordCognitoReserves_orACallbackIsNotHttps_refused() {
    assertThatThrownBy(() -> new TenantIdentitySpec(TenantId.of("lawson"), "tenantkit-lawson", List.of(), "OFF", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("domainPrefix").hasMessageContaining("aws");
    assertThatThrownBy(() -> new TenantIdentitySpec(TenantId.of("acme"), "tenantkit-acme",
        List.of(URI.create("http://acme.app.example.com/cb")), "OFF", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callbackUrls");
  }
}
