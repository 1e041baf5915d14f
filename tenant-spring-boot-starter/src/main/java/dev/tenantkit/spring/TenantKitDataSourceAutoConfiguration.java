package dev.tenantkit.spring;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.db.SessionReset;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TlsMode;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * {@link TenantDataSource} as the application's {@code DataSource} (with tenant-db on the class
 * path): before Boot's own DataSource auto-configuration, which then backs off, so no pool to a
 * single database is ever made from {@code spring.datasource.*}. It is {@code @Primary}: another
 * {@code DataSource} the application defines (a reporting database) does not silently take its
 * place where a {@code DataSource} is injected by type (repositories, JdbcTemplate); inject that one
 * by name. {@code tenantkit.datasource.enabled=false} leaves the data source to the application.
 */
@AutoConfiguration(after = TenantKitAutoConfiguration.class,
    beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(TenantDataSource.class)
public class TenantKitDataSourceAutoConfiguration {

  @Bean
  @Primary
  @ConditionalOnMissingBean(TenantDataSource.class)
  @ConditionalOnProperty(prefix = "tenantkit.datasource", name = "enabled", matchIfMissing = true)
  TenantDataSource tenantDataSource(TenantCatalog catalog, TenantKitProperties properties,
      ObjectProvider<TenantDataSourceCustomizer> customizers, ObjectProvider<TenantKitConnectionDetails> details) {
    TenantDataSource.Builder builder = TenantDataSource.builder().catalog(catalog);
    Path bundle = properties.getDatasource().getRdsCaBundle();
    if (bundle != null) {
      builder.rdsCaBundle(bundle);
    }
    TenantKitConnectionDetails given = details.getIfAvailable();
    if (properties.getDatasource().isPlaintextOnLoopback()
        || (given != null && given.plaintextDatabasesOnLoopback())) {
      builder.tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK);
    }
    if (properties.getDatasource().isResetSiloSessions()) {
      builder.sessionReset(SessionReset.EVERY_BORROW);
    }
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }
}
