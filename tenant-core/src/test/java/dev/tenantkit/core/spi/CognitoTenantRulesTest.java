package dev.tenantkit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.TenantId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CognitoTenantRulesTest {

  @Test
  void tenantClaim_isTheRecordsDefault_readableNeverWritable() {
    assertThat(CognitoTenantRules.TENANT_CLAIM).isEqualTo(IdentityConfig.DEFAULT_TENANT_CLAIM);
    assertThat(CognitoTenantRules.TENANT_ATTRIBUTE).isEqualTo("tenant_id");
    assertThat(CognitoTenantRules.TENANT_ATTRIBUTE_MUTABLE).isFalse();
    assertThat(CognitoTenantRules.READ_ATTRIBUTES).contains("custom:tenant_id");
    assertThat(CognitoTenantRules.WRITE_ATTRIBUTES).doesNotContain("custom:tenant_id");
    assertThat(CognitoTenantRules.tenantUserAttribute(TenantId.of("acme"))).containsExactly(
        Map.entry("custom:tenant_id", "acme"));
  }

  @Test
  void attributeMappingProblem_whenTheIdpWouldWriteTheTenant_refused() {
    assertThat(CognitoTenantRules.attributeMappingProblem(Map.of("email", "mail", "custom:tenant_id", "tenant_id")))
        .hasValueSatisfying(p -> assertThat(p).contains("custom:tenant_id").contains("never comes from"));
    assertThat(CognitoTenantRules.attributeMappingProblem(Map.of("Custom:Tenant_Id", "t"))).isPresent();
    assertThat(CognitoTenantRules.attributeMappingProblem(Map.of("custom:plan", "plan")))
        .hasValueSatisfying(p -> assertThat(p).contains("may not write"));
    assertThat(CognitoTenantRules.attributeMappingProblem(Map.of("email", "mail", "name", "displayName"))).isEmpty();
  }

  @Test
  void redirectUrlProblem_whenNotHttpsOrLoopback_refused() {
    assertThat(CognitoTenantRules.redirectUrlProblem("https://acme.app.example.com/login/oauth2/code/cognito"))
        .isEmpty();
    assertThat(CognitoTenantRules.redirectUrlProblem("http://localhost:8080/callback")).isEmpty();
    assertThat(CognitoTenantRules.redirectUrlProblem("http://acme.app.example.com/cb")).isPresent();
    assertThat(CognitoTenantRules.redirectUrlProblem("https://acme.app.example.com/cb#frag")).isPresent();
    assertThat(CognitoTenantRules.redirectUrlProblem("/relative")).isPresent();
    assertThat(CognitoTenantRules.redirectUrlProblem("")).isPresent();
  }

  @Test
  void domainPrefixProblem_whenMalformedOrReservedWord_refused() {
    assertThat(CognitoTenantRules.domainPrefixProblem("tenantkit-acme")).isEmpty();
    assertThat(CognitoTenantRules.domainPrefixProblem(
        CognitoTenantRules.defaultDomainPrefix(TenantId.of("3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f")))).isEmpty();
    assertThat(CognitoTenantRules.domainPrefixProblem("tenantkit-lawson"))
        .hasValueSatisfying(p -> assertThat(p).contains("\"aws\""));
    assertThat(CognitoTenantRules.domainPrefixProblem("Bad_Prefix")).isPresent();
    assertThat(CognitoTenantRules.domainPrefixProblem("-x")).isPresent();
  }
}
