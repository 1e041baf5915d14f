package dev.tenantkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.auth.KeySourceStatus;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TenantPoolStats;
import dev.tenantkit.registry.RegistryHealth;
import dev.tenantkit.registry.RegistryTenantCatalog;
import dev.tenantkit.testkit.TestTenants;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the health details say: freshness and states by default, tenants and issuers by name only when asked. */
class TenantKitHealthTest {

  @Test
  void registryFreshness_isReported_andAFailedRefreshStaysUp() {
    RegistryHealth stale = new RegistryHealth(RegistryHealth.Source.REGISTRY, 2, Instant.now().minusSeconds(90),
        Instant.now(), "DynamoDB: throttled", Map.of());
    TenantCatalog registry = registry(stale);
    Map<String, Object> d = TenantKitHealthAutoConfiguration.catalogDetails(registry, false);
    assertThat(d).containsEntry("type", "registry").containsEntry("source", "REGISTRY")
        .containsEntry("healthy", false);
    assertThat(d.get("lastError").toString()).as("the message may name accounts and tenants").doesNotContain("DynamoDB");
    assertThat(TenantKitHealthAutoConfiguration.catalogDetails(registry, true))
        .containsEntry("lastError", "DynamoDB: throttled");
    assertThat((Long) d.get("ageSeconds")).isBetween(89L, 120L);
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TenantKitHealthAutoConfiguration.class))
        .withBean(TenantCatalog.class, () -> registry).withBean(TenantKitProperties.class)
        .run(ctx -> assertThat(ctx.getBean("tenantkitHealthIndicator", HealthIndicator.class).health().getStatus().getCode())
            .isEqualTo("UP"));
  }

  @Test
  void keySources_byStateOnly_unlessTenantDetailsAreOn() {
    List<KeySourceStatus> sources = List.of(
        new KeySourceStatus("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Acme",
            URI.create("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Acme/.well-known/jwks.json"),
            KeySourceStatus.State.FETCHED, Instant.now(), null),
        new KeySourceStatus("https://acme.okta.com/oauth2/default", null, KeySourceStatus.State.FAILED, null,
            "the discovery document could not be fetched: HTTP 503"));
    assertThat(TenantKitHealthAutoConfiguration.keySourceDetails(sources, false))
        .isEqualTo(Map.of("states", Map.of("FAILED", 1L, "FETCHED", 1L)));
    Map<String, Object> named = TenantKitHealthAutoConfiguration.keySourceDetails(sources, true);
    assertThat(named.get("issuers").toString()).contains("eu-west-1_Acme").contains("HTTP 503");
  }

  @Test
  void pools_perTenant_onlyWithTenantDetails() {
    TenantDataSource ds = dataSource(List.of(
        new TenantPoolStats(TenantId.of("acme"), "tenantkit-acme", false, 10, 0, 10, 3, 10, 7, 0, 0),
        new TenantPoolStats(TenantId.of("globex"), "tenantkit-shared-1", true, 1, 2, 3, 0, 5, 0, 0, 0)));
    ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TenantKitHealthAutoConfiguration.class))
        .withBean(TenantCatalog.class, () -> TestTenants.catalog(TestTenants.silo("acme").build()))
        .withBean(TenantDataSource.class, () -> ds);
    runner.withBean(TenantKitProperties.class).run(ctx -> {
      Health h = ctx.getBean("dbHealthIndicator", HealthIndicator.class).health();
      assertThat(h.getStatus().getCode()).as("one tenant saturated: the instance stays in service").isEqualTo("UP");
      assertThat(h.getDetails()).containsEntry("tenantsAtTheirLimit", 1L).containsEntry("tenantsWaiting", 1L)
          .doesNotContainKey("tenants");
      assertThat(h.getDetails().toString()).doesNotContain("acme");
    });
    runner.withBean(TenantKitProperties.class, () -> {
      TenantKitProperties p = new TenantKitProperties();
      p.getHealth().setTenantDetails(true);
      return p;
    }).run(ctx -> {
      Health h = ctx.getBean("dbHealthIndicator", HealthIndicator.class).health();
      assertThat(h.getDetails().get("tenants").toString())
          .contains("acme={state=waiting, active=10, maxConnections=10, waiting=3, saturations=7, shared=false}")
          .contains("globex={state=ok");
    });
  }

  private static TenantCatalog registry(RegistryHealth health) {
    TenantCatalog inner = TestTenants.catalog(TestTenants.silo("acme").build(), TestTenants.pooled("globex").build());
    return (TenantCatalog) Proxy.newProxyInstance(TenantKitHealthTest.class.getClassLoader(),
        new Class<?>[] {RegistryTenantCatalog.class}, (proxy, method, args) -> switch (method.getName()) {
          case "health" -> health;
          case "toString" -> "registry";
          case "hashCode" -> 1;
          case "equals" -> proxy == args[0];
          default -> method.invoke(inner, args);
        });
  }

  private static TenantDataSource dataSource(List<TenantPoolStats> stats) {
    return (TenantDataSource) Proxy.newProxyInstance(TenantKitHealthTest.class.getClassLoader(),
        new Class<?>[] {TenantDataSource.class}, (proxy, method, args) -> switch (method.getName()) {
          case "stats" -> stats;
          case "livePools" -> 2;
          case "toString" -> "pools";
          case "hashCode" -> 1;
          case "equals" -> proxy == args[0];
          case "close", "closePools" -> null;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
