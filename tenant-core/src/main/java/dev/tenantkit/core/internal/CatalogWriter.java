package dev.tenantkit.core.internal;

import dev.tenantkit.core.Tenant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;

/**
 * Replaces a catalog file with {@link CatalogJson}'s text in one step, so a watching
 * {@link FileCatalog} (on this machine or another reading the same file) sees the old catalog
 * or the new one, never half of one.
 */
public final class CatalogWriter {

  private CatalogWriter() {}

  /** Writes to a temporary file in the same directory, then renames it over {@code path}. */
  public static void write(Path path, Collection<Tenant> tenants) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".catalog-", ".tmp");
    try {
      Files.writeString(tmp, CatalogJson.toJson(tenants), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
