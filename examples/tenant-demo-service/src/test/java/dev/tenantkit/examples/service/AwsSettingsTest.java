package dev.tenantkit.examples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AWS mode refuses to start, naming every variable to set, rather than serve with a gap. */
class AwsSettingsTest {
  @TempDir Path dir;

  private Map<String, String> complete() throws Exception {
    Path ca = Files.writeString(dir.resolve("rds-global-bundle.pem"), "-----BEGIN CERTIFICATE-----\n");
    Map<String, String> env = new HashMap<>();
    env.put("TENANTKIT_REGISTRY_TABLE", "tenantkit-tenants");
    env.put("TENANTKIT_RDS_CA_BUNDLE", ca.toString());
    env.put("TENANTKIT_SUBDOMAIN", "{tenant}.app.example.com");
    return env;
  }

  @Test
  void nothingSet_isNotAwsMode() {
    assertThat(AwsSettings.requested(Map.of())).isFalse();
    assertThat(AwsSettings.requested(Map.of("TENANTKIT_REGISTRY_TABLE", " "))).isFalse();
    assertThat(AwsSettings.requested(Map.of("TENANTKIT_REGISTRY_TABLE", "t"))).isTrue();
    assertThat(AwsSettings.requested(Map.of("TENANTKIT_CATALOG", "/etc/tenantkit/catalog.json"))).isTrue();
  }

  @Test
  void everyMissingSetting_isNamedAtOnce() {
    assertThatThrownBy(() -> AwsSettings.from(Map.of("TENANTKIT_PORT", "http")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("AWS mode cannot start:")
        .hasMessageContaining("TENANTKIT_REGISTRY_TABLE is not set")
        .hasMessageContaining("TENANTKIT_RDS_CA_BUNDLE is not set")
        .hasMessageContaining("https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem")
        .hasMessageContaining("TENANTKIT_SUBDOMAIN is not set")
        .hasMessageContaining("TENANTKIT_PORT is not a number");
  }

  @Test
  void aCaBundleThatIsNotThere_twoSources_aBadTenantAndPort_areRefused() throws Exception {
    Map<String, String> env = complete();
    env.put("TENANTKIT_RDS_CA_BUNDLE", dir.resolve("missing.pem").toString());
    env.put("TENANTKIT_CATALOG", dir.resolve("catalog.json").toString());
    env.put("TENANTKIT_TENANT_ID", "Not A Tenant");
    env.put("TENANTKIT_PORT", "70000");
    assertThatThrownBy(() -> AwsSettings.from(env)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TENANTKIT_RDS_CA_BUNDLE names " + dir.resolve("missing.pem") + ", which is not a file")
        .hasMessageContaining("both set: give one source of tenants")
        .hasMessageContaining("TENANTKIT_CATALOG names")
        .hasMessageContaining("TENANTKIT_TENANT_ID is not a tenant id")
        .hasMessageContaining("TENANTKIT_PORT must be 1 to 65535, was 70000");
  }

  @Test
  void complete_readsEverything_withDefaults() throws Exception {
    AwsSettings s = AwsSettings.from(complete());
    assertThat(s.registryTable()).contains("tenantkit-tenants");
    assertThat(s.catalogFile()).isEmpty();
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.stateDirectory()).isEqualTo(Path.of("/var/lib/tenantkit"));
    assertThat(s.pinnedTenant()).isEmpty();
    assertThat(s.resolver().resolve(TenantRequest.builder().method("GET").host("acme.app.example.com").path("/")
        .build())).contains(TenantId.of("acme"));
  }

  @Test
  void aPinnedTenant_needsNoPattern_andWithOne_bothMustAgree() throws Exception {
    Map<String, String> env = complete();
    env.remove("TENANTKIT_SUBDOMAIN");
    env.put("TENANTKIT_TENANT_ID", "acme");
    AwsSettings pinnedOnly = AwsSettings.from(env);
    assertThat(pinnedOnly.resolver().resolve(TenantRequest.builder().method("GET").host("anything.example.com")
        .path("/").build())).contains(TenantId.of("acme"));

    env.put("TENANTKIT_SUBDOMAIN", "{tenant}.app.example.com");
    AwsSettings both = AwsSettings.from(env);
    assertThatThrownBy(() -> both.resolver().resolve(TenantRequest.builder().method("GET")
        .host("globex.app.example.com").path("/").build()))
        .isInstanceOf(dev.tenantkit.core.TenantMismatchException.class);
  }

  @Test
  void aMasterSecret_needsTheDatabaseVariables_andThenDescribesTheDatabase() throws Exception {
    Map<String, String> env = complete();
    env.put("TENANTKIT_DB_MASTER_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:m-AbCdEf");
    assertThatThrownBy(() -> AwsSettings.from(env)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("which needs TENANTKIT_TENANT_ID, TENANTKIT_DB_HOST, TENANTKIT_DB_NAME, TENANTKIT_DB_APP_USER");
    env.put("TENANTKIT_TENANT_ID", "acme");
    env.put("TENANTKIT_DB_HOST", "acme.abc123.eu-west-1.rds.amazonaws.com");
    env.put("TENANTKIT_DB_NAME", "acme");
    env.put("TENANTKIT_DB_APP_USER", "app");
    env.put("AWS_REGION", "eu-west-1");
    var db = AwsSettings.from(env).bootstrapDatabase().orElseThrow();
    assertThat(db.host()).isEqualTo("acme.abc123.eu-west-1.rds.amazonaws.com");
    assertThat(db.port()).isEqualTo(5432);
    assertThat(db.user()).isEqualTo("app");
    assertThat(db.credentials()).isEqualTo(dev.tenantkit.core.DatabaseConfig.CredentialsSource.IAM);
  }
}
