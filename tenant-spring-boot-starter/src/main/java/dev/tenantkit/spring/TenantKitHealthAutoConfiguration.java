package dev.tenantkit.spring;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TenantPoolStats;
import java.util.Collection;
import java.util.List;
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
 * and must not take an instance that serves the other tenants out of the load balancer. Details
 * are counts only: no tenant ids (health details may be shown to anonymous callers), no hosts, no
 * secrets.
 */
@AutoConfiguration(after = {TenantKitAutoConfiguration.class, TenantKitDataSourceAutoConfiguration.class},
    beforeName = "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration")
@ConditionalOnClass({HealthIndicator.class, TenantCatalog.class})
public class TenantKitHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "tenantkitHealthIndicator")
  @ConditionalOnBean(TenantCatalog.class)
  HealthIndicator tenantkitHealthIndicator(TenantCatalog catalog) {
    return () -> {
      Collection<Tenant> all = catalog.all();
      long active = all.stream().filter(t -> t.status() == TenantStatus.ACTIVE).count();
      return Health.up().withDetail("tenants", all.size()).withDetail("activeTenants", active).build();
    };
  }

  /** The pools of a {@link TenantDataSource}, as {@code db}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(TenantDataSource.class)
  static class Db {
    @Bean(name = "dbHealthIndicator")
    @ConditionalOnMissingBean(name = {"dbHealthIndicator", "dbHealthContributor"})
    @ConditionalOnBean(TenantDataSource.class)
    HealthIndicator dbHealthIndicator(TenantDataSource dataSource) {
      return () -> {
        List<TenantPoolStats> stats = dataSource.stats();
        long atLimit = stats.stream().filter(s -> s.active() >= s.maxConnections()).count();
        long waiting = stats.stream().filter(s -> s.waiting() > 0).count();
        return Health.up().withDetail("routing", "per tenant (TenantDataSource)")
            .withDetail("pools", dataSource.livePools())
            .withDetail("tenantsWithConnections", stats.size())
            .withDetail("tenantsAtTheirLimit", atLimit)
            .withDetail("tenantsWaiting", waiting)
            .build();
      };
    }
  }
}
