package dev.tenantkit.core;

import dev.tenantkit.core.internal.FileCatalog;
import dev.tenantkit.core.internal.SnapshotCatalog;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Serves tenant records. Lookups are lock-free: implementations publish an immutable snapshot
 * and swap it atomically on change, so a reader sees either the old or the new catalog, never a
 * mix.
 */
public interface TenantCatalog {

  /** The tenant with this id, in whatever status it is. */
  Optional<Tenant> find(TenantId id);

  /**
   * The tenant with this id, which must be servable.
   *
   * @throws UnknownTenantException when there is no such tenant
   * @throws TenantNotActiveException when it is not served ({@link TenantStatus#isServing()}: ACTIVE
   *     or UPDATING)
   */
  default Tenant require(TenantId id) {
    Optional<Tenant> tenant = find(id);
    if (tenant.isEmpty()) {
      throw new UnknownTenantException(id);
    }
    Tenant t = tenant.get();
    if (!t.status().isServing()) {
      throw new TenantNotActiveException(id, t.status());
    }
    return t;
  }

  /** Every tenant, in id order, as one consistent snapshot. */
  Collection<Tenant> all();

  /** Registers a listener told about every later change. */
  CatalogListener.Registration addListener(CatalogListener listener);

  /** An in-memory catalog holding {@code tenants}; ids must be unique. */
  static WritableTenantCatalog inMemory(Tenant... tenants) {
    return inMemory(List.of(tenants));
  }

  /** An in-memory catalog holding {@code tenants}; ids must be unique. */
  static WritableTenantCatalog inMemory(Collection<Tenant> tenants) {
    return SnapshotCatalog.inMemory(tenants);
  }

  /**
   * A catalog read from a JSON file that reloads when the file changes, with the default
   * settings of {@link FileTenantCatalog#builder()}.
   *
   * @throws CatalogLoadException when the file cannot be loaded at start
   */
  static FileTenantCatalog fromFile(Path path) {
    return FileTenantCatalog.builder().path(path).build();
  }

  /**
   * The catalog file format for {@code tenants} (id order, stable field order), which
   * {@link #fromJson} and {@link #fromFile} read back to equal records.
   */
  static String toJson(Collection<Tenant> tenants) {
    return dev.tenantkit.core.internal.CatalogJson.toJson(tenants);
  }

  /**
   * Writes {@code tenants} to {@code path} atomically (a temporary file in the same directory,
   * renamed over it), so a {@link FileTenantCatalog} watching it never reads half a file.
   */
  static void writeFile(Path path, Collection<Tenant> tenants) throws java.io.IOException {
    dev.tenantkit.core.internal.CatalogWriter.write(path, tenants);
  }

  /**
   * Parses catalog JSON (the file format) without watching anything; for tests and tooling.
   *
   * @throws CatalogLoadException for any problem: syntax, an invalid record, or two records that
   *     overlap (as a file catalog reports them)
   */
  static WritableTenantCatalog fromJson(String json, String sourceName) {
    List<Tenant> tenants = FileCatalog.parse(json, sourceName);
    try {
      return SnapshotCatalog.inMemory(tenants);
    } catch (TenantOverlapException e) {
      throw FileCatalog.overlap(sourceName, tenants, e);
    }
  }
}
