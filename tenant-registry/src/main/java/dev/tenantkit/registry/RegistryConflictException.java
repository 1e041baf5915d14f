package dev.tenantkit.registry;

import dev.tenantkit.core.TenantId;

/**
 * A conditional write lost: another writer changed (or created, or deleted) the tenant's item
 * since the version this writer read. Nothing was written; read the item again and retry, or use
 * {@link TenantRegistry#update}, which does that for you.
 */
public final class RegistryConflictException extends TenantRegistryException {
  private static final long serialVersionUID = 1L;
  private final TenantId tenant;
  private final long expectedVersion;

  RegistryConflictException(String table, TenantId tenant, long expectedVersion, String what) {
    super("registry table " + table + ": tenant " + tenant + " " + what, null);
    this.tenant = tenant;
    this.expectedVersion = expectedVersion;
  }

  /** The tenant whose item changed. */
  public TenantId tenant() {
    return tenant;
  }

  /** The version the write expected; 0 for a create, which expected no item. */
  public long expectedVersion() {
    return expectedVersion;
  }
}
