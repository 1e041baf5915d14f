package dev.tenantkit.examples.service;

import dev.tenantkit.core.RequestLimits;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantLimiter;
import dev.tenantkit.core.TenantResolver;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.examples.documents.DocumentStore;
import dev.tenantkit.spring.TenantDataSourceCustomizer;
import dev.tenantkit.storage.TenantStorageClient;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The documents service on tenant-spring-boot-starter: the starter makes the token verifier, the
 * tenant filter (ordered before Spring Security's chain), the Spring Security chain that puts the
 * verified token of the request's tenant in the {@code SecurityContext}, the routing
 * {@code DataSource}, the tenant storage, Actuator health and TenantKit's metrics, from
 * {@code application.yml}. What differs between local mode and AWS mode ({@link Backends}: where
 * the tenants, S3 and the request's tenant come from, and the databases' transport) is handed in
 * as the beans the starter backs off for.
 */
@SpringBootApplication(proxyBeanMethods = false)
@EnableMethodSecurity // @PreAuthorize on DocumentsController
public class DemoApplication {

  /**
   * What differs between local mode and AWS mode. {@code database} adds the mode's database
   * transport settings to the data source (plaintext to the local PostgreSQL on loopback only; the
   * RDS CA bundle on AWS).
   */
  public record Backends(TenantCatalog catalog, S3Client s3, S3Presigner presigner, TenantResolver resolver,
      UnaryOperator<TenantDataSource.Builder> database) {}

  // The mode's parts; whoever made them closes them (destroyMethod "").
  @Bean(destroyMethod = "")
  TenantCatalog tenantCatalog(Backends backends) {
    return backends.catalog();
  }

  @Bean
  TenantResolver tenantResolver(Backends backends) {
    return backends.resolver();
  }

  @Bean(destroyMethod = "")
  S3Client s3Client(Backends backends) {
    return backends.s3();
  }

  @Bean(destroyMethod = "")
  S3Presigner s3Presigner(Backends backends) {
    return backends.presigner();
  }

  @Bean
  TenantDataSourceCustomizer databaseTransport(Backends backends) {
    return builder -> backends.database().apply(builder);
  }

  // Per-tenant request limits by tier (a record's own limits override its tier's): a tenant's
  // flood is refused with 429 against its own budget, not the other tenants'. The starter's
  // tenant filter runs it after the token.
  @Bean
  TenantLimiter tenantLimiter() {
    return TenantLimiter.builder()
        .tier("basic", RequestLimits.of(20, 40, 16))
        .tier("standard", RequestLimits.of(50, 100, 32))
        .tier("premium", RequestLimits.of(200, 400, 64))
        .build();
  }

  @Bean
  DocumentStore documentStore(TenantDataSource dataSource, TenantStorageClient storage) {
    return new DocumentStore(dataSource, storage, Duration.ofMinutes(5));
  }
}
