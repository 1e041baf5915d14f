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
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
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
 *   <li>with tenant-db, over the tenants' pools (tags {@code tier}, {@code tenant}: a row per tenant
 *       within the tag limit, else a row per tier with {@code tenant=other}):
 *       {@code tenantkit.db.connections.active}, {@code .idle}, {@code .pending} (requests waiting
 *       for one of their tenant's connections), {@code .max}, and
 *       {@code tenantkit.db.connections.saturations} (times a tenant found all its connections busy,
 *       since its pool opened); {@code tenantkit.db.pools} (physical pools open).</li>
 * </ul>
 */
public final class TenantKitMetrics implements MeterBinder {
  private static final Logger LOG = LoggerFactory.getLogger(TenantKitMetrics.class);
  static final String OTHER = "other";

  private final TenantCatalog catalog;
  private final int tenantTagLimit;
  private final @Nullable Object dataSource; // a TenantDataSource, when tenant-db is there
  private final java.util.concurrent.atomic.AtomicInteger catalogSize = new java.util.concurrent.atomic.AtomicInteger();
  /** Every registry bound (Boot binds each of its registries). */
  private final Set<MeterRegistry> registries = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean warned = new AtomicBoolean();
  private final AtomicBoolean listening = new AtomicBoolean();
  /** Each registry's pool gauges (active, idle, pending, max, saturations). */
  private final Map<MeterRegistry, List<MultiGauge>> pools = new ConcurrentHashMap<>();

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
    if (!registries.add(registry)) {
      return;
    }
    if (dataSource != null) {
      DbGauges.bindPools(registry, dataSource);
      pools.put(registry, DbGauges.multiGauges(registry));
      if (listening.compareAndSet(false, true)) {
        // A tenant or tier added or removed, or the catalog crossing the tag limit: new rows.
        // Listening before the first rows, so that no change falls between.
        catalog.addListener((CatalogListener) change -> rebindPoolRows());
      }
      rebindPoolRows();
    }
  }

  /**
   * The pool gauges' rows, in every registry: one per tenant (tags {@code tier}, {@code tenant})
   * while the catalog is within the tag limit, else one per tier with {@code tenant=other}; rows of
   * tenants no longer in the catalog are removed.
   */
  private synchronized void rebindPoolRows() {
    Object ds = dataSource;
    if (ds == null) {
      return;
    }
    java.util.Collection<Tenant> all = catalog.all(); // one read: the size and the rows agree
    boolean perTenant = all.size() <= tenantTagLimit;
    Map<TenantId, String> tierOf = new java.util.HashMap<>();
    Set<String> tiers = new java.util.TreeSet<>();
    for (Tenant t : all) {
      tierOf.put(t.id(), t.tier().name());
      tiers.add(t.tier().name());
    }
    if (!perTenant) {
      warnOverLimit();
    }
    for (List<MultiGauge> gauges : pools.values()) {
      DbGauges.rows(gauges, ds, perTenant, tierOf, tiers);
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
    warnOverLimit();
    return OTHER;
  }

  private void warnOverLimit() {
    if (tenantTagLimit > 0 && warned.compareAndSet(false, true)) {
      LOG.warn("the catalog has more than {} tenants: TenantKit's meters are tagged tenant=other"
          + " (tenantkit.metrics.tenant-tag-limit)", tenantTagLimit);
    }
  }

  /** Counts a refused token. */
  void rejected(TokenRejectedException e, Tenant tenant) {
    String tag = tenantTag(tenant.id());
    for (MeterRegistry r : registries) {
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

    private static final String[][] GAUGES = {
        {"tenantkit.db.connections.active", "Connections in use"},
        {"tenantkit.db.connections.idle", "Connections idle"},
        {"tenantkit.db.connections.pending", "Requests waiting for their tenant's connection"},
        {"tenantkit.db.connections.max", "Connections the tenants may hold"},
        {"tenantkit.db.connections.saturations", "Times a tenant found all its connections busy"}};

    @SuppressWarnings("unchecked")
    private static final ToDoubleFunction<dev.tenantkit.db.TenantPoolStats>[] VALUES = new ToDoubleFunction[] {
        (ToDoubleFunction<dev.tenantkit.db.TenantPoolStats>) s -> s.active(),
        (ToDoubleFunction<dev.tenantkit.db.TenantPoolStats>) s -> s.idle(),
        (ToDoubleFunction<dev.tenantkit.db.TenantPoolStats>) s -> s.waiting(),
        (ToDoubleFunction<dev.tenantkit.db.TenantPoolStats>) s -> s.maxConnections(),
        (ToDoubleFunction<dev.tenantkit.db.TenantPoolStats>) s -> s.saturations()};

    static List<MultiGauge> multiGauges(MeterRegistry registry) {
      List<MultiGauge> out = new java.util.ArrayList<>();
      for (String[] g : GAUGES) {
        out.add(MultiGauge.builder(g[0]).description(g[1]).register(registry));
      }
      return out;
    }

    /** Replaces every gauge's rows: per tenant, or per tier as {@code other}. */
    static void rows(List<MultiGauge> gauges, Object dataSource, boolean perTenant, Map<TenantId, String> tierOf,
        Set<String> tiers) {
      dev.tenantkit.db.TenantDataSource ds = (dev.tenantkit.db.TenantDataSource) dataSource;
      for (int i = 0; i < gauges.size(); i++) {
        ToDoubleFunction<dev.tenantkit.db.TenantPoolStats> value = VALUES[i];
        List<MultiGauge.Row<?>> rows = new java.util.ArrayList<>();
        if (perTenant) {
          tierOf.forEach((id, tier) -> rows.add(MultiGauge.Row.of(Tags.of("tier", tier, "tenant", id.value()), ds,
              d -> d.stats().stream().filter(s -> s.tenant().equals(id)).mapToDouble(value).sum())));
        } else {
          for (String tier : tiers) {
            rows.add(MultiGauge.Row.of(Tags.of("tier", tier, "tenant", OTHER), ds,
                d -> d.stats().stream().filter(s -> tier.equals(tierOf.get(s.tenant()))).mapToDouble(value).sum()));
          }
        }
        gauges.get(i).register(rows, true);
      }
    }
  }
}
