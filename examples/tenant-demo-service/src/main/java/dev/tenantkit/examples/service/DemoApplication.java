package dev.tenantkit.examples.service;

import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.examples.documents.DocumentStore;
import dev.tenantkit.storage.TenantStorageClient;
import java.time.Duration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/**
 * The documents service on tenant-spring-boot-starter, with no TenantKit bean of its own: the
 * starter makes the catalog, the token verifier, the tenant filter (ordered before Spring
 * Security's chain) with the per-tenant limits, the Spring Security chain that puts the verified
 * token of the request's tenant in the {@code SecurityContext}, the routing {@code DataSource},
 * the tenant storage, Actuator health and TenantKit's metrics, from {@code application.yml} and
 * the mode's properties ({@link DemoService}: AWS mode's come from {@link AwsSettings}; local
 * mode hands the starter its stand-ins as connection details).
 */
@SpringBootApplication(proxyBeanMethods = false)
@EnableMethodSecurity // @PreAuthorize on DocumentsController
public class DemoApplication {

  @Bean
  DocumentStore documentStore(TenantDataSource dataSource, TenantStorageClient storage) {
    return new DocumentStore(dataSource, storage, Duration.ofMinutes(5));
  }
}
