package dev.tenantkit.core;

import dev.tenantkit.core.spi.Durations;
import dev.tenantkit.core.internal.FileCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A catalog loaded from a JSON file (format in {@code docs/catalog.md}) that reloads when the
 * file changes. A reload is all or nothing: a file that does not parse or holds an invalid record
 * is reported (logged at WARN, and by {@link #lastError()}) with the line and field at fault, and
 * the last good catalog keeps serving.
 *
 * <p>Write the file atomically (write a temporary file, then rename it over the old one); the
 * watcher also copes with in-place writes, because a half-written file fails to parse and is
 * retried on the next change.
 */
public interface FileTenantCatalog extends TenantCatalog, AutoCloseable {

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the file now and swaps the catalog if it is valid.
   *
   * @return whether anything changed
   * @throws CatalogLoadException when the file is invalid; the previous state keeps serving
   */
  boolean reload();

  /** The error of the latest load attempt, if it failed; empty after a successful load. */
  Optional<CatalogLoadException> lastError();

  /** The file this catalog reads. */
  Path path();

  /** Stops watching the file; lookups keep answering from the last good state. */
  @Override
  void close();

  /** Builds a {@link FileTenantCatalog}. */
  final class Builder {
    private @Nullable Path path;
    private Duration pollInterval = Duration.ofSeconds(2);
    private boolean watch = true;

    private Builder() {}

    /** The catalog file. Required. */
    public Builder path(Path path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * How often the file is checked for changes; 2 seconds by default. Shorten it to pick up
     * changes sooner; each check is a file-attribute read, and the file is read only when its
     * modification time or size changed.
     *
     * @throws IllegalArgumentException when not between 10 ms and 1 hour
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = Durations.requireBetween("pollInterval", pollInterval, Duration.ofMillis(10),
          Duration.ofHours(1));
      return this;
    }

    /**
     * Whether a background thread watches the file; true by default. Turn it off where the
     * file never changes (a Lambda package) or where you call {@link FileTenantCatalog#reload()}
     * yourself.
     */
    public Builder watch(boolean watch) {
      this.watch = watch;
      return this;
    }

    /**
     * Loads the file and starts watching it.
     *
     * @throws IllegalStateException when no path was given
     * @throws CatalogLoadException when the file cannot be loaded
     */
    public FileTenantCatalog build() {
      if (path == null) {
        throw new IllegalStateException("path is required");
      }
      return FileCatalog.open(path, pollInterval, watch);
    }
  }
}
