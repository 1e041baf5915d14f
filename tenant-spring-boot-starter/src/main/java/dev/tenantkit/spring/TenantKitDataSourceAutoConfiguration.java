package dev.tenantkit.spring;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TlsMode;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link TenantDataSource} as the application's {@code DataSource} (with tenant-db on the class
 * path and no {@code DataSource} bean of the application's own): before Boot's own DataSource
 * auto-configuration, which then backs off, so no pool to a single database is ever made from
 * {@code spring.datasource.*}.
 */
@AutoConfiguration(after = TenantKitAutoConfiguration.class,
    beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(TenantDataSource.class)
public class TenantKitDataSourceAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(DataSource.class)
  TenantDataSource tenantDataSource(TenantCatalog catalog, TenantKitProperties properties,
      ObjectProvider<TenantDataSourceCustomizer> customizers) {
    TenantDataSource.Builder builder = TenantDataSource.builder().catalog(catalog);
    Path bundle = properties.getDatasource().getRdsCaBundle();
    if (bundle != null) {
      builder.rdsCaBundle(bundle);
    }
    if (properties.getDatasource().isPlaintextOnLoopback()) {
      builder.tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK);
    }
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }
}
