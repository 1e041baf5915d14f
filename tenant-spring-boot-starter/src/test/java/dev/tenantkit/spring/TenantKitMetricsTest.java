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
  void tenantTag_byTheCatalogsSize_notByWhoIsSeenFirst() {
    // Three tenants: under a limit of 3 each has its tag; under 2, every one is other.
    TenantKitMetrics three = new TenantKitMetrics(catalog, 3, null);
    assertThat(three.tenantTag(TestTenants.id("initech"))).isEqualTo("initech");
    assertThat(three.tenantTag(TestTenants.id("acme"))).isEqualTo("acme");
    TenantKitMetrics two = new TenantKitMetrics(catalog, 2, null);
    assertThat(two.tenantTag(TestTenants.id("acme"))).isEqualTo("other");
    assertThat(two.tenantTag(TestTenants.id("globex"))).isEqualTo("other");
    assertThat(new TenantKitMetrics(catalog, 0, null).tenantTag(TestTenants.id("acme"))).isEqualTo("other");
    assertThatThrownBy(() -> new TenantKitMetrics(catalog, -1, null))
        .hasMessageContaining("tenantkit.metrics.tenant-tag-limit");
  }

  @Test
  void tenantTag_followsTheCatalog_whenTenantsAreAddedBeyondTheLimit() {
    var writable = TestTenants.catalog(TestTenants.tenant("acme").build(), TestTenants.tenant("globex").build());
    TenantKitMetrics m = new TenantKitMetrics(writable, 2, null);
    assertThat(m.tenantTag(TestTenants.id("acme"))).isEqualTo("acme");
    writable.put(TestTenants.tenant("initech").build());
    assertThat(m.tenantTag(TestTenants.id("acme"))).isEqualTo("other");
  }

  @Test
  void rejections_countedByReasonTierAndBoundedTenant() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TenantKitMetrics m = new TenantKitMetrics(catalog, 3, null);
    m.bindTo(registry);
    var mismatch = new TokenRejectedException(TokenRejectedException.Reason.TENANT_MISMATCH, "test");
    m.rejected(mismatch, catalog.require(TestTenants.id("acme")));
    m.rejected(mismatch, catalog.require(TestTenants.id("acme")));
    m.rejected(new TokenRejectedException(TokenRejectedException.Reason.EXPIRED, "test"),
        catalog.require(TestTenants.id("globex")));
    assertThat(registry.get("tenantkit.token.rejections").tags("reason", "tenant_mismatch", "tier", "standard",
        "tenant", "acme").counter().count()).isEqualTo(2);
    assertThat(registry.get("tenantkit.token.rejections").tags("reason", "expired", "tier", "premium",
        "tenant", "globex").counter().count()).isEqualTo(1);
  }

  @Test
  void rejections_countedInEveryRegistryBound() {
    SimpleMeterRegistry first = new SimpleMeterRegistry();
    SimpleMeterRegistry second = new SimpleMeterRegistry();
    TenantKitMetrics m = new TenantKitMetrics(catalog, 3, null);
    m.bindTo(first);
    m.bindTo(second);
    m.bindTo(first); // again: no second binding
    m.rejected(new TokenRejectedException(TokenRejectedException.Reason.EXPIRED, "test"),
        catalog.require(TestTenants.id("acme")));
    for (SimpleMeterRegistry r : java.util.List.of(first, second)) {
      assertThat(r.get("tenantkit.token.rejections").tags("reason", "expired", "tenant", "acme").counter().count())
          .isEqualTo(1);
    }
  }
}
