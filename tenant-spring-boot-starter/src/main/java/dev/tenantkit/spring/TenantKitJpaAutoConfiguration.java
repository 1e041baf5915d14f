package dev.tenantkit.spring;

import dev.tenantkit.db.TenantDataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Hibernate (Spring Data JPA) on a {@link TenantDataSource}: Hibernate reads the database's
 * metadata at start to pick its dialect, which needs a connection, and {@code TenantDataSource}
 * lends none outside a tenant's scope, so the start fails ("Unable to determine Dialect without
 * JDBC metadata"). The starter turns that lookup off and names the dialect: PostgreSQL (what the
 * tenant stack deploys), version {@code tenantkit.jpa.database-major-version}. An application that
 * sets {@code spring.jpa.database-platform} or {@code hibernate.dialect} keeps its own.
 *
 * <p>What stays the application's to keep: no schema generation against tenants at start
 * ({@code spring.jpa.hibernate.ddl-auto} is {@code none} for a non-embedded database; another value
 * fails the start, since it needs a connection), and no second-level or query cache shared by
 * tenants (off unless configured: entity ids of different tenants' databases can be equal).
 */
@AutoConfiguration(after = TenantKitDataSourceAutoConfiguration.class,
    beforeName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass({HibernatePropertiesCustomizer.class, TenantDataSource.class})
@ConditionalOnBean(TenantDataSource.class)
public class TenantKitJpaAutoConfiguration {

  @Bean
  HibernatePropertiesCustomizer tenantKitHibernateProperties(TenantKitProperties properties) {
    return hibernate -> {
      hibernate.putIfAbsent("hibernate.boot.allow_jdbc_metadata_access", "false");
      if (!hibernate.containsKey("hibernate.dialect")) {
        hibernate.put("hibernate.dialect", "org.hibernate.dialect.PostgreSQLDialect");
        hibernate.putIfAbsent("jakarta.persistence.database-product-name", "PostgreSQL");
        hibernate.putIfAbsent("jakarta.persistence.database-major-version",
            Integer.toString(properties.getJpa().getDatabaseMajorVersion()));
      }
    };
  }
}
