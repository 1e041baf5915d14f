package dev.tenantkit.db;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.spi.Durations;
import dev.tenantkit.db.internal.SecretJson;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Database credentials from an RDS secret in Secrets Manager (the JSON RDS and its rotation
 * functions write: {@code username}, {@code password}, {@code host}, {@code port},
 * {@code dbname}, {@code engine}). The tenant record's {@code secretArn} names the secret; its
 * {@code username} and {@code password} are used (the user may differ from the record's when the
 * alternating-users rotation strategy is in use), the endpoint stays the record's.
 *
 * <p>Secrets are cached for {@link Builder#ttl} (30 minutes by default). When the database
 * refuses a password (a rotation happened), {@link TenantDataSource} calls
 * {@link #authenticationFailed} and the next connection attempt fetches the secret again, at most
 * once per {@link Builder#minRefetchInterval} per secret, so a burst of failures from many
 * threads costs one {@code GetSecretValue}, and a rotation costs a few failed attempts, never a
 * stuck pool.
 *
 * <p>When Secrets Manager cannot be reached, new connections keep using the cached secret for
 * up to {@link Builder#maxStaleness} past its ttl (1 hour by default) while the fetch is retried
 * with exponential back-off (1 s, doubling, at most 1 minute apart), so an outage neither stops
 * the service nor turns into a request-rate stream of calls. A secret the database refused is
 * never served stale: it is fetched again, and if that fails the connection fails with
 * {@link TenantDbException.Reason#CREDENTIALS_FAILED}.
 *
 * <p>One thread fetches a secret at a time; the others serve the cached value or, when there is
 * none yet, wait for that fetch. No fetch runs inside {@code synchronized} (a blocking call
 * there would pin a virtual thread to its carrier).
 */
public final class SecretsManagerCredentialsFactory implements DbCredentialsFactory {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SecretsManagerCredentialsFactory.class);
  private static final long FIRST_BACKOFF_MILLIS = 1_000;
  private static final long MAX_BACKOFF_MILLIS = 60_000;
  private static final long MAX_WAIT_SECONDS = 60;

  private final Function<String, SecretsManagerClient> clients;
  private final ConcurrentHashMap<String, SecretsManagerClient> clientsByRegion = new ConcurrentHashMap<>();
  private final Clock clock;
  private final long ttlMillis;
  private final long minRefetchMillis;
  private final long maxStalenessMillis;
  // Not size-bounded: one entry per secret the catalog names, holding its back-off state too.
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  // The fetch under way per secret (single flight): whoever installs the future fetches.
  private final ConcurrentHashMap<String, CompletableFuture<Entry>> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong fetches = new AtomicLong();

  private SecretsManagerCredentialsFactory(Builder b) {
    this.clients = b.clients;
    this.clock = b.clock;
    this.ttlMillis = b.ttl.toMillis();
    this.minRefetchMillis = b.minRefetchInterval.toMillis();
    this.maxStalenessMillis = b.maxStaleness.toMillis();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A factory that builds a default {@link SecretsManagerClient} per Region on first use. */
  public static SecretsManagerCredentialsFactory create() {
    return builder().build();
  }

  @Override
  public DbCredentials credentials(DatabaseConfig database) throws TenantDbException {
    String arn = database.secretArn();
    if (arn == null) {
      throw TenantDbException.of(TenantDbException.Reason.CONFIGURATION, null,
          "credentials SECRET need the tenant record's database.secretArn");
    }
    long now = clock.millis();
    Entry e = cache.get(arn);
    DbCredentials served = withoutFetch(arn, e, now);
    if (served != null) {
      return served;
    }
    CompletableFuture<Entry> mine = new CompletableFuture<>();
    CompletableFuture<Entry> running = inFlight.putIfAbsent(arn, mine);
    if (running != null) {
      if (e != null && e.isServableStale(now)) {
        return credentialsOf(e, arn); // another thread is fetching; the cached secret serves meanwhile
      }
      return credentialsOf(await(running, arn), arn);
    }
    try {
      // Look again now that this thread owns the fetch: one that just finished left its result
      // (or its failure and back-off) in the cache before giving up the in-flight slot.
      Entry again = cache.get(arn);
      if (again != e) {
        served = withoutFetch(arn, again, clock.millis());
        if (served != null) {
          mine.complete(again);
          return served;
        }
      }
      Entry result = fetchOrKeep(arn, database, again);
      mine.complete(result);
      return credentialsOf(result, arn);
    } catch (Throwable failure) {
      // Whatever went wrong (a client that cannot be built, an SDK bug), the threads waiting on
      // this fetch are released with it, never left waiting.
      mine.completeExceptionally(failure);
      throw failure;
    } finally {
      inFlight.remove(arn, mine);
    }
  }

  /**
   * The credentials to use without a call: fresh ones, or cached ones while the back-off after a
   * failed fetch runs (null when a fetch is due). Throws when a fetch failed recently and nothing
   * may be served.
   */
  private @Nullable DbCredentials withoutFetch(String arn, @Nullable Entry e, long now) throws TenantDbException {
    if (e == null) {
      return null;
    }
    if (e.isFresh(now)) {
      return e.credentials;
    }
    if (now < e.nextAttemptAtMillis) {
      if (e.isServableStale(now)) {
        return e.credentials;
      }
      throw unavailable(arn, e, null);
    }
    return null;
  }

  private DbCredentials credentialsOf(Entry e, String arn) throws TenantDbException {
    if (e.credentials == null) {
      throw unavailable(arn, e, null);
    }
    return e.credentials;
  }

  private boolean isFresh(Entry e, long now) {
    long age = now - e.fetchedAtMillis;
    return e.credentials != null && age < ttlMillis && (!e.suspect || age < minRefetchMillis);
  }

  /** Fetches; on failure keeps serving {@code cached} within the staleness bound, with back-off. */
  private Entry fetchOrKeep(String arn, DatabaseConfig database, @Nullable Entry cached) throws TenantDbException {
    try {
      DbCredentials fresh = fetch(arn, database);
      Entry entry = new Entry(fresh, clock.millis(), false, 0, 0);
      cache.put(arn, entry);
      if (cached != null && cached.failures > 0) {
        LOG.info("secret={} fetched again after {} failed attempt(s)", arn, cached.failures);
      }
      return entry;
    } catch (TenantDbException failure) {
      // Remember the failure, with or without a secret to keep serving, so that the next
      // attempts wait out the back-off instead of calling at request rate.
      int failures = cached == null ? 1 : cached.failures + 1;
      long backoff = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(failures - 1, 16));
      Entry kept = cached == null ? new Entry(null, 0, false, failures, clock.millis() + backoff)
          : new Entry(cached.credentials, cached.fetchedAtMillis, cached.suspect, failures, clock.millis() + backoff);
      cache.put(arn, kept);
      if (cached == null || cached.credentials == null) {
        throw failure;
      }
      if (!kept.isServableStale(clock.millis())) {
        throw unavailable(arn, kept, failure);
      }
      if (failures == 1) {
        LOG.warn("secret={} cannot be fetched, the cached secret keeps serving for at most {} ms past its ttl: {}",
            arn, maxStalenessMillis, failure.getMessage());
      }
      return kept;
    }
  }

  private TenantDbException unavailable(String arn, Entry e, @Nullable Throwable cause) {
    String why = e.credentials == null ? "none is cached"
        : e.suspect ? "the database refused the cached secret" : "the cached secret is older than ttl + maxStaleness";
    return TenantDbException.of(TenantDbException.Reason.CREDENTIALS_FAILED, null, "secret " + arn
        + " cannot be fetched from Secrets Manager (" + e.failures + " failed attempt(s)) and " + why, cause);
  }

  private static Entry await(CompletableFuture<Entry> running, String arn) throws TenantDbException {
    try {
      // Bounded: the fetch itself is bounded by the SDK's timeouts; this only guards against a
      // fetch that never ends.
      return running.get(MAX_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw TenantDbException.of(TenantDbException.Reason.CREDENTIALS_FAILED, null,
          "fetching secret " + arn + " took longer than " + MAX_WAIT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TenantDbException.of(TenantDbException.Reason.CREDENTIALS_FAILED, null,
          "interrupted while waiting for secret " + arn, e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TenantDbException) {
        TenantDbException t = (TenantDbException) cause;
        throw TenantDbException.of(t.reason(), null, String.valueOf(t.getMessage()), t);
      }
      throw TenantDbException.of(TenantDbException.Reason.CREDENTIALS_FAILED, null,
          "fetching secret " + arn + " failed", cause == null ? e : cause);
    }
  }

  private DbCredentials fetch(String arn, DatabaseConfig database) throws TenantDbException {
    String region = regionOf(arn, database);
    GetSecretValueResponse response;
    try {
      SecretsManagerClient client = clientsByRegion.computeIfAbsent(region, clients);
      response = client.getSecretValue(r -> r.secretId(arn));
    } catch (SecretsManagerException e) {
      String code = e.awsErrorDetails() == null ? "unknown" : e.awsErrorDetails().errorCode();
      throw TenantDbException.of(TenantDbException.Reason.CREDENTIALS_FAILED, null,
          "Secrets Manager refused GetSecretValue for " + arn + ": " + code + " (HTTP " + e.statusCode() + ")", e);
    } catch (SdkException e) {
      throw TenantDbException.of(TenantDbException.Reason.CREDENTIALS_FAILED, null,
          "cannot read secret " + arn + " from Secrets Manager (" + e.getClass().getSimpleName() + ")", e);
    }
    fetches.incrementAndGet();
    String json = response.secretString();
    if (json == null) {
      throw TenantDbException.of(TenantDbException.Reason.CREDENTIALS_FAILED, null,
          "secret " + arn + " has no SecretString (a binary secret is not an RDS secret)");
    }
    return SecretJson.parse(json, arn);
  }

  private static String regionOf(String arn, DatabaseConfig database) {
    // arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME
    String[] parts = arn.split(":", 6);
    if (parts.length >= 4 && !parts[3].isEmpty()) {
      return parts[3];
    }
    String region = database.region();
    return region != null ? region : "us-east-1";
  }

  /**
   * Marks the cached secret as suspect: the next {@link #credentials} call fetches it again,
   * unless it was fetched less than {@code minRefetchInterval} ago.
   */
  @Override
  public void authenticationFailed(DatabaseConfig database) {
    String arn = database.secretArn();
    if (arn != null) {
      cache.computeIfPresent(arn, (k, e) -> e.suspected());
    }
  }

  /** How many times a secret was fetched from Secrets Manager (for tests and metrics). */
  public long fetches() {
    return fetches.get();
  }

  /**
   * A cached secret: when it was fetched, whether the database refused it, and the failed fetches
   * since (with the time before which no new attempt is made).
   */
  private final class Entry {
    final @Nullable DbCredentials credentials;
    final long fetchedAtMillis;
    final boolean suspect;
    final int failures;
    final long nextAttemptAtMillis;

    Entry(@Nullable DbCredentials credentials, long fetchedAtMillis, boolean suspect, int failures, long nextAttemptAtMillis) {
      this.credentials = credentials;
      this.fetchedAtMillis = fetchedAtMillis;
      this.suspect = suspect;
      this.failures = failures;
      this.nextAttemptAtMillis = nextAttemptAtMillis;
    }

    boolean isFresh(long now) {
      return SecretsManagerCredentialsFactory.this.isFresh(this, now);
    }

    /** Usable although it could not be refreshed: not refused, and within the staleness bound. */
    boolean isServableStale(long now) {
      return credentials != null && !suspect && now - fetchedAtMillis < ttlMillis + maxStalenessMillis;
    }

    Entry suspected() {
      return new Entry(credentials, fetchedAtMillis, true, failures, 0);
    }
  }

  /** Builds a {@link SecretsManagerCredentialsFactory}. */
  public static final class Builder {
    private Function<String, SecretsManagerClient> clients =
        region -> SecretsManagerClient.builder().region(Region.of(region)).build();
    private Clock clock = Clock.systemUTC();
    private Duration ttl = Duration.ofMinutes(30);
    private Duration minRefetchInterval = Duration.ofMillis(250);
    private Duration maxStaleness = Duration.ofHours(1);

    private Builder() {}

    /**
     * One client for every secret, for a single-Region service or a test endpoint. By default a
     * client per Region (taken from the secret's ARN) is built on first use.
     */
    public Builder client(SecretsManagerClient client) {
      Objects.requireNonNull(client, "client");
      this.clients = region -> client;
      return this;
    }

    /** Builds the client for a Region (the Region in the secret's ARN). */
    public Builder clients(Function<String, SecretsManagerClient> clientForRegion) {
      this.clients = Objects.requireNonNull(clientForRegion, "clientForRegion");
      return this;
    }

    /**
     * How long a fetched secret is used before it is fetched again even without a failure
     * (1 second to 24 hours; 30 minutes by default). Rotation is handled by re-fetching on an
     * authentication failure, so this mainly bounds how stale an unused secret may get.
     */
    public Builder ttl(Duration ttl) {
      this.ttl = Durations.requireBetween("ttl", ttl, Duration.ofSeconds(1), Duration.ofHours(24));
      return this;
    }

    /**
     * The least time between two fetches of one secret after authentication failures (0 to 1
     * minute; 250 ms by default). Raise it if many pools share a secret and Secrets Manager
     * throttles.
     */
    public Builder minRefetchInterval(Duration interval) {
      this.minRefetchInterval = Durations.requireBetween("minRefetchInterval", interval, Duration.ZERO,
          Duration.ofMinutes(1));
      return this;
    }

    /**
     * How long past its {@link #ttl} a cached secret keeps serving new connections while Secrets
     * Manager cannot be reached (0 to 24 hours; 1 hour by default). Longer rides out longer
     * outages; 0 makes every connection fail as soon as a refresh fails. A secret the database
     * refused is never served this way.
     */
    public Builder maxStaleness(Duration maxStaleness) {
      this.maxStaleness = Durations.requireBetween("maxStaleness", maxStaleness, Duration.ZERO, Duration.ofHours(24));
      return this;
    }

    /** The clock that ages cached secrets; for tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the factory. */
    public SecretsManagerCredentialsFactory build() {
      return new SecretsManagerCredentialsFactory(this);
    }
  }
}
