package dev.tenantkit.testkit.tenants.spring;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.spring.TenantKitConnectionDetails;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.tenants.LocalTenantKit;
import dev.tenantkit.testkit.tenants.LocalTenants;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link LocalTenantKit}'s tenants and S3 server as the starter's connection details: the seeded
 * catalog, the local S3 endpoint with its credentials, and plaintext to the embedded PostgreSQL on
 * loopback. Define it as a bean yourself where a field annotation does not fit:
 * {@code @Bean TenantKitConnectionDetails tenantKit() { return new LocalTenantKitConnectionDetails(kit); }}.
 */
public final class LocalTenantKitConnectionDetails implements TenantKitConnectionDetails {
  private final LocalTenantKit kit;

  /** Details of {@code kit}, which is started if it is not. */
  public LocalTenantKitConnectionDetails(LocalTenantKit kit) {
    this.kit = Objects.requireNonNull(kit, "kit");
    kit.start();
  }

  @Override
  public TenantCatalog catalog() {
    return kit.catalog();
  }

  @Override
  public Optional<S3Endpoint> s3() {
    return Optional.of(new S3Endpoint(kit.s3().endpoint(), LocalTenants.REGION, LocalS3.ACCESS_KEY,
        LocalS3.SECRET_KEY, true));
  }

  @Override
  public boolean plaintextDatabasesOnLoopback() {
    return true;
  }

  @Override
  public String toString() {
    return "LocalTenantKitConnectionDetails[" + (kit.isRunning() ? "running" : "stopped") + "]";
  }
}
