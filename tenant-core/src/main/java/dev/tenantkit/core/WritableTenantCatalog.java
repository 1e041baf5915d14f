package dev.tenantkit.core;

import java.util.Collection;

/** A catalog whose records can be changed in place: for onboarding code and tests. */
public interface WritableTenantCatalog extends TenantCatalog {
  /** Adds or replaces the tenant with this record's id. */
  void put(Tenant tenant);

  /** Removes the tenant; returns whether it was there. */
  boolean remove(TenantId id);

  /** Replaces every record at once; readers see the old set or the new one, never a mix. */
  void replaceAll(Collection<Tenant> tenants);
}
