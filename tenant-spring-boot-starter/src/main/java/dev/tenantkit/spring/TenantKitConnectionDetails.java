package dev.tenantkit.spring;

import dev.tenantkit.core.TenantCatalog;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the tenants and their services are, given as a bean in place of {@code tenantkit.*}
 * properties, in the way of Spring Boot's connection details: a test's stand-ins (tenant-testkit's
 * {@code LocalTenantKit} with {@code @TenantKitConnection}) or a container started beside the
 * application hand the starter the catalog of the tenants they seeded and the S3 endpoint to use;
 * the starter's catalog, S3 clients and data source are then made from them. With such a bean,
 * {@code tenantkit.catalog.*} and {@code tenantkit.storage.*} are not read (a bean of the
 * application's own type, such as an {@code S3Client}, still wins).
 *
 * <p>Production applications do not define one: their catalog comes from the registry or a file.
 */
public interface TenantKitConnectionDetails extends ConnectionDetails {

  /**
   * Details of fixed parts: these tenants, this S3 endpoint (null: {@code tenantkit.storage.*}),
   * and whether the databases are reached in plaintext on loopback.
   */
  static TenantKitConnectionDetails of(TenantCatalog catalog, @org.jspecify.annotations.Nullable S3Endpoint s3,
      boolean plaintextDatabasesOnLoopback) {
    Objects.requireNonNull(catalog, "catalog");
    return new TenantKitConnectionDetails() {
      @Override
      public TenantCatalog catalog() {
        return catalog;
      }

      @Override
      public Optional<S3Endpoint> s3() {
        return Optional.ofNullable(s3);
      }

      @Override
      public boolean plaintextDatabasesOnLoopback() {
        return plaintextDatabasesOnLoopback;
      }

      @Override
      public String toString() {
        return "TenantKitConnectionDetails[s3=" + s3 + ", plaintextDatabasesOnLoopback="
            + plaintextDatabasesOnLoopback + "]";
      }
    };
  }

  /** The tenants to serve. */
  TenantCatalog catalog();

  /** The S3-compatible endpoint the tenants' buckets are on, when not AWS's own; empty: {@code tenantkit.storage.*}. */
  default Optional<S3Endpoint> s3() {
    return Optional.empty();
  }

  /**
   * Whether the tenants' databases are reached in plaintext on loopback (embedded stand-ins only:
   * TenantKit still refuses plaintext to any other host); false: TLS as {@code tenantkit.datasource.*} sets it.
   */
  default boolean plaintextDatabasesOnLoopback() {
    return false;
  }

  /**
   * An S3-compatible endpoint with static credentials (a local S3 server's); never an AWS account's
   * keys, which come from the SDK's default credentials chain. The starter's client sends request
   * checksums only where S3 requires them, as such servers expect.
   *
   * @param endpoint the server's URL
   * @param region the Region to sign for
   * @param accessKeyId the server's access key id
   * @param secretAccessKey the server's secret (not in {@link #toString()})
   * @param pathStyle path-style addressing (bucket in the path), as local servers need
   */
  record S3Endpoint(URI endpoint, String region, String accessKeyId, String secretAccessKey, boolean pathStyle) {
    /** Checks that nothing is missing. */
    public S3Endpoint {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      TenantKitStorageAutoConfiguration.requireHttpsOffLoopback(endpoint, "an S3 endpoint of connection details");
    }

    @Override
    public String toString() {
      return "S3Endpoint[endpoint=" + endpoint + ", region=" + region + ", accessKeyId=" + accessKeyId
          + ", pathStyle=" + pathStyle + "]";
    }
  }
}
