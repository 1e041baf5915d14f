package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What an identity section leaves out never widens access; emulator pools keep the Cognito checks. */
class IdentityConfigTest {

  private static String catalogWithIdentity(String identityJson) {
    return String.join("\n",
        "{",
        "  \"version\": 1,",
        "  \"tenants\": [",
        "    {",
        "      \"id\": \"acme\",",
        "      \"tier\": \"basic\",",
        "      \"identity\": " + identityJson,
        "    }",
        "  ]",
        "}");
  }

  @Test
  void build_whenNoAppClientIds_refusedNamingAppClientIds() {
    assertThatThrownBy(() -> IdentityConfig.builder().userPoolId("eu-west-1_AbC123").region("eu-west-1").build())
        .isInstanceOfSatisfying(InvalidTenantRecordException.class,
            e -> assertThat(e.field()).isEqualTo("appClientIds"))
        .hasMessageContaining("anyClient");
  }

  @Test
  void catalogLoad_whenIdentityHasNoAppClientIds_errorNamesLineAndField() {
    String json = catalogWithIdentity("{\"userPoolId\": \"eu-west-1_AbC123\", \"region\": \"eu-west-1\"}");
    assertThatThrownBy(() -> TenantCatalog.fromJson(json, "catalog.json"))
        .isInstanceOfSatisfying(CatalogLoadException.class, e -> assertThat(e.line()).isEqualTo(7))
        .hasMessageContaining("tenants[0].identity.appClientIds");
  }

  @Test
  void catalogLoad_whenEmptyAppClientIdList_refused() {
    String json = catalogWithIdentity(
        "{\"userPoolId\": \"eu-west-1_AbC123\", \"region\": \"eu-west-1\", \"appClientIds\": []}");
    assertThatThrownBy(() -> TenantCatalog.fromJson(json, "catalog.json"))
        .isInstanceOf(CatalogLoadException.class)
        .hasMessageContaining("appClientIds");
  }

  @Test
  void anyClient_whenExplicit_acceptedAndReadBackFromJson() {
    String json = catalogWithIdentity("{\"issuer\": \"https://acme.okta.com/oauth2/default\", \"anyClient\": true,"
        + " \"audience\": \"api://default\", \"groupClaim\": \"roles\"}");
    IdentityConfig identity = TenantCatalog.fromJson(json, "catalog.json").all().iterator().next()
        .identity().orElseThrow();
    assertThat(identity.anyClient()).isTrue();
    assertThat(identity.appClientIds()).isEmpty();
    assertThat(identity.audience()).isEqualTo("api://default");
    assertThat(identity.groupClaim()).isEqualTo("roles");
    Tenant tenant = Tenant.builder().id("acme").tier("basic").identity(identity).build();
    String written = TenantCatalog.toJson(List.of(tenant));
    assertThat(written).contains("\"anyClient\" : true").contains("\"audience\" : \"api://default\"")
        .contains("\"groupClaim\" : \"roles\"");
    assertThat(TenantCatalog.fromJson(written, "written").all()).containsExactly(tenant);
  }

  @Test
  void anyClient_whenClientsAlsoListed_refusedNamingAnyClient() {
    assertThatThrownBy(() -> IdentityConfig.builder().issuer("https://idp.example.com/x").appClientIds("c1")
            .anyClient(true).build())
        .isInstanceOfSatisfying(InvalidTenantRecordException.class,
            e -> assertThat(e.field()).isEqualTo("anyClient"));
  }

  @Test
  void groupClaim_default_isTheIssuersOwn() {
    assertThat(IdentityConfig.builder().userPoolId("eu-west-1_AbC123").region("eu-west-1").appClientIds("c1")
        .build().groupClaim()).isEqualTo("cognito:groups");
    IdentityConfig okta = IdentityConfig.builder().issuer("https://acme.okta.com/oauth2/default")
        .appClientIds("c1").build();
    assertThat(okta.groupClaim()).isEqualTo("groups");
    assertThat(okta.audience()).isNull();
    // The default is not carried over as if configured: written without it, read back equal.
    Tenant tenant = Tenant.builder().id("acme").tier("basic").identity(okta).build();
    assertThat(TenantCatalog.toJson(List.of(tenant))).doesNotContain("groupClaim");
    assertThat(okta.toBuilder().userPoolId("eu-west-1_AbC123").region("eu-west-1").build().groupClaim())
        .isEqualTo("cognito:groups");
  }

  @Test
  void audience_whenBlankOrSpaced_refusedNamingAudience() {
    for (String bad : new String[] {"", "api default", "x".repeat(300)}) {
      assertThatThrownBy(() -> IdentityConfig.builder().issuer("https://idp.example.com/x").appClientIds("c1")
              .audience(bad).build())
          .as(bad)
          .isInstanceOfSatisfying(InvalidTenantRecordException.class,
              e -> assertThat(e.field()).isEqualTo("audience"));
    }
  }

  @Test
  void emulatorPoolId_withExplicitIssuer_acceptedAsCognito() {
    IdentityConfig identity = IdentityConfig.builder().userPoolId("local_5Xb8kFZ2").issuer("http://localhost:9229/local_5Xb8kFZ2")
        .appClientIds("c1").build();
    assertThat(identity.isCognito()).isTrue();
    assertThat(identity.groupClaim()).isEqualTo("cognito:groups");
    String json = catalogWithIdentity("{\"userPoolId\": \"local_5Xb8kFZ2\", \"issuer\": "
        + "\"http://127.0.0.1:9229/local_5Xb8kFZ2\", \"appClientIds\": [\"c1\"]}");
    assertThat(TenantCatalog.fromJson(json, "catalog.json").all()).hasSize(1);
  }

  @Test
  void emulatorPoolId_withoutIssuer_refusedNamingIssuer() {
    assertThatThrownBy(() -> IdentityConfig.builder().userPoolId("local_5Xb8kFZ2").region("eu-west-1")
            .appClientIds("c1").build())
        .isInstanceOfSatisfying(InvalidTenantRecordException.class,
            e -> assertThat(e.field()).isEqualTo("issuer"))
        .hasMessageContaining("emulator");
  }
}
