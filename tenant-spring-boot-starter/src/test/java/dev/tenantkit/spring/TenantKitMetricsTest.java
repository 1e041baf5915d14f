package dev.tenantkit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.testkit.TestTenants;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The tenant tag's cardinality bound, and the rejection counter's tags. */
class TenantKitMetricsTest {
  private final TenantCatalog catalog = TestTenants.catalog(TestTenants.tenant("acme").build(),
      TestTenants.tenant("globex").tier("premium").build(), TestTenants.tenant("initech").build());

  @Test
  void tenantTag_firstTenantsUpToTheLimit_thenOther() {
    TenantKitMetrics m = new TenantKitMetrics(catalog, 2, null);
    assertThat(m.tenantTag(TestTenants.id("acme"))).isEqualTo("acme");
    assertThat(m.tenantTag(TestTenants.id("globex"))).isEqualTo("globex");
    assertThat(m.tenantTag(TestTenants.id("initech"))).isEqualTo("other");
    assertThat(m.tenantTag(TestTenants.id("acme"))).isEqualTo("acme");
    assertThat(new TenantKitMetrics(catalog, 0, null).tenantTag(TestTenants.id("acme"))).isEqualTo("other");
    assertThatThrownBy(() -> new TenantKitMetrics(catalog, -1, null))
        .hasMessageContaining("tenantkit.metrics.tenant-tag-limit");
  }

  @Test
  void rejections_countedByReasonTierAndBoundedTenant() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TenantKitMetrics m = new TenantKitMetrics(catalog, 1, null);
    m.bindTo(registry);
    var mismatch = new TokenRejectedException(TokenRejectedException.Reason.TENANT_MISMATCH, "test");
    m.rejected(mismatch, catalog.require(TestTenants.id("acme")));
    m.rejected(mismatch, catalog.require(TestTenants.id("acme")));
    m.rejected(new TokenRejectedException(TokenRejectedException.Reason.EXPIRED, "test"),
        catalog.require(TestTenants.id("globex")));
    assertThat(registry.get("tenantkit.token.rejections").tags("reason", "tenant_mismatch", "tier", "standard",
        "tenant", "acme").counter().count()).isEqualTo(2);
    assertThat(registry.get("tenantkit.token.rejections").tags("reason", "expired", "tier", "premium",
        "tenant", "other").counter().count()).isEqualTo(1);
  }
}
