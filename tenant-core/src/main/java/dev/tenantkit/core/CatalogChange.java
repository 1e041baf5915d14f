package dev.tenantkit.core;

import java.util.List;

/**
 * What one catalog update changed. Listeners use it to react, for example to close the
 * connection pools of a tenant that was removed or suspended.
 *
 * @param added tenants that were not in the catalog before
 * @param updated tenants whose record changed, as they are now
 * @param removed tenants no longer in the catalog, as they were
 */
public record CatalogChange(List<Tenant> added, List<Tenant> updated, List<Tenant> removed) {
  /** Copies the lists. */
  public CatalogChange {
    added = List.copyOf(added);
    updated = List.copyOf(updated);
    removed = List.copyOf(removed);
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return added.isEmpty() && updated.isEmpty() && removed.isEmpty();
  }
}
