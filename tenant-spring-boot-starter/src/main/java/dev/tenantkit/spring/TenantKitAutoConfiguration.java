package dev.tenantkit.spring;

import dev.tenantkit.auth.BearerTokenGuard;
import dev.tenantkit.auth.TenantTokenVerifier;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantRequestGuard;
import dev.tenantkit.core.TenantRequestLimiter;
import dev.tenantkit.core.TenantResolver;
import dev.tenantkit.core.TenantResolvers;
import dev.tenantkit.core.servlet.TenantFilter;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;

/**
 * The catalog, the resolver, the token verifier and the tenant filter, from {@code tenantkit.*}
 * ({@link TenantKitProperties}). Each bean backs off when the application defines one of its type
 * (the filter: a {@code TenantFilter} bean or registration of the application's).
 */
@AutoConfiguration
@ConditionalOnClass(TenantCatalog.class)
@EnableConfigurationProperties(TenantKitProperties.class)
public class TenantKitAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(TenantKitAutoConfiguration.class);

  /**
   * The tenant filter's order: ten before Spring Security's filter chain (registered at -100,
   * {@code SecurityFilterProperties.DEFAULT_FILTER_ORDER}, or where
   * {@code spring.security.filter.order} puts it), so a request is admitted to its tenant (or
   * refused) before authentication and authorization run, and the token is verified for the tenant
   * the request was admitted to; after Spring's request wrappers of higher precedence, which do not
   * depend on the tenant.
   */
  public static final int FILTER_ORDER = -110;

  private static final int SECURITY_FILTER_ORDER = -100;
  private static final int BEFORE_SECURITY = SECURITY_FILTER_ORDER - FILTER_ORDER;

  @Bean
  @ConditionalOnMissingBean
  TenantCatalog tenantCatalog(TenantKitProperties properties, org.springframework.beans.factory.BeanFactory beans,
      ObjectProvider<TenantKitConnectionDetails> details) {
    TenantKitConnectionDetails given = details.getIfAvailable();
    if (given != null) {
      LOG.info("tenants from TenantKitConnectionDetails ({}); tenantkit.catalog.* is not read", given);
      return given.catalog(); // the stand-ins' or container's tenants
    }
    TenantKitProperties.Catalog c = properties.getCatalog();
    Path file = c.getFile();
    String table = blankToNull(c.getRegistryTable());
    if (file != null && table != null) {
      throw new TenantConfigurationException("tenantkit.catalog.file and tenantkit.catalog.registry-table are both"
          + " set: give one source of tenants");
    }
    if (table != null) {
      if (!org.springframework.util.ClassUtils.isPresent("dev.tenantkit.registry.RegistryTenantCatalog",
          TenantKitAutoConfiguration.class.getClassLoader())) {
        throw new TenantConfigurationException("tenantkit.catalog.registry-table is set, but tenant-registry is not"
            + " on the class path: add the dev.tenantkit:tenant-registry dependency");
      }
      return RegistryCatalogs.create(table, blankToNull(c.getRegistryRegion()), blankToNull(c.getOnlyTenant()),
          c.getStateDir(), beans);
    }
    if (file == null) {
      throw new TenantConfigurationException("tenantkit.catalog.file is not set: it names the tenant catalog file"
          + " (JSON, docs/catalog.md); or set tenantkit.catalog.registry-table (the DynamoDB registry), or define"
          + " a TenantCatalog bean");
    }
    if (blankToNull(c.getOnlyTenant()) != null) {
      throw new TenantConfigurationException("tenantkit.catalog.only-tenant reads one record of a registry; with"
          + " tenantkit.catalog.file, give a file of that tenant only");
    }
    return TenantCatalog.fromFile(file);
  }

  @Bean
  @ConditionalOnMissingBean
  TenantResolver tenantResolver(TenantKitProperties properties) {
    String pattern = blankToNull(properties.getResolver().getSubdomain());
    String pinned = blankToNull(properties.getResolver().getPinnedTenant());
    if (pattern == null && pinned == null) {
      throw new TenantConfigurationException("tenantkit.resolver.subdomain is not set: it is the host pattern that"
          + " names the tenant, such as {tenant}.api.example.com; or set tenantkit.resolver.pinned-tenant (an"
          + " instance that serves one tenant), or define a TenantResolver bean");
    }
    if (pinned == null) {
      return TenantResolvers.subdomain(java.util.Objects.requireNonNull(pattern));
    }
    TenantResolver one = TenantResolvers.pinned(TenantId.of(pinned));
    return pattern == null ? one : TenantResolvers.allAgree(one, TenantResolvers.subdomain(pattern));
  }

  private static @org.jspecify.annotations.Nullable String blankToNull(
      @org.jspecify.annotations.Nullable String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  @Bean
  @ConditionalOnMissingBean
  TenantTokenVerifier tenantTokenVerifier(TenantCatalog catalog, TenantKitProperties properties) {
    TenantTokenVerifier verifier = TenantTokenVerifier.builder().catalog(catalog).build();
    if (properties.getToken().isWarmUp()) {
      verifier.warmUp(); // every issuer's keys now: a misconfigured issuer stops the start
    }
    return verifier;
  }

  /**
   * Per-tenant request limits from {@code tenantkit.limits.*}, when turned on; the tenant filter
   * runs the application's {@link TenantRequestLimiter} bean instead when it has one.
   */
  @Bean
  @ConditionalOnMissingBean(TenantRequestLimiter.class)
  @org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty("tenantkit.limits.enabled")
  dev.tenantkit.core.TenantLimiter tenantLimiter(TenantKitProperties properties) {
    TenantKitProperties.Limits limits = properties.getLimits();
    dev.tenantkit.core.RequestLimits defaults = requestLimits("tenantkit.limits.defaults", limits.getDefaults(),
        dev.tenantkit.core.TenantLimiter.DEFAULTS);
    dev.tenantkit.core.TenantLimiter.Builder b = dev.tenantkit.core.TenantLimiter.builder().defaults(defaults);
    limits.getTiers().forEach((tier, l) -> {
      String property = "tenantkit.limits.tiers." + tier;
      dev.tenantkit.core.RequestLimits tierLimits = requestLimits(property, l, defaults);
      try {
        b.tier(tier, tierLimits);
      } catch (RuntimeException e) {
        throw new TenantConfigurationException(property + " does not name a tier: " + e.getMessage());
      }
    });
    return b.build();
  }

  private static dev.tenantkit.core.RequestLimits requestLimits(String property, TenantKitProperties.Tier tier,
      dev.tenantkit.core.RequestLimits fallback) {
    Integer rate = tier.getRequestsPerSecond();
    Integer burst = tier.getBurst();
    Integer concurrent = tier.getMaxConcurrentRequests();
    try {
      int r = rate != null ? rate : fallback.requestsPerSecond();
      // An unset burst is the fallback's, but never below the rate (a burst must hold a second's worth).
      return dev.tenantkit.core.RequestLimits.of(r, burst != null ? burst : Math.max(fallback.burst(), r),
          concurrent != null ? concurrent : fallback.maxConcurrentRequests());
    } catch (RuntimeException e) {
      throw new TenantConfigurationException(property + " is not a valid limit: " + e.getMessage());
    }
  }

  /**
   * The tenant carried into {@code @Async} and executor tasks (Spring Boot applies a single
   * {@code TaskDecorator} bean to the executors it builds). An application with a decorator of its
   * own composes this one into it.
   */
  @Bean
  @ConditionalOnMissingBean(TaskDecorator.class)
  TenantTaskDecorator tenantTaskDecorator() {
    return new TenantTaskDecorator();
  }

  /** TenantKit's meters (with micrometer-core on the class path). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    TenantKitMetrics tenantKitMetrics(TenantCatalog catalog, TenantKitProperties properties,
        ObjectProvider<javax.sql.DataSource> dataSource) {
      javax.sql.DataSource ds = dataSource.getIfUnique();
      boolean routing = ds != null && org.springframework.util.ClassUtils.isPresent(
          "dev.tenantkit.db.TenantDataSource", TenantKitAutoConfiguration.class.getClassLoader())
          && TenantKitMetrics.isTenantDataSource(ds);
      return new TenantKitMetrics(catalog, properties.getMetrics().getTenantTagLimit(), routing ? ds : null);
    }
  }

  /** A {@code VerifiedPrincipal} controller parameter (Spring MVC). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "org.springframework.web.servlet.config.annotation.WebMvcConfigurer")
  static class Mvc {
    @Bean
    org.springframework.web.servlet.config.annotation.WebMvcConfigurer tenantKitWebMvcConfigurer() {
      return new org.springframework.web.servlet.config.annotation.WebMvcConfigurer() {
        @Override
        public void addArgumentResolvers(
            java.util.List<org.springframework.web.method.support.HandlerMethodArgumentResolver> resolvers) {
          resolvers.add(new VerifiedPrincipalArgumentResolver());
        }
      };
    }
  }

  /** TenantKit's refusals thrown in controllers, as problem+json. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "org.springframework.web.bind.annotation.RestControllerAdvice")
  static class Problems {
    @Bean
    @ConditionalOnMissingBean
    TenantProblemHandler tenantProblemHandler() {
      return new TenantProblemHandler();
    }

    /** With tenant-db on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.tenantkit.db.TenantDbException")
    static class Db {
      @Bean
      @ConditionalOnMissingBean
      TenantDbProblemHandler tenantDbProblemHandler() {
        return new TenantDbProblemHandler();
      }

      @Bean
      @ConditionalOnMissingBean
      DatabaseUnavailableHandler tenantKitDatabaseUnavailableHandler() {
        return new DatabaseUnavailableHandler();
      }
    }
  }

  private static final boolean MICROMETER = org.springframework.util.ClassUtils.isPresent(
      "io.micrometer.core.instrument.MeterRegistry", TenantKitAutoConfiguration.class.getClassLoader());

  /** Apart, so that TenantKitMetrics (and Micrometer's classes) load only when micrometer-core is there. */
  private static final class Counted {
    static TenantRequestGuard guard(TenantRequestGuard guard, org.springframework.beans.factory.BeanFactory beans) {
      TenantKitMetrics metrics = beans.getBeanProvider(TenantKitMetrics.class).getIfAvailable();
      return metrics == null ? guard : metrics.counting(guard);
    }
  }

  /** The tenant filter on every request of a servlet application. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass({FilterRegistrationBean.class, TenantFilter.class})
  static class ServletFilter {

    @Bean
    @ConditionalOnMissingFilterBean(TenantFilter.class) // a TenantFilter of the application's, registered or not
    FilterRegistrationBean<TenantFilter> tenantFilterRegistration(TenantResolver resolver, TenantCatalog catalog,
        TenantTokenVerifier verifier, ObjectProvider<TenantRequestLimiter> limiter, TenantKitProperties properties,
        Environment environment, org.springframework.beans.factory.BeanFactory beans) {
      TenantFilter.Builder filter = TenantFilter.builder().resolver(resolver).catalog(catalog);
      if (properties.getToken().isRequired()) {
        TenantRequestGuard guard = BearerTokenGuard.of(verifier);
        // TenantKitMetrics is a Micrometer MeterBinder: named only where micrometer-core is there.
        filter.guard(MICROMETER ? Counted.guard(guard, beans) : guard);
      } else if (beans.containsBean("tenantAuthenticationManagerResolver")) {
        LOG.warn("tenantkit.token.required=false: the tenant filter admits requests to the tenant their host names"
            + " without checking a token; Spring Security's chain must verify every request's token");
      } else {
        throw new TenantConfigurationException("tenantkit.token.required=false leaves requests unauthenticated:"
            + " no TenantAuthenticationManagerResolver (bean tenantAuthenticationManagerResolver) verifies tokens in"
            + " Spring Security's chain (add spring-boot-starter-security and spring-security-oauth2-resource-server);"
            + " keep the token required");
      }
      limiter.ifAvailable(filter::limiter);
      String management = environment.getProperty("management.endpoints.web.base-path", "/actuator");
      filter.skipPaths(SkipPaths.checked(properties.getFilter().getSkipPaths(), management).toArray(String[]::new));
      if (properties.getFilter().isSkipManagementEndpoints()) {
        filter.skip(new ManagementPaths(management));
      }
      FilterRegistrationBean<TenantFilter> registration = new FilterRegistrationBean<>(filter.build());
      registration.addUrlPatterns("/*");
      // Before Spring Security's chain wherever spring.security.filter.order puts it.
      registration.setOrder(environment.getProperty("spring.security.filter.order", Integer.class,
          SECURITY_FILTER_ORDER) - BEFORE_SECURITY);
      return registration;
    }
  }
}
