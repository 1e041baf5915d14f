package dev.tenantkit.examples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    assertThat(s.springProperties()).containsEntry("tenantkit.catalog.registry-table", "tenantkit-tenants")
        .containsEntry("tenantkit.catalog.state-dir", "/var/lib/tenantkit")
        .containsEntry("tenantkit.resolver.subdomain", "{tenant}.app.example.com")
        .containsEntry("server.port", "8080")
        .containsKey("tenantkit.datasource.rds-ca-bundle")
        .doesNotContainKeys("tenantkit.catalog.only-tenant", "tenantkit.resolver.pinned-tenant", "tenantkit.catalog.file");
  }

  @Test
  void aPinnedTenant_needsNoPattern_andWithOne_bothMustAgree() throws Exception {
    Map<String, String> env = complete();
    env.remove("TENANTKIT_SUBDOMAIN");
    env.put("TENANTKIT_TENANT_ID", "acme");
    AwsSettings pinnedOnly = AwsSettings.from(env);
    // The registry reads only that tenant's item, and the resolver serves only that tenant.
    assertThat(pinnedOnly.springProperties()).containsEntry("tenantkit.catalog.only-tenant", "acme")
        .containsEntry("tenantkit.resolver.pinned-tenant", "acme").doesNotContainKey("tenantkit.resolver.subdomain");

    env.put("TENANTKIT_SUBDOMAIN", "{tenant}.app.example.com");
    AwsSettings both = AwsSettings.from(env); // the starter's resolver then needs both to agree
    assertThat(both.springProperties()).containsEntry("tenantkit.resolver.pinned-tenant", "acme")
        .containsEntry("tenantkit.resolver.subdomain", "{tenant}.app.example.com");
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
