package dev.tenantkit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.UnknownTenantException;
import dev.tenantkit.testkit.TestTenants;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog named by environment variables: a file, or the registry on dynalite. */
class EnvironmentCatalogIntegrationTest {

  @Test
  void registryTable_readsTheRegistry_andWithATenantIdOnlyThatTenantsRecord(@TempDir Path state) throws Exception {
    TenantRegistry registry = Dynamo.newRegistry();
    registry.create(TestTenants.silo("acme").build());
    registry.create(TestTenants.pooled("globex").build());
    List<Optional<String>> regionsAsked = new ArrayList<>();
    Map<String, String> env = Map.of(EnvironmentCatalog.REGISTRY_TABLE, registry.tableName(),
        EnvironmentCatalog.REGISTRY_REGION, "eu-west-1", EnvironmentCatalog.STATE_DIR, state.toString());
    try (RegistryTenantCatalog all = (RegistryTenantCatalog) EnvironmentCatalog.from(env, r -> {
      regionsAsked.add(r);
      return Dynamo.client();
    })) {
      assertThat(all.require(TenantId.of("globex")).id().value()).isEqualTo("globex");
    }
    assertThat(regionsAsked).containsExactly(Optional.of("eu-west-1"));
    Map<String, String> one = new java.util.HashMap<>(env);
    one.put(EnvironmentCatalog.TENANT_ID, "acme");
    try (RegistryTenantCatalog acmeOnly = (RegistryTenantCatalog) EnvironmentCatalog.from(one, r -> Dynamo.client())) {
      assertThat(acmeOnly.require(TenantId.of("acme")).id().value()).isEqualTo("acme");
      assertThatThrownBy(() -> acmeOnly.require(TenantId.of("globex"))).isInstanceOf(UnknownTenantException.class);
    }
  }

  @Test
  void catalogFile_isRead_andTheRegistryClientIsNeverBuilt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tenants.json");
    java.nio.file.Files.writeString(file, "{\"version\": 1, \"tenants\": [{\"id\": \"acme\", \"tier\": \"standard\","
        + " \"status\": \"ACTIVE\"}]}");
    TenantCatalog catalog = EnvironmentCatalog.from(Map.of(EnvironmentCatalog.CATALOG_FILE, file.toString()), r -> {
      throw new AssertionError("no DynamoDB client for a file");
    });
    assertThat(catalog.require(TenantId.of("acme")).id().value()).isEqualTo("acme");
  }

  @Test
  void badSettings_areAllNamedAtOnce_byTheirVariables_beforeAnythingIsRead(@TempDir Path dir) {
    assertThatThrownBy(() -> EnvironmentCatalog.from(Map.of(), r -> Dynamo.client()))
        .isInstanceOf(TenantConfigurationException.class)
        .hasMessageContaining("TENANTKIT_REGISTRY_TABLE is not set").hasMessageContaining("TENANTKIT_CATALOG");
    assertThatThrownBy(() -> EnvironmentCatalog.from(Map.of(EnvironmentCatalog.REGISTRY_TABLE, "tenants",
        EnvironmentCatalog.CATALOG_FILE, dir.resolve("missing.json").toString(), EnvironmentCatalog.TENANT_ID, "../acme"),
        r -> {
          throw new AssertionError("nothing is read while a setting is wrong");
        }))
        .isInstanceOf(TenantConfigurationException.class)
        .hasMessageContaining("are both set").hasMessageContaining("which is not a file")
        .hasMessageContaining("TENANTKIT_TENANT_ID is not a tenant id");
  }
}
