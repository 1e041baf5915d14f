package dev.tenantkit.spring;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TenantPoolStats;
import dev.tenantkit.auth.KeySourceStatus;
import dev.tenantkit.auth.TenantTokenVerifier;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator health for TenantKit (with spring-boot-health on the class path): {@code tenantkit},
 * the catalog (tenants known and active), and, with a {@link TenantDataSource}, {@code db} in place
 * of Boot's database check, which calls {@code getConnection()} outside any tenant's scope, is
 * refused, and would report the instance DOWN (and a load balancer would take every instance out).
 *
 * <p>The database part reports the pools, not one tenant's database: a tenant whose connections are
 * all busy or whose database is down is that tenant's problem, answered to its own requests (503),
 * and must not take an instance that serves the other tenants out of the load balancer; likewise an
 * issuer whose keys cannot be fetched. {@code tenantkit} adds the catalog's freshness (the
 * registry's last refresh, its age and error) and the issuers' key sets by state. Details are
 * counts only unless {@code tenantkit.health.tenant-details} is on (health details may be shown to
 * anonymous callers): then each tenant's pool and each issuer's key set by name. Never hosts,
 * secrets or tokens.
 */
@AutoConfiguration(after = {TenantKitAutoConfiguration.class, TenantKitDataSourceAutoConfiguration.class},
    beforeName = "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration")
@ConditionalOnClass({HealthIndicator.class, TenantCatalog.class})
public class TenantKitHealthAutoConfiguration {
  private static final boolean REGISTRY = org.springframework.util.ClassUtils.isPresent(
      "dev.tenantkit.registry.RegistryTenantCatalog", TenantKitHealthAutoConfiguration.class.getClassLoader());

  @Bean
  @ConditionalOnMissingBean(name = "tenantkitHealthIndicator")
  @ConditionalOnBean(TenantCatalog.class)
  HealthIndicator tenantkitHealthIndicator(TenantCatalog catalog, ObjectProvider<TenantTokenVerifier> verifier,
      TenantKitProperties properties) {
    boolean named = properties.getHealth().isTenantDetails();
    return () -> {
      Collection<Tenant> all = catalog.all();
      long active = all.stream().filter(t -> t.status() == TenantStatus.ACTIVE).count();
      Health.Builder health = Health.up().withDetail("tenants", all.size()).withDetail("activeTenants", active)
          .withDetail("catalog", catalogDetails(catalog, named));
      TenantTokenVerifier v = verifier.getIfAvailable();
      if (v != null) {
        health.withDetail("keySources", keySourceDetails(v.keySources(), named));
      }
      return health.build();
    };
  }

  /** How fresh the catalog is: the registry's refresh state, or where the records come from. */
  static Map<String, Object> catalogDetails(TenantCatalog catalog, boolean named) {
    if (REGISTRY) {
      Map<String, Object> registry = Registry.details(catalog, named);
      if (registry != null) {
        return registry;
      }
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("type", catalog instanceof dev.tenantkit.core.FileTenantCatalog ? "file" : catalog.getClass().getSimpleName());
    return d;
  }

  /**
   * Each issuer's key set, by state; with tenant details, by issuer too. The instance stays UP when
   * one issuer's keys fail: that issuer's tenants are refused (401), the others are served, and a
   * load balancer must not take the instance out for them.
   */
  static Map<String, Object> keySourceDetails(List<KeySourceStatus> sources, boolean named) {
    Map<String, Object> d = new LinkedHashMap<>();
    Map<String, Long> byState = new java.util.TreeMap<>();
    for (KeySourceStatus k : sources) {
      byState.merge(k.state().name(), 1L, Long::sum);
    }
    d.put("states", byState);
    if (named) {
      Map<String, Object> issuers = new LinkedHashMap<>();
      for (KeySourceStatus k : sources) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("state", k.state().name());
        if (k.lastFetched() != null) {
          one.put("lastFetched", String.valueOf(k.lastFetched()));
        }
        k.error().ifPresent(e -> one.put("problem", e));
        issuers.put(k.issuer(), one);
      }
      d.put("issuers", issuers);
    }
    return d;
  }

  /** Apart, so that tenant-registry's classes load only when it is there. */
  static final class Registry {
    static @org.jspecify.annotations.Nullable Map<String, Object> details(TenantCatalog catalog, boolean named) {
      if (!(catalog instanceof dev.tenantkit.registry.RegistryTenantCatalog registry)) {
        return null;
      }
      dev.tenantkit.registry.RegistryHealth h = registry.health();
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("type", "registry");
      d.put("source", h.source().name());
      d.put("healthy", h.healthy());
      d.put("lastRefresh", String.valueOf(h.lastRefresh()));
      h.age(java.time.Instant.now()).ifPresent(age -> d.put("ageSeconds", age.toSeconds()));
      d.put("lastAttempt", String.valueOf(h.lastAttempt()));
      // The message may name tables, accounts and tenants: with tenant details only.
      h.error().ifPresent(e -> d.put("lastError", named ? e : "present (tenantkit.health.tenant-details shows it)"));
      d.put("refusedItems", h.refusedItems().size());
      return d;
    }
  }

  /** The pools of a {@link TenantDataSource}, as {@code db}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(TenantDataSource.class)
  static class Db {
    @Bean(name = "dbHealthIndicator")
    @ConditionalOnMissingBean(name = {"dbHealthIndicator", "dbHealthContributor"})
    @ConditionalOnBean(TenantDataSource.class)
    HealthIndicator dbHealthIndicator(TenantDataSource dataSource, TenantKitProperties properties) {
      boolean named = properties.getHealth().isTenantDetails();
      return () -> {
        List<TenantPoolStats> stats = dataSource.stats();
        long atLimit = stats.stream().filter(s -> s.active() >= s.maxConnections()).count();
        long waiting = stats.stream().filter(s -> s.waiting() > 0).count();
        Health.Builder health = Health.up().withDetail("routing", "per tenant (TenantDataSource)")
            .withDetail("pools", dataSource.livePools())
            .withDetail("tenantsWithConnections", stats.size())
            .withDetail("tenantsAtTheirLimit", atLimit)
            .withDetail("tenantsWaiting", waiting);
        if (named) {
          Map<String, Object> tenants = new java.util.TreeMap<>();
          for (TenantPoolStats s : stats) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("state", s.waiting() > 0 ? "waiting" : s.active() >= s.maxConnections() ? "at-limit" : "ok");
            one.put("active", s.active());
            one.put("maxConnections", s.maxConnections());
            one.put("waiting", s.waiting());
            one.put("saturations", s.saturations());
            one.put("shared", s.shared());
            tenants.put(s.tenant().value(), one);
          }
          health.withDetail("tenants", tenants);
        }
        return health.build();
      };
    }
  }
}
