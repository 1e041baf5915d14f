package dev.tenantkit.db.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.core.CatalogChange;
import dev.tenantkit.core.CatalogListener;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.spi.Hosts;
import dev.tenantkit.db.DbCredentials;
import dev.tenantkit.db.DbCredentialsFactory;
import dev.tenantkit.db.IamAuthTokenFactory;
import dev.tenantkit.db.PoolSettings;
import dev.tenantkit.db.SecretsManagerCredentialsFactory;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TenantDbException.Reason;
import dev.tenantkit.db.TenantDbException;
import dev.tenantkit.db.TenantPoolStats;
import dev.tenantkit.db.TlsMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/** The {@link TenantDataSource}. */
public final class RoutingDataSource implements TenantDataSource {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(RoutingDataSource.class);
  private static final long HOUSEKEEPING_MILLIS = 1_000;

  /** Everything the builder validated; immutable (lazily built defaults live in the data source). */
  public record Config(
      TenantCatalog catalog,
      PoolSettings defaultSettings,
      Map<String, PoolSettings> tierSettings,
      int sharedPoolSize,
      Duration poolConnectionTimeout,
      int maxPools,
      Duration idlePoolTimeout,
      Duration maxConnectionLifetime,
      Map<CredentialsSource, DbCredentialsFactory> credentials,
      TlsMode tlsMode,
      @Nullable Path rdsCaBundle,
      Map<String, String> connectionProperties,
      int maxAuthAttempts,
      Duration authRetryBackoff,
      dev.tenantkit.db.SessionReset sessionReset) {}

  private final Config config;
  private final TenantCatalog catalog;
  // Read on every getConnection(): lock-free. Written under `lock` only.
  private final ConcurrentHashMap<TenantId, Route> routes = new ConcurrentHashMap<>();
  // Not a cache (so not Caffeine): entries are open pools, closed only when idle; maxPools refuses.
  private final ConcurrentHashMap<PoolKey, PhysicalPool> pools = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<TenantId, TenantState> states = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private final ScheduledThreadPoolExecutor housekeeper;
  private final ExecutorService closer;
  private final CatalogListener.Registration registration;
  private final AtomicInteger sharedPoolNumber = new AtomicInteger();
  // The default IAM and Secrets Manager factories, built on first use when the builder got none.
  private final ConcurrentHashMap<CredentialsSource, DbCredentialsFactory> defaultCredentials =
      new ConcurrentHashMap<>();
  private volatile boolean closed;

  public RoutingDataSource(Config config) {
    this.config = config;
    this.catalog = config.catalog();
    this.housekeeper = new ScheduledThreadPoolExecutor(1, daemon("tenantkit-db-housekeeper"));
    this.housekeeper.setRemoveOnCancelPolicy(true);
    this.closer = Executors.newSingleThreadExecutor(daemon("tenantkit-db-closer"));
    this.housekeeper.scheduleWithFixedDelay(this::housekeep, HOUSEKEEPING_MILLIS, HOUSEKEEPING_MILLIS,
        TimeUnit.MILLISECONDS);
    this.registration = catalog.addListener(this::onCatalogChange);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  // ---- the hot path ---------------------------------------------------------------------------

  @Override
  public Connection getConnection() throws SQLException {
    Tenant scoped = TenantContext.current().orElse(null);
    if (scoped == null) {
      throw TenantDbException.of(Reason.NO_TENANT, null,
          "no tenant in scope: TenantDataSource connects only inside a TenantContext scope");
    }
    Route route = routes.get(scoped.id());
    // The scope usually holds the catalog's own record instance: then the route built for it is
    // current (the catalog listener drops routes of changed tenants). Anything else goes the
    // slow way, through the catalog.
    if (route == null || route.tenant != scoped || route.pool.isClosed()) {
      route = resolve(scoped.id());
    }
    try {
      return route.borrow();
    } catch (TenantDbException e) {
      if (route.pool.isClosed() && !closed) {
        // The pool was evicted between lookup and borrow: once more, with a fresh route.
        return resolve(scoped.id()).borrow();
      }
      throw e;
    }
  }

  // ---- routes and pools -----------------------------------------------------------------------

  private Route resolve(TenantId id) throws SQLException {
    if (closed) {
      throw TenantDbException.of(Reason.CLOSED, id, "this TenantDataSource is closed");
    }
    Tenant current = catalog.find(id).orElse(null);
    if (current == null) {
      throw TenantDbException.of(Reason.UNKNOWN_TENANT, id, "tenant " + id + " is not in the catalog");
    }
    if (!current.status().isServing()) {
      throw TenantDbException.of(Reason.TENANT_NOT_ACTIVE, id,
          "tenant " + id + " is " + current.status() + ", not ACTIVE");
    }
    DatabaseConfig db = current.database().orElse(null);
    if (db == null) {
      throw TenantDbException.of(Reason.NO_DATABASE, id, "tenant " + id + " has no database in its record");
    }
    Route existing = routes.get(id);
    if (existing != null && existing.tenant == current && !existing.pool.isClosed()) {
      return existing;
    }
    synchronized (lock) {
      if (closed) {
        throw TenantDbException.of(Reason.CLOSED, id, "this TenantDataSource is closed");
      }
      existing = routes.get(id);
      if (existing != null && existing.tenant == current && !existing.pool.isClosed()) {
        return existing;
      }
      PoolSettings settings = settingsFor(current);
      TenantState state = states.computeIfAbsent(id, k -> new TenantState(settings.maxConnections()));
      state.resize(settings.maxConnections());
      PoolKey key = PoolKey.of(current, db);
      PhysicalPool pool = pools.get(key);
      if (pool == null || pool.isClosed()) {
        pool = createPool(key, current, db, settings);
      } else if (!key.shared()) {
        resizeSilo(pool, settings);
      }
      Route route = new Route(current, db, pool, state, settings, config.sessionReset());
      routes.put(id, route);
      if (existing != null && existing.pool != pool && !existing.pool.key.shared()) {
        evict(existing.pool, "tenant record changed");
      }
      return route;
    }
  }

  private PoolSettings settingsFor(Tenant tenant) {
    return config.tierSettings().getOrDefault(tenant.tier().name(), config.defaultSettings());
  }

  private PhysicalPool createPool(PoolKey key, Tenant tenant, DatabaseConfig db, PoolSettings settings)
      throws SQLException {
    if (pools.size() >= config.maxPools() && !evictLeastRecentlyUsed()) {
      throw TenantDbException.of(Reason.POOL_LIMIT, tenant.id(), "cannot open a pool for tenant " + tenant.id()
          + ": " + pools.size() + " pools are open (maxPools " + config.maxPools() + ") and none is idle");
    }
    String name = key.shared()
        ? "tenantkit-shared-" + sharedPoolNumber.incrementAndGet() + "-" + db.database()
        : "tenantkit-" + tenant.id();
    DbCredentialsFactory credentials = credentialsFor(db);
    TlsMode tls = config.tlsMode().forHost(db.host());
    if (tls == TlsMode.VERIFY_FULL && config.rdsCaBundle() == null
        && db.engine() == DatabaseConfig.DatabaseEngine.POSTGRESQL) {
      throw TenantDbException.of(Reason.CONFIGURATION, tenant.id(), "tenant " + tenant.id() + " connects to "
          + db.host() + ":" + db.port() + " with TLS verifying the server (tlsMode VERIFY_FULL, the default), "
          + "which needs the server's CA: set rdsCaBundle(path to the RDS global-bundle.pem); for a database "
          + "on this machine use tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)");
    }
    if (tls == TlsMode.DISABLE && !Hosts.isLoopback(db.host())) {
      LOG.warn("tenant={} pool={} host={} connects without TLS (tlsMode DISABLE): credentials and data "
          + "cross the network in plaintext", tenant.id(), name, db.host());
    }
    String url = Jdbc.url(db);
    Driver driver = Jdbc.driver(db, url);
    int connectSeconds = (int) Math.max(1, config.poolConnectionTimeout().toSeconds());
    Properties props = Jdbc.properties(db, name, tls, config.rdsCaBundle(), connectSeconds,
        config.connectionProperties());
    boolean postgres = db.engine() == DatabaseConfig.DatabaseEngine.POSTGRESQL;
    ConnectionFactory factory = new ConnectionFactory(name, db, driver, url, props, credentials,
        config.maxAuthAttempts(), config.authRetryBackoff().toMillis(), key.shared() && postgres,
        postgres && db.isolation() == DatabaseConfig.IsolationMode.POOL);
    PhysicalPool pool = hikariPool(key, name, factory, settings);
    pools.put(key, pool);
    LOG.debug("tenant={} pool={} opened ({})", tenant.id(), name, key);
    return pool;
  }

  /** The HikariCP pool over {@code factory}; opens no connection (the first borrow does). */
  private PhysicalPool hikariPool(PoolKey key, String name, ConnectionFactory factory, PoolSettings settings) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName(name);
    hc.setDataSource(factory);
    if (key.shared()) {
      hc.setMaximumPoolSize(config.sharedPoolSize());
      hc.setMinimumIdle(0);
      hc.setConnectionTimeout(config.poolConnectionTimeout().toMillis());
    } else {
      hc.setMaximumPoolSize(settings.maxConnections());
      hc.setMinimumIdle(settings.minIdle());
      hc.setConnectionTimeout(settings.waitTimeout().toMillis());
    }
    hc.setAutoCommit(true);
    hc.setMaxLifetime(config.maxConnectionLifetime().toMillis());
    hc.setIdleTimeout(Math.max(10_000, Math.min(config.idlePoolTimeout().toMillis(), 600_000)));
    // Open lazily: creating a pool never blocks on the database; the first borrow connects.
    hc.setInitializationFailTimeout(-1);
    // One housekeeping thread for every pool instead of one per pool: 1,000 idle tenants do
    // not cost 1,000 threads.
    hc.setScheduledExecutor(housekeeper);
    hc.setThreadFactory(daemon("tenantkit-db-" + name));
    return new PhysicalPool(key, name, new HikariDataSource(hc), factory);
  }

  @Override
  public void warmUp() {
    // WarmUp's made-up silo tenant, through the code a real first borrow runs (the connection
    // factory, a HikariCP pool, the route, the configured silo reset, the connection's wrapper), on a
    // driver that answers in memory. Not in pools or routes: no tenant can ever borrow from it.
    Tenant tenant = WarmUp.TENANT;
    if (TenantContext.current().isPresent()) {
      throw new IllegalStateException("TenantDataSource.warmUp() runs outside any tenant's scope (at start, or in a "
          + "SnapStart hook)");
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("this TenantDataSource is closed");
      }
    }
    DatabaseConfig db = tenant.database().orElseThrow();
    PoolSettings settings = PoolSettings.ofMaxConnections(1);
    ConnectionFactory factory = new ConnectionFactory(WarmUp.POOL_NAME, db, WarmUp.DRIVER, Jdbc.url(db),
        Jdbc.properties(db, WarmUp.POOL_NAME, TlsMode.DISABLE, null, 1, Map.of()), d -> WarmUp.CREDENTIALS, 1, 0,
        false, false);
    PhysicalPool pool = hikariPool(PoolKey.of(tenant, db), WarmUp.POOL_NAME, factory, settings);
    try {
      Route route = new Route(tenant, db, pool, new TenantState(1), settings, config.sessionReset());
      TenantContext.run(tenant, () -> WarmUp.use(route));
    } finally {
      pool.hikari.close();
    }
  }

  private static void resizeSilo(PhysicalPool pool, PoolSettings settings) {
    var mx = pool.hikari.getHikariConfigMXBean();
    if (mx.getMaximumPoolSize() != settings.maxConnections()) {
      mx.setMaximumPoolSize(settings.maxConnections());
      mx.setMinimumIdle(settings.minIdle());
    }
    mx.setConnectionTimeout(settings.waitTimeout().toMillis());
  }

  private DbCredentialsFactory credentialsFor(DatabaseConfig db) {
    CredentialsSource source = db.credentials();
    if (source == CredentialsSource.STATIC) {
      // The record requires a password for STATIC.
      DbCredentials fixed = new DbCredentials(db.user(), java.util.Objects.requireNonNull(db.password()));
      return database -> fixed;
    }
    DbCredentialsFactory given = config.credentials().get(source);
    if (given != null) {
      return given;
    }
    // Building either default does no I/O (clients are created on first use).
    return defaultCredentials.computeIfAbsent(source, s -> s == CredentialsSource.IAM
        ? IamAuthTokenFactory.create() : SecretsManagerCredentialsFactory.create());
  }

  /** Closes the least recently used idle pool; false when every pool is busy. Under `lock`. */
  private boolean evictLeastRecentlyUsed() {
    PhysicalPool lru = pools.values().stream().filter(PhysicalPool::isIdle)
        .min(Comparator.comparingLong(PhysicalPool::lastUsedNanos)).orElse(null);
    if (lru == null) {
      return false;
    }
    evict(lru, "maxPools reached, least recently used");
    return true;
  }

  /** Removes a pool and the routes through it, and closes it in the background. Under `lock`. */
  private void evict(PhysicalPool pool, String why) {
    pools.remove(pool.key, pool);
    // Not an eviction policy: the routes index the pool just closed, so they go with it.
    routes.values().removeIf(r -> {
      if (r.pool == pool) {
        r.state.evictions.increment();
        return true;
      }
      return false;
    });
    LOG.debug("pool={} closed: {}", pool.name, why);
    closer.execute(pool.hikari::close);
  }

  private void housekeep() {
    try {
      long now = System.nanoTime();
      long idleNanos = config.idlePoolTimeout().toNanos();
      for (PhysicalPool pool : pools.values()) {
        long last = pool.sampleLastUsed(now);
        if (now - last >= idleNanos && pool.isIdle()) {
          synchronized (lock) {
            if (pools.get(pool.key) == pool && pool.isIdle()) {
              evict(pool, "idle for " + config.idlePoolTimeout());
            }
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("tenant-db housekeeping failed: {}", e.toString());
    }
  }

  private void onCatalogChange(CatalogChange change) {
    synchronized (lock) {
      for (Tenant t : change.removed()) {
        dropTenant(t.id(), "removed from the catalog");
        states.remove(t.id());
      }
      for (Tenant t : change.updated()) {
        Route r = routes.get(t.id());
        boolean stillServed = t.status().isServing() && r != null
            && t.database().map(d -> d.equals(r.db)).orElse(false);
        if (stillServed) {
          routes.remove(t.id()); // rebuilt on next use, with the new settings, same pool
        } else {
          dropTenant(t.id(), t.status().isServing() ? "database changed" : "status " + t.status());
        }
      }
    }
  }

  private void dropTenant(TenantId id, String why) {
    routes.remove(id);
    // Every silo pool of the tenant, routed or not: an update that kept the database removed the
    // route and kept the pool, so a later removal or suspension must find the pool by its key,
    // or a tenant re-created with the same id and database would borrow connections (and the
    // session state, silo borrows being reset only with EVERY_BORROW) an earlier record's
    // requests used.
    for (PhysicalPool p : List.copyOf(pools.values())) {
      if (id.equals(p.key.siloTenant())) {
        evict(p, "tenant " + id + " " + why);
      }
    }
  }

  // ---- stats and lifecycle --------------------------------------------------------------------

  @Override
  public Optional<TenantPoolStats> stats(TenantId tenant) {
    Route r = routes.get(tenant);
    return r == null ? Optional.empty() : Optional.of(statsOf(r));
  }

  @Override
  public List<TenantPoolStats> stats() {
    List<TenantPoolStats> all = new ArrayList<>();
    for (Route r : routes.values()) {
      all.add(statsOf(r));
    }
    all.sort(Comparator.comparing(s -> s.tenant().value()));
    return all;
  }

  private static TenantPoolStats statsOf(Route r) {
    PhysicalPool p = r.pool;
    boolean shared = p.key.shared();
    int max = r.state.max();
    int active = shared ? Math.max(0, max - r.state.permits.availablePermits()) : p.active();
    int waiting = shared ? r.state.permits.getQueueLength() : p.waiting();
    return new TenantPoolStats(r.tenant.id(), p.name, shared, active, p.idle(), p.total(), waiting, max,
        r.state.saturations.sum(), r.state.evictions.sum(), p.factory.authenticationFailures());
  }

  @Override
  public int livePools() {
    return pools.size();
  }

  @Override
  public void closePools() {
    List<PhysicalPool> closing;
    synchronized (lock) {
      closing = new ArrayList<>(pools.values());
      for (PhysicalPool p : closing) {
        pools.remove(p.key, p);
      }
      routes.clear(); // every route indexes a pool closed here; rebuilt on next use
    }
    for (PhysicalPool p : closing) {
      p.hikari.close(); // here, not in the background: the caller is about to be snapshotted
    }
    LOG.debug("closed {} pools on request", closing.size());
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      registration.close();
      for (PhysicalPool p : new ArrayList<>(pools.values())) {
        pools.remove(p.key);
        p.hikari.close();
      }
      routes.clear();
    }
    closer.shutdown();
    housekeeper.shutdownNow();
  }

  // ---- the rest of DataSource -----------------------------------------------------------------

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException(
        "TenantDataSource takes each tenant's credentials from its record; use getConnection()");
  }

  @Override
  public @Nullable PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(@Nullable PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return (int) config.poolConnectionTimeout().toSeconds();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("TenantKit logs through SLF4J");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("TenantDataSource does not wrap a " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public String toString() {
    return "TenantDataSource[pools=" + pools.size() + ", tenants=" + routes.size() + (closed ? ", closed" : "") + "]";
  }
}
