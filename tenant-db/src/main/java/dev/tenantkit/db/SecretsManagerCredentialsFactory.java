package dev.tenantkit.db;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.db.internal.SecretJson;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
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
 */
public final class SecretsManagerCredentialsFactory implements DbCredentialsFactory {
  private final Function<String, SecretsManagerClient> clients;
  private final ConcurrentHashMap<String, SecretsManagerClient> clientsByRegion = new ConcurrentHashMap<>();
  private final Clock clock;
  private final long ttlMillis;
  private final long minRefetchMillis;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();
  private final AtomicLong fetches = new AtomicLong();

  private SecretsManagerCredentialsFactory(Builder b) {
    this.clients = b.clients;
    this.clock = b.clock;
    this.ttlMillis = b.ttl.toMillis();
    this.minRefetchMillis = b.minRefetchInterval.toMillis();
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
    if (e != null && now - e.fetchedAtMillis < ttlMillis
        && (!e.suspect || now - e.fetchedAtMillis < minRefetchMillis)) {
      return e.credentials;
    }
    synchronized (lockFor(arn)) {
      Entry again = cache.get(arn);
      if (again != null && again != e && !again.suspect && clock.millis() - again.fetchedAtMillis < ttlMillis) {
        return again.credentials; // another thread fetched it meanwhile
      }
      DbCredentials fresh = fetch(arn, database);
      cache.put(arn, new Entry(fresh, clock.millis(), false));
      return fresh;
    }
  }

  private Object lockFor(String arn) {
    // One lock per ARN for the life of the factory (secrets are few, bounded by the catalog):
    // concurrent misses on one secret cost one GetSecretValue, other secrets are not blocked.
    return locks.computeIfAbsent(arn, k -> new Object());
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
      cache.computeIfPresent(arn, (k, e) -> new Entry(e.credentials, e.fetchedAtMillis, true));
    }
  }

  /** How many times a secret was fetched from Secrets Manager (for tests and metrics). */
  public long fetches() {
    return fetches.get();
  }

  private record Entry(DbCredentials credentials, long fetchedAtMillis, boolean suspect) {}

  /** Builds a {@link SecretsManagerCredentialsFactory}. */
  public static final class Builder {
    private Function<String, SecretsManagerClient> clients =
        region -> SecretsManagerClient.builder().region(Region.of(region)).build();
    private Clock clock = Clock.systemUTC();
    private Duration ttl = Duration.ofMinutes(30);
    private Duration minRefetchInterval = Duration.ofMillis(250);

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
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("ttl must be 1s..24h, was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * The least time between two fetches of one secret after authentication failures (0 to 1
     * minute; 250 ms by default). Raise it if many pools share a secret and Secrets Manager
     * throttles.
     */
    public Builder minRefetchInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("minRefetchInterval must be 0..1 minute, was " + interval);
      }
      this.minRefetchInterval = interval;
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
