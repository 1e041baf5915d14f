package dev.tenantkit.core.internal;

import dev.tenantkit.core.CatalogChange;
import dev.tenantkit.core.CatalogListener;
import dev.tenantkit.core.InvalidTenantRecordException;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantNotActiveException;
import dev.tenantkit.core.UnknownTenantException;
import dev.tenantkit.core.WritableTenantCatalog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A catalog that publishes an immutable snapshot through one volatile field. Readers do a
 * volatile read and a HashMap lookup: no lock, no allocation beyond the returned Optional.
 * Writers are serialized, build the next map off to the side, and swap it in whole, so a reader
 * can never see a half-applied update.
 */
public abstract class SnapshotCatalog implements TenantCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotCatalog.class);

  private volatile Snapshot snapshot = new Snapshot(Map.of());
  private final List<CatalogListener> listeners = new CopyOnWriteArrayList<>();
  /** Serializes writers (and their listener notifications, so changes arrive in order). */
  protected final Object writeLock = new Object();

  /** An in-memory, writable catalog. */
  public static WritableTenantCatalog inMemory(Collection<Tenant> tenants) {
    InMemory catalog = new InMemory();
    catalog.replaceAll(tenants);
    return catalog;
  }

  @Override
  public final Optional<Tenant> find(TenantId id) {
    return Optional.ofNullable(snapshot.byId.get(id));
  }

  // Hot path: one volatile read and one map lookup, no Optional on the success path.
  @Override
  public final Tenant require(TenantId id) {
    Tenant t = snapshot.byId.get(id);
    if (t == null) {
      throw new UnknownTenantException(id);
    }
    if (!t.status().isServing()) {
      throw new TenantNotActiveException(id, t.status());
    }
    return t;
  }

  @Override
  public final Collection<Tenant> all() {
    return snapshot.sorted;
  }

  @Override
  public final CatalogListener.Registration addListener(CatalogListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Current snapshot's map, for writers that derive the next one. */
  protected final Map<TenantId, Tenant> current() {
    return snapshot.byId;
  }

  /** Checks ids are unique and indexes the records. */
  protected static Map<TenantId, Tenant> index(Collection<Tenant> tenants) {
    Map<TenantId, Tenant> next = new HashMap<>(tenants.size() * 2);
    for (Tenant t : tenants) {
      if (next.put(t.id(), t) != null) {
        throw new InvalidTenantRecordException("id", "duplicate tenant id " + t.id());
      }
    }
    return next;
  }

  /**
   * Swaps in {@code next} (caller holds {@link #writeLock}) after checking the rules between its
   * tenants ({@link CatalogRules}); returns whether anything changed.
   *
   * @throws dev.tenantkit.core.TenantOverlapException when two records share a wall; nothing is
   *     published and the current snapshot keeps serving
   */
  protected final boolean publish(Map<TenantId, Tenant> next) {
    CatalogRules.check(next.values());
    Map<TenantId, Tenant> previous = snapshot.byId;
    List<Tenant> added = new ArrayList<>();
    List<Tenant> updated = new ArrayList<>();
    List<Tenant> removed = new ArrayList<>();
    for (Tenant t : next.values()) {
      Tenant old = previous.get(t.id());
      if (old == null) {
        added.add(t);
      } else if (!old.equals(t)) {
        updated.add(t);
      }
    }
    for (Tenant t : previous.values()) {
      if (!next.containsKey(t.id())) {
        removed.add(t);
      }
    }
    CatalogChange change = new CatalogChange(added, updated, removed);
    if (change.isEmpty()) {
      return false;
    }
    snapshot = new Snapshot(next);
    LOG.debug("catalog updated tenants={} added={} updated={} removed={}",
        next.size(), added.size(), updated.size(), removed.size());
    for (CatalogListener listener : listeners) {
      try {
        listener.onChange(change);
      } catch (RuntimeException e) {
        LOG.warn("catalog listener failed listener={}", listener.getClass().getName(), e);
      }
    }
    return true;
  }

  private static final class Snapshot {
    final Map<TenantId, Tenant> byId;
    final List<Tenant> sorted;

    Snapshot(Map<TenantId, Tenant> byId) {
      this.byId = Collections.unmodifiableMap(byId);
      List<Tenant> list = new ArrayList<>(byId.values());
      list.sort((a, b) -> a.id().compareTo(b.id()));
      this.sorted = Collections.unmodifiableList(list);
    }
  }

  static final class InMemory extends SnapshotCatalog implements WritableTenantCatalog {
    @Override
    public void put(Tenant tenant) {
      Objects.requireNonNull(tenant, "tenant");
      synchronized (writeLock) {
        Map<TenantId, Tenant> next = new HashMap<>(current());
        next.put(tenant.id(), tenant);
        publish(next);
      }
    }

    @Override
    public boolean remove(TenantId id) {
      synchronized (writeLock) {
        if (!current().containsKey(id)) {
          return false;
        }
        Map<TenantId, Tenant> next = new HashMap<>(current());
        next.remove(id);
        publish(next);
        return true;
      }
    }

    @Override
    public void replaceAll(Collection<Tenant> tenants) {
      Map<TenantId, Tenant> next = index(tenants);
      synchronized (writeLock) {
        publish(next);
      }
    }
  }
}
