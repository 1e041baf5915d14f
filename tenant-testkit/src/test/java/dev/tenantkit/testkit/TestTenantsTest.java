package dev.tenantkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.TenantNotActiveException;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.core.WritableTenantCatalog;
import org.junit.jupiter.api.Test;

class TestTenantsTest {

  @Test
  void silo_andPooled_areValidRecordsOfTheirIsolationModel() {
    assertThat(TestTenants.silo("acme").build().database().orElseThrow().isolation())
        .isEqualTo(DatabaseConfig.IsolationMode.SILO);
    assertThat(TestTenants.silo("acme").build().storage().orElseThrow().bucket()).isEqualTo("tenantkit-acme");
    assertThat(TestTenants.pooled("globex").build().storage().orElseThrow().layout())
        .isEqualTo(StorageConfig.StorageLayout.PREFIX);
    assertThat(TestTenants.pooled("globex").build().storage().orElseThrow().prefix())
        .isEqualTo("tenants/globex/");
    assertThat(TestTenants.pooled("globex").build().identity().orElseThrow().sharedIssuer()).isTrue();
  }

  @Test
  void catalog_servesBuiltTenants() {
    WritableTenantCatalog catalog = TestTenants.catalog(
        TestTenants.silo("acme").build(), TestTenants.pooled("globex").status(TenantStatus.SUSPENDED).build());
    assertThat(catalog.require(TestTenants.id("acme")).tier().name()).isEqualTo("premium");
    assertThatThrownBy(() -> catalog.require(TestTenants.id("globex")))
        .isInstanceOf(TenantNotActiveException.class);
  }

  @Test
  void many_buildsDistinctTenants() {
    assertThat(TestTenants.many(50)).hasSize(50).extracting(t -> t.id().value()).doesNotHaveDuplicates();
    assertThatThrownBy(() -> TestTenants.many(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
