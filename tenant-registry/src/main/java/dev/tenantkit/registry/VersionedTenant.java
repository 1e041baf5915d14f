package dev.tenantkit.registry;

import dev.tenantkit.core.Tenant;
import java.time.Instant;
import java.util.Objects;

/**
 * A tenant record as the registry holds it: the record, the version a conditional write must name
 * to replace it, and when it was last written.
 *
 * @param tenant the record
 * @param version 1 for a new item, one more on every write
 * @param updatedAt when the item was last written (the writer's clock)
 */
public record VersionedTenant(Tenant tenant, long version, Instant updatedAt) {
  /** Checks the fields. */
  public VersionedTenant {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (version < 1) {
      throw new IllegalArgumentException("version must be 1 or more, was " + version);
    }
  }
}
