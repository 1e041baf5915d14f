package dev.tenantkit.core.internal;

import static dev.tenantkit.core.internal.CatalogField.enumValue;
import static dev.tenantkit.core.internal.CatalogField.port;
import static dev.tenantkit.core.internal.CatalogField.string;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.Builder;

/**
 * The catalog's {@code database} object: every field of {@link DatabaseConfig}, read and
 * written. The password of a STATIC record is written as it is (the file is what holds it);
 * it never reaches an error message, which only ever says what kind of value was found.
 */
final class DatabaseCodec {
  static final CatalogSection<DatabaseConfig, Builder> SECTION = CatalogSection.of(DatabaseConfig::builder, Builder::build)
      .field(enumValue("engine", DatabaseConfig.DatabaseEngine.class, DatabaseConfig::engine, Builder::engine))
      .required(enumValue("isolation", DatabaseConfig.IsolationMode.class, DatabaseConfig::isolation,
          Builder::isolation))
      .field(string("host", DatabaseConfig::host, Builder::host))
      .field(port("port", DatabaseConfig::port, Builder::port))
      .field(string("database", DatabaseConfig::database, Builder::database))
      .field(string("schema", DatabaseConfig::schema, Builder::schema))
      .field(string("user", DatabaseConfig::user, Builder::user))
      .required(enumValue("credentials", DatabaseConfig.CredentialsSource.class, DatabaseConfig::credentials,
          Builder::credentials))
      .field(string("secretArn", DatabaseConfig::secretArn, Builder::secretArn))
      .field(string("region", DatabaseConfig::region, Builder::region))
      .field(string("password", DatabaseConfig::password, Builder::password));

  private DatabaseCodec() {}
}
