package dev.tenantkit.spring;

import dev.tenantkit.db.TenantDataSource;

/**
 * Adjusts the {@link TenantDataSource} the starter builds, for what properties do not say:
 * credentials factories (RDS IAM authentication, Secrets Manager), tiers' pool settings, a
 * different TLS mode. Every customizer bean is applied, in {@code @Order}, after the properties.
 */
@FunctionalInterface
public interface TenantDataSourceCustomizer {
  /** Adjusts {@code builder}. */
  void customize(TenantDataSource.Builder builder);
}
