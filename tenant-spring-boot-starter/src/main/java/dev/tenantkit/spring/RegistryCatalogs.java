package dev.tenantkit.spring;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.registry.RegistryTenantCatalog;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The registry catalog, apart so that tenant-registry's classes load only when it is configured. */
final class RegistryCatalogs {
  private RegistryCatalogs() {}

  static TenantCatalog create(String table, @Nullable String region, @Nullable String onlyTenant, Path stateDir,
      BeanFactory beans) {
    DynamoDbClient client = beans.getBeanProvider(DynamoDbClient.class).getIfAvailable(() -> region == null
        ? DynamoDbClient.create() : DynamoDbClient.builder().region(Region.of(region)).build());
    RegistryTenantCatalog.Builder b = RegistryTenantCatalog.builder().client(client, table)
        .lastKnownGood(stateDir.resolve("registry-last-known-good.json"));
    if (onlyTenant != null) {
      b.onlyTenant(TenantId.of(onlyTenant));
    }
    return b.build();
  }
}
