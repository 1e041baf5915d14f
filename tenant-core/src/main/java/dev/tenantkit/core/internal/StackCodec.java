package dev.tenantkit.core.internal;

import static dev.tenantkit.core.internal.CatalogField.string;
import static dev.tenantkit.core.internal.CatalogField.stringMap;

import dev.tenantkit.core.StackConfig;
import dev.tenantkit.core.StackConfig.Builder;

/** The catalog's {@code stack} object: every field of {@link StackConfig}, read and written. */
final class StackCodec {
  static final CatalogSection<StackConfig, Builder> SECTION = CatalogSection.of(StackConfig::builder, Builder::build)
      .field(string("name", StackConfig::name, Builder::name))
      .field(string("region", StackConfig::region, Builder::region))
      .field(string("albDnsName", StackConfig::albDnsName, Builder::albDnsName))
      .field(stringMap("outputs", StackConfig::outputs, Builder::outputs));

  private StackCodec() {}
}
