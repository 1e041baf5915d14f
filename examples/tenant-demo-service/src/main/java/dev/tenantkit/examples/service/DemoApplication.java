package dev.tenantkit.examples.service;

import dev.tenantkit.auth.BearerTokenGuard;
import dev.tenantkit.auth.TenantTokenVerifier;
import dev.tenantkit.core.RequestLimits;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantLimiter;
import dev.tenantkit.core.TenantResolver;
import dev.tenantkit.core.servlet.TenantFilter;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.examples.documents.DocumentStore;
import dev.tenantkit.storage.TenantStorageClient;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The documents service, wired to TenantKit with plain beans: the catalog, the token verifier,
 * the tenant filter (subdomain + bearer token), the routing {@code DataSource} and the tenant
 * storage. {@link Backends} says where the catalog, S3 and the tenant of a request come from (the
 * local stand-ins, or AWS).
 */
@SpringBootApplication(proxyBeanMethods = false)
public class DemoApplication {

  /**
   * What differs between local mode and AWS mode. {@code database} adds the mode's database
   * transport settings to the data source (plaintext to the local PostgreSQL on loopback only; the
   * RDS CA bundle on AWS).
   */
  public record Backends(TenantCatalog catalog, S3Client s3, S3Presigner presigner, TenantResolver resolver,
      UnaryOperator<TenantDataSource.Builder> database) {}

  @Bean
  TenantTokenVerifier tokenVerifier(Backends backends) {
    TenantTokenVerifier verifier = TenantTokenVerifier.builder().catalog(backends.catalog()).build();
    verifier.warmUp(); // fetch every tenant issuer's keys at start, not on the first request
    return verifier;
  }

  // Per-tenant request limits by tier (a record's own limits override its tier's): a tenant's
  // flood is refused with 429 against its own budget, not the other tenants'.
  @Bean
  TenantLimiter tenantLimiter() {
    return TenantLimiter.builder()
        .tier("basic", RequestLimits.of(20, 40, 16))
        .tier("standard", RequestLimits.of(50, 100, 32))
        .tier("premium", RequestLimits.of(200, 400, 64))
        .build();
  }

  @Bean
  FilterRegistrationBean<TenantFilter> tenantFilter(Backends backends, TenantTokenVerifier verifier,
      TenantLimiter limiter) {
    TenantFilter filter = TenantFilter.builder()
        .resolver(backends.resolver())
        .catalog(backends.catalog())
        .guard(BearerTokenGuard.of(verifier)) // the token must be from the subdomain's tenant
        .limiter(limiter) // then the tenant's own limits
        .skipPaths("/health")
        .build();
    FilterRegistrationBean<TenantFilter> registration = new FilterRegistrationBean<>(filter);
    registration.addUrlPatterns("/*");
    registration.setOrder(Integer.MIN_VALUE + 10);
    return registration;
  }

  @Bean(destroyMethod = "close")
  TenantDataSource tenantDataSource(Backends backends) {
    return backends.database().apply(TenantDataSource.builder().catalog(backends.catalog())).build();
  }

  @Bean
  TenantStorageClient tenantStorage(Backends backends) {
    return TenantStorageClient.builder().s3Client(backends.s3()).presigner(backends.presigner()).build();
  }

  @Bean
  DocumentStore documentStore(TenantDataSource dataSource, TenantStorageClient storage) {
    return new DocumentStore(dataSource, storage, Duration.ofMinutes(5));
  }
}
