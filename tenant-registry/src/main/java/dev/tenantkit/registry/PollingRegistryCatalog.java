package dev.tenantkit.registry;

import dev.tenantkit.core.CatalogListener;
import dev.tenantkit.core.CatalogLoadException;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantKitException;
import dev.tenantkit.core.TenantOverlapException;
import dev.tenantkit.core.WritableTenantCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RegistryTenantCatalog}: an in-memory catalog (its lookups, its rules between tenants, its
 * listeners) fed by polling the registry.
 */
final class PollingRegistryCatalog implements RegistryTenantCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(PollingRegistryCatalog.class);
  private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private final WritableTenantCatalog served = TenantCatalog.inMemory();
  private final TenantRegistry registry;
  private final @Nullable TenantId onlyTenant;
  private final @Nullable Path lastKnownGood;
  private final Clock clock;
  private final Object refreshLock = new Object();
  private volatile RegistryHealth health;
  private @Nullable ScheduledExecutorService poller;

  private PollingRegistryCatalog(TenantRegistry registry, @Nullable TenantId onlyTenant, @Nullable Path lastKnownGood,
      Clock clock) {
    this.registry = registry;
    this.onlyTenant = onlyTenant;
    this.lastKnownGood = lastKnownGood == null ? null : lastKnownGood.toAbsolutePath().normalize();
    this.clock = clock;
    this.health = new RegistryHealth(RegistryHealth.Source.REGISTRY, 0, null, clock.instant(), "not read yet", Map.of());
  }

  static RegistryTenantCatalog open(TenantRegistry registry, @Nullable TenantId onlyTenant, Duration pollInterval,
      @Nullable Path lastKnownGood, boolean watch, Clock clock) {
    PollingRegistryCatalog catalog = new PollingRegistryCatalog(registry, onlyTenant, lastKnownGood, clock);
    try {
      catalog.refresh();
    } catch (TenantRegistryException e) {
      catalog.startFromFile(e);
    }
    if (watch) {
      catalog.startPolling(pollInterval);
    }
    return catalog;
  }

  // ---- TenantCatalog: the in-memory catalog's own lookups

  @Override
  public Optional<Tenant> find(TenantId id) {
    return served.find(id);
  }

  @Override
  public Tenant require(TenantId id) {
    return served.require(id);
  }

  @Override
  public Collection<Tenant> all() {
    return served.all();
  }

  @Override
  public CatalogListener.Registration addListener(CatalogListener listener) {
    return served.addListener(listener);
  }

  @Override
  public RegistryHealth health() {
    return health;
  }

  // ---- refresh

  @Override
  public boolean refresh() {
    synchronized (refreshLock) {
      Instant attempt = clock.instant();
      RegistryHealth before = health;
      try {
        Read read = read();
        Map<TenantId, Tenant> next = new HashMap<>();
        for (VersionedTenant v : read.valid) {
          next.put(v.tenant().id(), v.tenant());
        }
        for (Map.Entry<String, String> refused : read.refused.entrySet()) {
          Optional<Tenant> previous = previous(refused.getKey());
          previous.ifPresent(t -> next.put(t.id(), t));
          if (!refused.getValue().equals(before.refusedItems().get(refused.getKey()))) {
            LOG.warn("registry={} item refused ({}): {}", registry.tableName(),
                previous.isPresent() ? "its previous record keeps serving" : "not served", refused.getValue());
          }
        }
        boolean changed = publish(next);
        health = new RegistryHealth(RegistryHealth.Source.REGISTRY, next.size(), attempt, attempt, null, read.refused);
        if (changed || before.source() != RegistryHealth.Source.REGISTRY || before.lastRefresh() == null) {
          writeLastKnownGood();
        }
        if (before.lastError() != null && before.lastRefresh() != null) {
          LOG.info("registry={} read again after a failed refresh; serving {} tenants", registry.tableName(), next.size());
        }
        return changed;
      } catch (TenantRegistryException e) {
        fail(before, attempt, String.valueOf(e.getMessage()));
        throw e;
      } catch (TenantOverlapException e) {
        String message = "registry table " + registry.tableName() + ": refresh refused whole, the previous records "
            + "keep serving: " + String.valueOf(e.getMessage());
        fail(before, attempt, message);
        throw new TenantRegistryException(message, e);
      }
    }
  }

  private record Read(List<VersionedTenant> valid, Map<String, String> refused) {}

  private Read read() {
    if (onlyTenant == null) {
      TenantRegistry.Scan scan = registry.scan();
      return new Read(scan.valid(), scan.refused());
    }
    try {
      return new Read(registry.get(onlyTenant).map(List::of).orElse(List.of()), Map.of());
    } catch (TenantRegistryException e) {
      if (e.getCause() == null) {
        // An invalid item (not a failed call): refused, the previous record keeps serving.
        return new Read(List.of(), Map.of(onlyTenant.value(), String.valueOf(e.getMessage())));
      }
      throw e;
    }
  }

  private Optional<Tenant> previous(String key) {
    try {
      return served.find(TenantId.of(key));
    } catch (TenantKitException e) {
      return Optional.empty(); // a key that is not a tenant id never served
    }
  }

  /** Serves {@code next} through the in-memory catalog (which checks the rules between tenants). */
  private boolean publish(Map<TenantId, Tenant> next) {
    Map<TenantId, Tenant> current = new HashMap<>();
    for (Tenant t : served.all()) {
      current.put(t.id(), t);
    }
    if (current.equals(next)) {
      return false;
    }
    served.replaceAll(new ArrayList<>(next.values()));
    return true;
  }

  private void fail(RegistryHealth before, Instant attempt, String message) {
    if (!message.equals(before.lastError())) {
      LOG.warn("registry={} refresh failed, serving the previous {} tenants: {}", registry.tableName(),
          served.all().size(), message);
    }
    health = new RegistryHealth(before.source(), served.all().size(), before.lastRefresh(), attempt, message,
        before.refusedItems());
  }

  // ---- last-known-good file

  private void startFromFile(TenantRegistryException registryError) {
    if (lastKnownGood == null) {
      throw new TenantRegistryException(String.valueOf(registryError.getMessage())
          + "; no last-known-good file is configured, so there is nothing to serve", registryError);
    }
    List<Tenant> tenants;
    try {
      if (!Files.isRegularFile(lastKnownGood)) {
        throw new TenantRegistryException(String.valueOf(registryError.getMessage()) + "; the last-known-good file "
            + lastKnownGood + " does not exist (yet)", registryError);
      }
      if (Files.size(lastKnownGood) > MAX_FILE_BYTES) {
        throw new TenantRegistryException(String.valueOf(registryError.getMessage()) + "; the last-known-good file "
            + lastKnownGood + " is larger than " + MAX_FILE_BYTES + " bytes", registryError);
      }
      String json = Files.readString(lastKnownGood, StandardCharsets.UTF_8);
      tenants = new ArrayList<>(TenantCatalog.fromJson(json, lastKnownGood.toString()).all());
    } catch (IOException e) {
      throw new TenantRegistryException(String.valueOf(registryError.getMessage()) + "; the last-known-good file "
          + lastKnownGood + " cannot be read: " + String.valueOf(e.getMessage()), registryError);
    } catch (CatalogLoadException e) {
      throw new TenantRegistryException(String.valueOf(registryError.getMessage()) + "; the last-known-good file is invalid: "
          + String.valueOf(e.getMessage()), registryError);
    }
    if (onlyTenant != null) {
      TenantId only = onlyTenant;
      tenants.removeIf(t -> !t.id().equals(only)); // a shared file never widens a silo reader
    }
    served.replaceAll(tenants);
    Instant now = clock.instant();
    health = new RegistryHealth(RegistryHealth.Source.LAST_KNOWN_GOOD_FILE, tenants.size(), null, now,
        String.valueOf(registryError.getMessage()), Map.of());
    LOG.warn("registry={} cannot be read at start; serving {} tenants from the last-known-good file {} until it "
        + "can: {}", registry.tableName(), tenants.size(), lastKnownGood, String.valueOf(registryError.getMessage()));
  }

  private void writeLastKnownGood() {
    if (lastKnownGood == null) {
      return;
    }
    Path file = lastKnownGood;
    try {
      Path dir = file.getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      TenantCatalog.writeFile(file, served.all());
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the directory's own permissions apply
      }
    } catch (IOException | RuntimeException e) {
      // Serving goes on; only a later cold start without the registry loses out.
      LOG.warn("registry={} cannot write the last-known-good file {}: {}", registry.tableName(), file, e.toString());
    }
  }

  // ---- polling

  private void startPolling(Duration interval) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tenantkit-registry-poll");
      t.setDaemon(true);
      return t;
    });
    long millis = interval.toMillis();
    // A random first delay spreads a fleet's reads over the interval instead of all at once.
    long first = ThreadLocalRandom.current().nextLong(millis / 2, millis + 1);
    executor.scheduleWithFixedDelay(this::poll, first, millis, TimeUnit.MILLISECONDS);
    poller = executor;
  }

  private void poll() {
    try {
      refresh();
    } catch (TenantKitException e) {
      // Logged and shown by health(); the previous snapshot keeps serving.
    } catch (RuntimeException e) {
      LOG.warn("registry={} refresh failed unexpectedly; serving the previous records", registry.tableName(), e);
    }
  }

  @Override
  public void close() {
    ScheduledExecutorService p = poller;
    if (p != null) {
      p.shutdownNow();
      try {
        // A refresh under way finishes (and writes its file) before close returns.
        p.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
