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
  void poolGauges_aRowPerTenantWithinTheLimit_perTierAsOtherBeyond_andRemovedTenantsGone() {
    var writable = TestTenants.catalog(TestTenants.tenant("acme").build(),
        TestTenants.tenant("globex").tier("premium").build());
    dev.tenantkit.db.TenantDataSource ds = pools(
        new dev.tenantkit.db.TenantPoolStats(TestTenants.id("acme"), "tenantkit-acme", false, 4, 1, 5, 2, 10, 3, 0, 0),
        new dev.tenantkit.db.TenantPoolStats(TestTenants.id("globex"), "s", true, 1, 0, 1, 0, 5, 0, 0, 0),
        new dev.tenantkit.db.TenantPoolStats(TestTenants.id("initech"), "s", true, 2, 0, 2, 0, 5, 0, 0, 0));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new TenantKitMetrics(writable, 2, ds).bindTo(registry);
    assertThat(registry.get("tenantkit.db.connections.active").tags("tier", "standard", "tenant", "acme").gauge().value())
        .isEqualTo(4);
    assertThat(registry.get("tenantkit.db.connections.pending").tags("tenant", "acme").gauge().value()).isEqualTo(2);
    assertThat(registry.get("tenantkit.db.connections.saturations").tags("tenant", "acme").gauge().value()).isEqualTo(3);
    assertThat(registry.get("tenantkit.db.connections.active").tags("tier", "premium", "tenant", "globex").gauge()
        .value()).isEqualTo(1);
    // A third tenant: beyond the limit of 2, a row per tier, tagged other, and no tenant's own row.
    writable.put(TestTenants.tenant("initech").build());
    assertThat(registry.find("tenantkit.db.connections.active").tag("tenant", "acme").gauges()).isEmpty();
    assertThat(registry.get("tenantkit.db.connections.active").tags("tier", "standard", "tenant", "other").gauge()
        .value()).isEqualTo(6); // acme 4 + initech 2
    // Back within the limit: initech's row is not there (it left the catalog).
    writable.remove(TestTenants.id("initech"));
    assertThat(registry.find("tenantkit.db.connections.active").tag("tenant", "initech").gauges()).isEmpty();
    assertThat(registry.find("tenantkit.db.connections.active").tag("tenant", "other").gauges()).isEmpty();
    assertThat(registry.get("tenantkit.db.connections.active").tags("tenant", "acme").gauge().value()).isEqualTo(4);
  }

  private static dev.tenantkit.db.TenantDataSource pools(dev.tenantkit.db.TenantPoolStats... stats) {
    return (dev.tenantkit.db.TenantDataSource) java.lang.reflect.Proxy.newProxyInstance(
        TenantKitMetricsTest.class.getClassLoader(), new Class<?>[] {dev.tenantkit.db.TenantDataSource.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "stats" -> java.util.List.of(stats);
          case "livePools" -> 2;
          case "hashCode" -> 7;
          case "equals" -> proxy == args[0];
          case "toString" -> "pools";
          default -> throw new UnsupportedOperationException(method.getName());
        });
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
