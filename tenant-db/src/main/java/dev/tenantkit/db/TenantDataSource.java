package dev.tenantkit.db;

import dev.tenantkit.core.spi.Durations;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.db.internal.RoutingDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataSource} that routes every {@link #getConnection()} to the database of the tenant in
 * the current {@link dev.tenantkit.core.TenantContext} scope, as its catalog record says:
 *
 * <ul>
 *   <li>silo: the tenant's own database, through a pool of its own sized by its tier;</li>
 *   <li>bridge: a shared server, the connection's {@code search_path} (PostgreSQL) or catalog
 *       (MySQL) set to the tenant's schema on checkout;</li>
 *   <li>pool: shared tables under PostgreSQL row-level security, {@code tenantkit.tenant_id} set
 *       with {@code set_config} and a bind parameter on checkout (see {@link RowLevelSecurity}).</li>
 * </ul>
 *
 * <p>Every PostgreSQL connection of a shared pool (bridge and pool mode) is handed out with a clean
 * session: on checkout {@code DISCARD ALL} drops whatever the previous borrower (perhaps another
 * tenant) left (temporary tables, {@code SET ROLE} and session authorization, settings, prepared
 * statements, {@code LISTEN}, advisory locks, held cursors), and the tenant's setting follows in
 * the same round trip. A silo pool's connections serve one tenant only; its borrows send nothing by
 * default, and are reset too with {@link SessionReset#EVERY_BORROW}. A transaction left open is
 * rolled back on return, in every mode. If any of this fails, the connection is discarded and the
 * call fails (fail closed), never handed out half set up.
 *
 * <p>Bridge and pool tenants that share a server, database and user share one physical pool, and
 * each holds at most its tier's {@link PoolSettings#maxConnections} of it (a bulkhead): one tenant
 * can never take all of a pool, and when it is saturated its callers wait up to its own
 * {@link PoolSettings#waitTimeout} and then fail with {@link TenantDbException.Reason#TENANT_SATURATED}
 * while other tenants proceed. Pools open on first use, close after
 * {@link Builder#idlePoolTimeout}, are bounded by {@link Builder#maxPools} (least recently used
 * idle pools are closed first), and close when the catalog suspends or removes their tenant.
 *
 * <p>No tenant in scope, an unknown or inactive tenant, or a tenant without a database: a
 * {@link TenantDbException} with its own SQLState, never a connection to some default database.
 */
public interface TenantDataSource extends DataSource, AutoCloseable {

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** The tenant's connection use now, if it has a pool. */
  Optional<TenantPoolStats> stats(TenantId tenant);

  /** Every tenant with a pool, in tenant id order. */
  List<TenantPoolStats> stats();

  /** Physical pools open now. */
  int livePools();

  /**
   * Closes every physical pool and its connections now, and keeps serving: a tenant's next
   * {@code getConnection()} opens its pool again. For a SnapStart checkpoint (no database socket
   * may be in the snapshot, nor be shared by the environments restored from it) and after a
   * restore; see {@code dev.tenantkit.core.lambda.SnapStartPriming}. Call it when no request is
   * in flight: HikariCP's shutdown aborts connections still borrowed.
   */
  void closePools();

  /**
   * Runs the first borrow's code once (the connection factory, a HikariCP pool, the silo session
   * reset if configured, the connection's wrapper) on a made-up tenant whose database is a JDBC driver answering
   * in memory, so the classes it needs are loaded and initialised: for a SnapStart
   * {@code beforeCheckpoint} hook, where the first request after a restore would otherwise load
   * them. Opens no socket, reads no credentials and leaves no pool, route or connection behind
   * (no catalog tenant can borrow from it); the tenants' JDBC drivers are loaded by their first
   * borrow, as without TenantKit.
   *
   * @throws IllegalStateException if this data source is closed, if called in a tenant's scope, or
   *     if the in-memory borrow failed (a bug in TenantKit, never the database)
   */
  void warmUp();

  /** Closes every pool; later {@code getConnection()} calls fail with reason CLOSED. */
  @Override
  void close();

  /** Builds a {@link TenantDataSource}. */
  final class Builder {
    private @Nullable TenantCatalog catalog;
    private PoolSettings defaultSettings = PoolSettings.DEFAULT;
    private final Map<String, PoolSettings> tierSettings = new LinkedHashMap<>();
    private int sharedPoolSize = 20;
    private Duration poolConnectionTimeout = Duration.ofSeconds(5);
    private int maxPools = 200;
    private Duration idlePoolTimeout = Duration.ofMinutes(10);
    private Duration maxConnectionLifetime = Duration.ofMinutes(30);
    private final Map<CredentialsSource, DbCredentialsFactory> credentials = new EnumMap<>(CredentialsSource.class);
    private TlsMode tlsMode = TlsMode.VERIFY_FULL;
    private @Nullable Path rdsCaBundle;
    private final Map<String, String> connectionProperties = new LinkedHashMap<>();
    private static final java.util.Set<String> TLS_PROPERTIES = java.util.Set.of("ssl", "sslmode", "sslfactory",
        "sslfactoryarg", "sslrootcert", "sslhostnameverifier", "sslnegotiation", "usessl", "requiressl",
        "verifyservercertificate");
    private int maxAuthAttempts = 3;
    private Duration authRetryBackoff = Duration.ofMillis(250);
    private SessionReset sessionReset = SessionReset.SHARED_POOLS_ONLY;

    private Builder() {}

    /** Where tenant records (and their database sections) come from. Required. */
    public Builder catalog(TenantCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** Settings for tenants whose tier has none of its own; {@link PoolSettings#DEFAULT} otherwise. */
    public Builder defaultPoolSettings(PoolSettings settings) {
      this.defaultSettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** Settings for the tenants of tier {@code tier} (for example more connections for premium). */
    public Builder tier(String tier, PoolSettings settings) {
      Objects.requireNonNull(tier, "tier");
      this.tierSettings.put(dev.tenantkit.core.TenantTier.of(tier).name(),
          Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /**
     * Physical connections in each pool shared by bridge or pool tenants (1 to 1,000; 20 by
     * default). Each tenant still holds at most its own {@code maxConnections} of it; size it for
     * the sum of what the tenants on one server use at once, within the server's
     * {@code max_connections} divided by the number of service instances.
     */
    public Builder sharedPoolSize(int size) {
      if (size < 1 || size > 1_000) {
        throw new IllegalArgumentException("sharedPoolSize must be 1..1000 (was " + size + ")");
      }
      this.sharedPoolSize = size;
      return this;
    }

    /**
     * How long a shared pool waits for a physical connection, and how long opening one may take
     * (250 ms to 5 minutes; 5 seconds by default). A tenant's own wait for its share is its
     * {@link PoolSettings#waitTimeout}, which is normally shorter.
     */
    public Builder poolConnectionTimeout(Duration timeout) {
      this.poolConnectionTimeout = range(timeout, Duration.ofMillis(250), Duration.ofMinutes(5), "poolConnectionTimeout");
      return this;
    }

    /**
     * The most physical pools open at once (1 to 100,000; 200 by default). When one more is
     * needed, the least recently used idle pool is closed; if none is idle the call fails with
     * {@link TenantDbException.Reason#POOL_LIMIT}. Bounds connections and threads when a service
     * serves many silo tenants.
     */
    public Builder maxPools(int maxPools) {
      if (maxPools < 1 || maxPools > 100_000) {
        throw new IllegalArgumentException("maxPools must be 1..100000 (was " + maxPools + ")");
      }
      this.maxPools = maxPools;
      return this;
    }

    /**
     * How long a pool with no use stays open (1 second to 24 hours; 10 minutes by default).
     * Shorter frees connections of quiet tenants sooner; their next request pays a connect.
     */
    public Builder idlePoolTimeout(Duration timeout) {
      this.idlePoolTimeout = range(timeout, Duration.ofSeconds(1), Duration.ofHours(24), "idlePoolTimeout");
      return this;
    }

    /**
     * The longest a physical connection is kept (30 seconds to 24 hours; 30 minutes by default,
     * HikariCP's). IAM tokens are only checked at connect, so this need not follow their expiry.
     */
    public Builder maxConnectionLifetime(Duration lifetime) {
      this.maxConnectionLifetime = range(lifetime, Duration.ofSeconds(30), Duration.ofHours(24), "maxConnectionLifetime");
      return this;
    }

    /**
     * Where credentials of tenants with credentials {@code source} come from. By default IAM uses
     * {@link IamAuthTokenFactory#create()} and SECRET {@link SecretsManagerCredentialsFactory#create()},
     * built on first use; STATIC uses the record's password and cannot be replaced.
     */
    public Builder credentials(CredentialsSource source, DbCredentialsFactory factory) {
      Objects.requireNonNull(source, "source");
      if (source == CredentialsSource.STATIC) {
        throw new IllegalArgumentException("credentials STATIC come from the tenant record's password");
      }
      this.credentials.put(source, Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /**
     * TLS for every connection, whatever the credentials source: {@link TlsMode#VERIFY_FULL} by
     * default, which needs {@link #rdsCaBundle} for PostgreSQL (an IAM token travels as a
     * clear-text password, and a static or Secrets Manager password deserves no less). Set
     * {@link TlsMode#PLAINTEXT_ON_LOOPBACK} for a database on this machine (a configuration copied
     * to AWS then still verifies every other host); {@link TlsMode#DISABLE} turns TLS off for every
     * host and is logged as a warning for each non-loopback pool.
     */
    public Builder tlsMode(TlsMode mode) {
      this.tlsMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * The RDS certificate bundle (PEM, for example {@code global-bundle.pem} from
     * {@code https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem}) that verifies the
     * server in {@link TlsMode#VERIFY_FULL}. Required for PostgreSQL unless {@link #tlsMode} says
     * otherwise.
     */
    public Builder rdsCaBundle(Path bundle) {
      Objects.requireNonNull(bundle, "bundle");
      if (!Files.isRegularFile(bundle)) {
        throw new IllegalArgumentException("rdsCaBundle " + bundle + " is not a readable file");
      }
      this.rdsCaBundle = bundle;
      return this;
    }

    /** An extra JDBC driver property for every connection (it wins over TenantKit's own). */
    public Builder connectionProperty(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.equalsIgnoreCase("user") || name.equalsIgnoreCase("password")) {
        throw new IllegalArgumentException("connectionProperty " + name + ": credentials come from the tenant record");
      }
      if (TLS_PROPERTIES.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        // Would override tlsMode silently (sslmode=disable, a non-validating factory...).
        throw new IllegalArgumentException("connectionProperty " + name + ": TLS is set with tlsMode and rdsCaBundle");
      }
      this.connectionProperties.put(name, value);
      return this;
    }

    /**
     * Connect attempts for one physical connection when the database refuses the credentials
     * (1 to 10; 3 by default). After each refusal the credentials factory re-fetches (a rotated
     * secret, a new token), so a rotation costs at most this many failed attempts.
     */
    public Builder maxAuthAttempts(int attempts) {
      if (attempts < 1 || attempts > 10) {
        throw new IllegalArgumentException("maxAuthAttempts must be 1..10 (was " + attempts + ")");
      }
      this.maxAuthAttempts = attempts;
      return this;
    }

    /** The pause before the n-th retry after a refused login is n times this (0 to 5 s; 250 ms). */
    public Builder authRetryBackoff(Duration backoff) {
      this.authRetryBackoff = range(backoff, Duration.ZERO, Duration.ofSeconds(5), "authRetryBackoff");
      return this;
    }

    /**
     * Which borrows reset the session ({@link SessionReset#SHARED_POOLS_ONLY} by default: every
     * borrow from a shared pool, none from a silo pool). Shared pools are reset on every borrow
     * whatever this says; {@link SessionReset#EVERY_BORROW} resets silo borrows too, for
     * applications that leave session state behind between requests (see {@link SessionReset}).
     */
    public Builder sessionReset(SessionReset reset) {
      this.sessionReset = Objects.requireNonNull(reset, "reset");
      return this;
    }

    private static Duration range(Duration d, Duration min, Duration max, String name) {
      return Durations.requireBetween(name, d, min, max);
    }

    /** Validates and builds; pools open on first use. */
    public TenantDataSource build() {
      if (catalog == null) {
        throw new IllegalStateException("catalog is required: TenantDataSource reads each tenant's database from it");
      }
      if (idlePoolTimeout.compareTo(poolConnectionTimeout) < 0) {
        throw new IllegalStateException("idlePoolTimeout (" + idlePoolTimeout
            + ") must not be shorter than poolConnectionTimeout (" + poolConnectionTimeout + ")");
      }
      return new RoutingDataSource(new RoutingDataSource.Config(catalog, defaultSettings, Map.copyOf(tierSettings),
          sharedPoolSize, poolConnectionTimeout, maxPools, idlePoolTimeout, maxConnectionLifetime,
          Map.copyOf(credentials), tlsMode, rdsCaBundle, Map.copyOf(connectionProperties),
          maxAuthAttempts, authRetryBackoff, sessionReset));
    }
  }
}
