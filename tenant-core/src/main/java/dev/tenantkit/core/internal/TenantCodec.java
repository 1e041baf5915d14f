package dev.tenantkit.core.internal;

import static dev.tenantkit.core.internal.CatalogField.enumValue;
import static dev.tenantkit.core.internal.CatalogField.section;
import static dev.tenantkit.core.internal.CatalogField.string;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.Tenant.Builder;
import dev.tenantkit.core.TenantStatus;

/**
 * One entry of the catalog's {@code tenants} array: the record's own fields, then one object per
 * section, each read and written by its codec ({@link IdentityCodec}, {@link StorageCodec},
 * {@link DatabaseCodec}, {@link StackCodec}, {@link LimitsCodec}). A status left out reads as ACTIVE.
 */
final class TenantCodec {
  static final CatalogSection<Tenant, Builder> SECTION = CatalogSection.of(Tenant::builder, Builder::build)
      .required(string("id", t -> t.id().value(), Builder::id))
      .required(string("tier", t -> t.tier().name(), Builder::tier))
      .field(enumValue("status", TenantStatus.class, Tenant::status, Builder::status))
      .field(string("statusReason", t -> t.statusReason().orElse(null), Builder::statusReason))
      .field(section("identity", IdentityCodec.SECTION, t -> t.identity().orElse(null), Builder::identity))
      .field(section("storage", StorageCodec.SECTION, t -> t.storage().orElse(null), Builder::storage))
      .field(section("database", DatabaseCodec.SECTION, t -> t.database().orElse(null), Builder::database))
      .field(section("stack", StackCodec.SECTION, t -> t.stack().orElse(null), Builder::stack))
      .field(section("limits", LimitsCodec.SECTION, t -> t.limits().orElse(null), Builder::limits));

  private TenantCodec() {}
}
