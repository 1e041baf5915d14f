package dev.tenantkit.provision.cli;

import dev.tenantkit.core.FileTenantCatalog;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.WritableTenantCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The catalog file the commands read and update (written atomically after every transition). */
final class CatalogFile {
  private CatalogFile() {}

  /** The file's records in memory (empty when the file does not exist yet). */
  static WritableTenantCatalog load(Path file) {
    if (!Files.exists(file)) {
      return TenantCatalog.inMemory();
    }
    try (FileTenantCatalog catalog = TenantCatalog.fromFile(file)) {
      return TenantCatalog.inMemory(catalog.all());
    }
  }

  /**
   * Writes {@code catalog} to {@code file} (atomically: the service never reads half a file).
   * Synchronized: a batch's tenants save from their own threads, and a later snapshot must not be
   * overwritten by an earlier one. Two CLI processes on one file can still lose each other's
   * updates (each writes the whole file from what it read): one operator per catalog file, or
   * the registry, whose writes are conditional.
   */
  static synchronized void save(Path file, WritableTenantCatalog catalog) {
    try {
      TenantCatalog.writeFile(file, catalog.all());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the catalog " + file, e);
    }
  }
}
