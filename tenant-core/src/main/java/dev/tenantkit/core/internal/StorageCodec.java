package dev.tenantkit.core.internal;

import static dev.tenantkit.core.internal.CatalogField.enumValue;
import static dev.tenantkit.core.internal.CatalogField.string;

import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.StorageConfig.Builder;

/** The catalog's {@code storage} object: every field of {@link StorageConfig}, read and written. */
final class StorageCodec {
  static final CatalogSection<StorageConfig, Builder> SECTION = CatalogSection.of(StorageConfig::builder, Builder::build)
      .required(enumValue("layout", StorageConfig.StorageLayout.class, StorageConfig::layout, Builder::layout))
      .field(string("bucket", StorageConfig::bucket, Builder::bucket))
      .field(string("prefix", StorageConfig::prefix, Builder::prefix))
      .field(string("accessPointArn", StorageConfig::accessPointArn, Builder::accessPointArn))
      .field(string("region", StorageConfig::region, Builder::region))
      .field(string("kmsKeyArn", StorageConfig::kmsKeyArn, Builder::kmsKeyArn))
      .field(string("roleArn", StorageConfig::roleArn, Builder::roleArn));

  private StorageCodec() {}
}
