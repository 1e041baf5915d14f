package dev.tenantkit.spring;

import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.core.CatalogListener;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantRequest;
import dev.tenantkit.core.TenantRequestGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TenantKit's Micrometer meters (docs/spring-boot.md names them). Tagged by {@code tier}; and by
 * {@code tenant} while the catalog has at most {@code tenantTagLimit} tenants, beyond that every
 * tenant tagged {@code other} (with one warning), so a fleet of thousands of tenants cannot blow up
 * the registry's cardinality.
 *
 * <ul>
 *   <li>{@code tenantkit.token.rejections} (counter; tags {@code reason}, {@code tier},
 *       {@code tenant}): bearer tokens the tenant filter refused, by reason ({@code tenant_mismatch},
 *       {@code expired}, {@code bad_signature}, ...);</li>
 *   <li>with tenant-db, per tier, over the tenants' pools: {@code tenantkit.db.connections.active},
 *       {@code .idle}, {@code .pending} (requests waiting for one of their tenant's connections),
 *       {@code .max}, and {@code tenantkit.db.connections.saturations} (times a tenant found all its
 *       connections busy, since its pool opened); {@code tenantkit.db.pools} (physical pools open).</li>
 * </ul>
 */
public final class TenantKitMetrics implements MeterBinder {
  private static final Logger LOG = LoggerFactory.getLogger(TenantKitMetrics.class);
  static final String OTHER = "other";

  private final TenantCatalog catalog;
  private final int tenantTagLimit;
  private final @Nullable Object dataSource; // a TenantDataSource, when tenant-db is there
  private final java.util.concurrent.atomic.AtomicInteger catalogSize = new java.util.concurrent.atomic.AtomicInteger();
  /** Every registry bound (Boot binds each of its registries), and the tiers whose gauges each has. */
  private final Map<MeterRegistry, Set<String>> registries = new ConcurrentHashMap<>();
  private final AtomicBoolean warned = new AtomicBoolean();
  private final AtomicBoolean listening = new AtomicBoolean();

  TenantKitMetrics(TenantCatalog catalog, int tenantTagLimit, @Nullable Object dataSource) {
    if (tenantTagLimit < 0) {
      throw new IllegalArgumentException("tenantkit.metrics.tenant-tag-limit must be 0 or more, was " + tenantTagLimit);
    }
    this.catalog = catalog;
    this.tenantTagLimit = tenantTagLimit;
    this.dataSource = dataSource;
    catalogSize.set(catalog.all().size());
    catalog.addListener((CatalogListener) change -> catalogSize.set(catalog.all().size()));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (registries.putIfAbsent(registry, ConcurrentHashMap.newKeySet()) != null) {
      return;
    }
    if (dataSource != null) {
      DbGauges.bindPools(registry, dataSource);
      bindTiers();
      if (listening.compareAndSet(false, true)) {
        catalog.addListener((CatalogListener) change -> bindTiers()); // a new tier: its gauges
      }
    }
  }

  /** Gauges for every tier of the catalog, in every registry that has none for it yet. */
  private void bindTiers() {
    Object ds = dataSource;
    if (ds == null) {
      return;
    }
    for (Map.Entry<MeterRegistry, Set<String>> r : registries.entrySet()) {
      for (Tenant t : catalog.all()) {
        String tier = t.tier().name();
        if (r.getValue().add(tier)) {
          DbGauges.bindTier(r.getKey(), ds, tier, id -> catalog.find(id).map(x -> x.tier().name()).orElse(""));
        }
      }
    }
  }

  /**
   * The {@code tenant} tag's value for {@code tenant}: its id while the catalog has at most
   * {@code tenantTagLimit} tenants, else {@code other} for every tenant (and one warning). Decided by
   * the catalog's size alone, so callers (who choose which tenants' hosts their refused tokens go
   * to) cannot decide which tenants get a tag.
   */
  String tenantTag(TenantId tenant) {
    if (catalogSize.get() <= tenantTagLimit) {
      return tenant.value();
    }
    if (tenantTagLimit > 0 && warned.compareAndSet(false, true)) {
      LOG.warn("the catalog has more than {} tenants: TenantKit's meters are tagged tenant=other"
          + " (tenantkit.metrics.tenant-tag-limit)", tenantTagLimit);
    }
    return OTHER;
  }

  /** Counts a refused token. */
  void rejected(TokenRejectedException e, Tenant tenant) {
    String tag = tenantTag(tenant.id());
    for (MeterRegistry r : registries.keySet()) {
      Counter.builder("tenantkit.token.rejections").description("Bearer tokens the tenant filter refused")
          .tag("reason", e.reason().name().toLowerCase(Locale.ROOT)).tag("tier", tenant.tier().name())
          .tag("tenant", tag).register(r).increment();
    }
  }

  /** {@code guard}, counting the tokens it refuses. */
  TenantRequestGuard counting(TenantRequestGuard guard) {
    return (TenantRequest request, Tenant tenant) -> {
      try {
        return guard.check(request, tenant);
      } catch (TokenRejectedException e) {
        rejected(e, tenant);
        throw e;
      }
    };
  }

  /** Whether {@code dataSource} is a TenantDataSource (call only with tenant-db on the class path). */
  static boolean isTenantDataSource(Object dataSource) {
    return DbGauges.is(dataSource);
  }

  /** The pool gauges, apart so that tenant-db's classes load only when it is there. */
  static final class DbGauges {
    private DbGauges() {}

    static boolean is(Object dataSource) {
      return dataSource instanceof dev.tenantkit.db.TenantDataSource;
    }

    static void bindPools(MeterRegistry registry, Object dataSource) {
      dev.tenantkit.db.TenantDataSource ds = (dev.tenantkit.db.TenantDataSource) dataSource;
      Gauge.builder("tenantkit.db.pools", ds, d -> d.livePools()).description("Physical pools open")
          .register(registry);
    }

    static void bindTier(MeterRegistry registry, Object dataSource, String tier,
        java.util.function.Function<TenantId, String> tierOf) {
      dev.tenantkit.db.TenantDataSource ds = (dev.tenantkit.db.TenantDataSource) dataSource;
      gauge(registry, "tenantkit.db.connections.active", "Connections in use", ds, tier, tierOf,
          dev.tenantkit.db.TenantPoolStats::active);
      gauge(registry, "tenantkit.db.connections.idle", "Connections idle", ds, tier, tierOf,
          dev.tenantkit.db.TenantPoolStats::idle);
      gauge(registry, "tenantkit.db.connections.pending", "Requests waiting for their tenant's connection", ds, tier,
          tierOf, dev.tenantkit.db.TenantPoolStats::waiting);
      gauge(registry, "tenantkit.db.connections.max", "Connections the tenants may hold", ds, tier, tierOf,
          dev.tenantkit.db.TenantPoolStats::maxConnections);
      gauge(registry, "tenantkit.db.connections.saturations", "Times a tenant found all its connections busy", ds,
          tier, tierOf, s -> s.saturations());
    }

    private static void gauge(MeterRegistry registry, String name, String description,
        dev.tenantkit.db.TenantDataSource ds, String tier, java.util.function.Function<TenantId, String> tierOf,
        ToDoubleFunction<dev.tenantkit.db.TenantPoolStats> value) {
      Gauge.builder(name, ds, d -> d.stats().stream().filter(s -> tier.equals(tierOf.apply(s.tenant())))
              .mapToDouble(value).sum())
          .description(description).tag("tier", tier).register(registry);
    }
  }
}
