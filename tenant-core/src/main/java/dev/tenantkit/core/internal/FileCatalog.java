package dev.tenantkit.core.internal;

import dev.tenantkit.core.CatalogLoadException;
import dev.tenantkit.core.FileTenantCatalog;
import dev.tenantkit.core.InvalidTenantRecordException;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantOverlapException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link FileTenantCatalog} over {@link SnapshotCatalog}: all-or-nothing reloads, polled. */
public final class FileCatalog extends SnapshotCatalog implements FileTenantCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(FileCatalog.class);
  /** Larger catalogs belong in a database; this bound keeps a wrong path from eating the heap. */
  static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private final Path path;
  private volatile @Nullable CatalogLoadException lastError;
  private @Nullable ScheduledExecutorService watcher;
  // Attributes of the file at the last load attempt (guarded by writeLock).
  private long lastModified = -1;
  private long lastSize = -1;
  private @Nullable Object lastFileKey;

  private FileCatalog(Path path) {
    this.path = path;
  }

  /** Loads {@code path} and, when {@code watch}, starts polling it. */
  public static FileCatalog open(Path path, Duration pollInterval, boolean watch) {
    FileCatalog catalog = new FileCatalog(path.toAbsolutePath().normalize());
    catalog.reload();
    if (watch) {
      catalog.startWatching(pollInterval);
    }
    return catalog;
  }

  /** Parses catalog JSON into validated records; errors name the line and field. */
  public static List<Tenant> parse(String json, String sourceName) {
    return CatalogJson.read(json.getBytes(StandardCharsets.UTF_8), sourceName);
  }

  @Override
  public boolean reload() {
    synchronized (writeLock) {
      try {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        lastModified = attrs.lastModifiedTime().toMillis();
        lastSize = attrs.size();
        lastFileKey = attrs.fileKey();
        if (attrs.size() > MAX_FILE_BYTES) {
          throw new CatalogLoadException(path.toString(), 0, null,
              "file is " + attrs.size() + " bytes; the limit is " + MAX_FILE_BYTES, null);
        }
        byte[] bytes = Files.readAllBytes(path);
        List<Tenant> tenants = CatalogJson.read(bytes, path.toString());
        boolean changed;
        try {
          changed = publish(index(tenants));
        } catch (TenantOverlapException e) {
          throw overlap(path.toString(), tenants, e);
        } catch (InvalidTenantRecordException e) {
          throw new CatalogLoadException(path.toString(), 0, "tenants." + e.field(), e.problem(), e);
        }
        lastError = null;
        return changed;
      } catch (IOException e) {
        CatalogLoadException error = new CatalogLoadException(path.toString(), 0, null,
            "cannot read the file (" + e.getClass().getSimpleName() + ")", e);
        lastError = error;
        throw error;
      } catch (CatalogLoadException e) {
        lastError = e;
        throw e;
      }
    }
  }

  /** An overlap between two records of {@code source}, named as a load error of the second one. */
  public static CatalogLoadException overlap(String source, List<Tenant> tenants, TenantOverlapException e) {
    int second = indexOf(tenants, e.tenants().get(1));
    String message = java.util.Objects.requireNonNullElse(e.getMessage(), "overlaps another tenant");
    return new CatalogLoadException(source, 0, "tenants[" + second + "]." + e.field(), message, e);
  }

  private static int indexOf(List<Tenant> tenants, dev.tenantkit.core.TenantId id) {
    for (int i = 0; i < tenants.size(); i++) {
      if (tenants.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  /** One poll: reload when the file's attributes moved since the last attempt. */
  void poll() {
    try {
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(path, BasicFileAttributes.class);
      } catch (IOException e) {
        return; // Missing for a moment during a rename, or gone: keep serving, try again later.
      }
      synchronized (writeLock) {
        if (attrs.lastModifiedTime().toMillis() == lastModified && attrs.size() == lastSize
            && java.util.Objects.equals(attrs.fileKey(), lastFileKey)) {
          return;
        }
      }
      reload();
    } catch (CatalogLoadException e) {
      LOG.warn("catalog reload failed, last good catalog keeps serving: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("catalog reload failed, last good catalog keeps serving path={}", path, e);
    }
  }

  private void startWatching(Duration interval) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tenantkit-catalog-watch");
      t.setDaemon(true);
      return t;
    });
    long millis = interval.toMillis();
    executor.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    this.watcher = executor;
  }

  @Override
  public Optional<CatalogLoadException> lastError() {
    return Optional.ofNullable(lastError);
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public void close() {
    ScheduledExecutorService w = watcher;
    if (w != null) {
      w.shutdownNow();
    }
  }
}
