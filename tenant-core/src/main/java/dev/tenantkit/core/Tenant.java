package dev.tenantkit.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The tenant record: the contract between TenantKit's modules. Provisioning fills its sections
 * from stack outputs; authentication reads {@link #identity()}, storage {@link #storage()}, the
 * database module {@link #database()}.
 *
 * <p>Immutable; build one with {@link #builder()}, change one with {@link #toBuilder()}.
 */
public final class Tenant {
  private final TenantId id;
  private final TenantTier tier;
  private final TenantStatus status;
  private final @Nullable String statusReason;
  private final @Nullable IdentityConfig identity;
  private final @Nullable StorageConfig storage;
  private final @Nullable DatabaseConfig database;
  private final @Nullable StackConfig stack;
  private final @Nullable RequestLimits limits;

  private Tenant(Builder b) {
    this.id = Objects.requireNonNull(b.id);
    this.tier = Objects.requireNonNull(b.tier);
    this.status = Objects.requireNonNull(b.status);
    this.statusReason = b.statusReason;
    this.identity = b.identity;
    this.storage = b.storage;
    this.database = b.database;
    this.stack = b.stack;
    this.limits = b.limits;
  }

  /** A builder; id and tier are required, status defaults to {@link TenantStatus#ACTIVE}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this record's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.tier = tier;
    b.status = status;
    b.statusReason = statusReason;
    b.identity = identity;
    b.storage = storage;
    b.database = database;
    b.stack = stack;
    b.limits = limits;
    return b;
  }

  /** The tenant's id. */
  public TenantId id() {
    return id;
  }

  /** The tenant's tier. */
  public TenantTier tier() {
    return tier;
  }

  /** Where the tenant is in its lifecycle. */
  public TenantStatus status() {
    return status;
  }

  /** Why the tenant is in its status (for example the failure of a deployment), if recorded. */
  public Optional<String> statusReason() {
    return Optional.ofNullable(statusReason);
  }

  /** Who signs the tenant's tokens. */
  public Optional<IdentityConfig> identity() {
    return Optional.ofNullable(identity);
  }

  /** Where the tenant's objects live. */
  public Optional<StorageConfig> storage() {
    return Optional.ofNullable(storage);
  }

  /** Where the tenant's relational data lives. */
  public Optional<DatabaseConfig> database() {
    return Optional.ofNullable(database);
  }

  /** The tenant's stack. */
  public Optional<StackConfig> stack() {
    return Optional.ofNullable(stack);
  }

  /** The tenant's own request limits, overriding its tier's; empty: the tier's apply. */
  public Optional<RequestLimits> limits() {
    return Optional.ofNullable(limits);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Tenant)) {
      return false;
    }
    Tenant t = (Tenant) o;
    return id.equals(t.id) && tier.equals(t.tier) && status == t.status
        && Objects.equals(statusReason, t.statusReason) && Objects.equals(identity, t.identity)
        && Objects.equals(storage, t.storage) && Objects.equals(database, t.database)
        && Objects.equals(stack, t.stack) && Objects.equals(limits, t.limits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, tier, status, statusReason, identity, storage, database, stack, limits);
  }

  @Override
  public String toString() {
    return "Tenant[id=" + id + ", tier=" + tier + ", status=" + status + "]";
  }

  /** Builds a {@link Tenant}. */
  public static final class Builder {
    private @Nullable TenantId id;
    private @Nullable TenantTier tier;
    private TenantStatus status = TenantStatus.ACTIVE;
    private @Nullable String statusReason;
    private @Nullable IdentityConfig identity;
    private @Nullable StorageConfig storage;
    private @Nullable DatabaseConfig database;
    private @Nullable StackConfig stack;
    private @Nullable RequestLimits limits;

    private Builder() {}

    /** The tenant's id. */
    public Builder id(TenantId id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /** The tenant's id, validated. */
    public Builder id(String id) {
      return id(TenantId.of(id));
    }

    /** The tenant's tier. */
    public Builder tier(TenantTier tier) {
      this.tier = Objects.requireNonNull(tier, "tier");
      return this;
    }

    /** The tenant's tier by name. */
    public Builder tier(String tier) {
      return tier(TenantTier.of(tier));
    }

    /** The lifecycle status; {@link TenantStatus#ACTIVE} unless set. */
    public Builder status(TenantStatus status) {
      this.status = Objects.requireNonNull(status, "status");
      return this;
    }

    /** Why the tenant is in its status; at most 1,000 characters. */
    public Builder statusReason(@Nullable String statusReason) {
      if (statusReason != null && statusReason.length() > 1000) {
        throw new InvalidTenantRecordException("statusReason", "must be at most 1000 characters");
      }
      this.statusReason = statusReason;
      return this;
    }

    /** The identity section. */
    public Builder identity(@Nullable IdentityConfig identity) {
      this.identity = identity;
      return this;
    }

    /** The storage section. */
    public Builder storage(@Nullable StorageConfig storage) {
      this.storage = storage;
      return this;
    }

    /** The database section. */
    public Builder database(@Nullable DatabaseConfig database) {
      this.database = database;
      return this;
    }

    /** The stack section. */
    public Builder stack(@Nullable StackConfig stack) {
      this.stack = stack;
      return this;
    }

    /** The tenant's own request limits, overriding its tier's; null: the tier's apply. */
    public Builder limits(@Nullable RequestLimits limits) {
      this.limits = limits;
      return this;
    }

    /** Builds the record; id and tier are required. */
    public Tenant build() {
      if (id == null) {
        throw new InvalidTenantRecordException("id", "is required");
      }
      if (tier == null) {
        throw new InvalidTenantRecordException("tier", "is required");
      }
      String prefix = storage == null ? null : storage.prefix();
      if (prefix != null && !hasSegment(prefix, id.value())) {
        // A prefix that does not name the tenant is one operator typo away from another
        // tenant's (tenants/ instead of tenants/acme/), and IAM policies key on the id.
        throw new InvalidTenantRecordException("storage.prefix", "must contain the tenant id " + id
            + " as a whole path segment, e.g. tenants/" + id + "/ (was "
            + dev.tenantkit.core.internal.SafeText.quote(prefix) + ")");
      }
      return new Tenant(this);
    }

    private static boolean hasSegment(String prefix, String segment) {
      for (String s : prefix.split("/")) {
        if (s.equals(segment)) {
          return true;
        }
      }
      return false;
    }
  }
}
