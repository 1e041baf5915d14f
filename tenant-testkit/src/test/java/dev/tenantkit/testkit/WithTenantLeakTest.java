package dev.tenantkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.tenantkit.core.TenantContext;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs a fixture through the JUnit engine: a test that leaks a scope must fail, alone. */
class WithTenantLeakTest {

  /** Not run directly (no Test suffix); executed by the engine test kit below. */
  @WithTenant("acme")
  static class LeakingFixture {
    @Test
    void leaks() {
      TenantContext.open(TenantContext.require()); // never closed
    }

    @Test
    void clean() {
      assertThat(TenantContext.require().id().value()).isEqualTo("acme");
    }
  }

  @Test
  void extension_whenTestLeaksScope_failsThatTestOnlyAndLeavesThreadClean() {
    Events events = EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(LeakingFixture.class))
        .execute()
        .testEvents();
    events.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
    assertThat(events.failed().stream().map(e -> e.getTestDescriptor().getDisplayName()))
        .containsExactly("leaks()");
    assertThat(TenantContext.current()).isEmpty();
  }
}
