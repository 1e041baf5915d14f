package dev.tenantkit.testkit.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.testkit.LocalPostgres;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.LocalServices;
import dev.tenantkit.testkit.LocalTokenIssuer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** {@link LocalTenantKit} as Testcontainers' {@code Startable}: the @Container field's lifecycle, run by the real extension. */
class LocalTenantKitIntegrationTest {

  @Test
  void aContainerField_isStartedAndSeededForTheClass_andStoppedAfter() {
    var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ContainerFieldFixture.class)).execute();
    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    assertThat(ContainerFieldFixture.seenRunning.get()).isTrue();
    assertThat(ContainerFieldFixture.kit.isRunning()).as("stopped by the extension after the class").isFalse();
    LocalPostgres postgres = ContainerFieldFixture.postgres.get();
    assertThatThrownBy(() -> postgres.queryAsSuperuser("postgres", "SELECT 1"))
        .as("its own PostgreSQL was stopped with it").isInstanceOf(RuntimeException.class);
  }

  @Test
  @ExtendWith(LocalServices.class)
  void onSharedServers_stopLeavesThemRunning_andStartingAgainSeedsANewSet(LocalPostgres postgres, LocalS3 s3,
      LocalTokenIssuer issuer) {
    LocalTenantKit kit = LocalTenantKit.on(postgres, s3, issuer).silo("acme");
    kit.start();
    kit.start(); // again: nothing
    String firstDatabase = kit.tenant("acme").database().map(DatabaseConfig::database).orElseThrow();
    kit.stop();
    assertThat(postgres.queryAsSuperuser("postgres", "SELECT 1")).isEqualTo("1");
    assertThatThrownBy(kit::catalog).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
    kit.start();
    assertThat(kit.tenant("acme").database().map(DatabaseConfig::database).orElseThrow()).isNotEqualTo(firstDatabase);
    assertThatThrownBy(() -> kit.silo("globex")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before start()");
    kit.stop();
  }

  /** Run only through the engine above (not a *Test: Surefire and Failsafe leave it alone). */
  @Testcontainers
  static class ContainerFieldFixture {
    static final AtomicReference<Boolean> seenRunning = new AtomicReference<>(false);
    static final AtomicReference<LocalPostgres> postgres = new AtomicReference<>();

    @Container
    static LocalTenantKit kit = LocalTenantKit.create().silo("acme");

    @Test
    void running() {
      seenRunning.set(kit.isRunning() && kit.tenant("acme").database().isPresent());
      postgres.set(kit.postgres());
    }
  }
}
