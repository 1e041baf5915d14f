package dev.tenantkit.db;

import dev.tenantkit.core.spi.Durations;
import dev.tenantkit.core.DatabaseConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsUtilities;

/**
 * RDS IAM database authentication tokens, signed locally by the SDK's
 * {@link RdsUtilities#generateAuthenticationToken} (no network call), cached per
 * (Region, host, port, user) and signed again ahead of their 15-minute expiry.
 *
 * <p>A token is only checked when a connection is opened, so a token is needed once per new
 * physical connection, never per {@code getConnection()} of a warm pool. A cached token is handed
 * out for {@link Builder#refreshAfter} (10 minutes by default) after it was signed, then replaced.
 * The AWS JDBC wrapper keeps tokens 870 s; TenantKit keeps them 600 s so a token is never used in
 * its last 5 minutes: that margin covers clock skew between the host and RDS (SigV4 tolerates 5
 * minutes) and a slow TLS handshake, at the cost of one more local signature every 10 minutes
 * per database user.
 *
 * <p>The token travels as a clear-text password, so {@link TenantDataSource} requires TLS for IAM
 * connections by default (see {@link TenantDataSource.Builder#tlsMode}).
 */
public final class IamAuthTokenFactory implements DbCredentialsFactory {
  /** How long RDS accepts a token after it was signed. */
  public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);

  /** Distinct (Region, host, port, user) tokens kept; a fleet's catalog has far fewer. */
  private static final int MAX_CACHED = 4_096;

  private final RdsUtilities rds;
  // A token is served until refreshAfter after it was signed, then dropped; bounded.
  private final Cache<Key, String> cache;
  private final AtomicLong signed = new AtomicLong();

  private IamAuthTokenFactory(Builder b) {
    AwsCredentialsProvider credentials = b.credentialsProvider != null
        ? b.credentialsProvider : DefaultCredentialsProvider.builder().build();
    this.rds = RdsUtilities.builder().credentialsProvider(credentials).build();
    Clock c = b.clock;
    this.cache = Caffeine.newBuilder()
        .maximumSize(MAX_CACHED)
        .expireAfterWrite(b.refreshAfter)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(c.millis()))
        .build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A factory with the SDK's default credentials chain (instance profile on EC2, role on Lambda). */
  public static IamAuthTokenFactory create() {
    return builder().build();
  }

  @Override
  public DbCredentials credentials(DatabaseConfig database) throws TenantDbException {
    String region = database.region();
    if (region == null) {
      // The tenant record requires a region for IAM credentials; kept as a guard.
      throw TenantDbException.of(TenantDbException.Reason.CONFIGURATION, null,
          "IAM authentication needs the tenant record's database.region");
    }
    return new DbCredentials(database.user(), token(region, database.host(), database.port(), database.user()));
  }

  /**
   * A valid token for {@code user} at {@code host:port} in {@code region}: the cached one while it
   * is younger than {@code refreshAfter}, else a newly signed one.
   *
   * @throws TenantDbException (reason CREDENTIALS_FAILED) when the SDK cannot sign, for example
   *     because no AWS credentials are available
   */
  public String token(String region, String host, int port, String user) throws TenantDbException {
    Key key = new Key(region, host, port, user);
    String cached = cache.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    // Signing is local and cheap (~tens of microseconds); racing threads may both sign, which
    // is harmless, so no lock is taken.
    String value;
    try {
      value = rds.generateAuthenticationToken(r -> r.region(Region.of(region)).hostname(host).port(port)
          .username(user));
    } catch (SdkException e) {
      throw TenantDbException.of(TenantDbException.Reason.CREDENTIALS_FAILED, null,
          "cannot sign an RDS IAM token for user " + user + " at " + host + ":" + port + " ("
              + e.getClass().getSimpleName() + ")", e);
    }
    signed.incrementAndGet();
    cache.put(key, value);
    return value;
  }

  /** Drops the cached token, so the next connection gets a newly signed one. */
  @Override
  public void authenticationFailed(DatabaseConfig database) {
    String region = database.region();
    if (region != null) {
      cache.invalidate(new Key(region, database.host(), database.port(), database.user()));
    }
  }

  /** How many tokens this factory has signed (for tests and metrics). */
  public long tokensSigned() {
    return signed.get();
  }

  /**
   * Equality written out rather than the record's, which links an invokedynamic bootstrap on first
   * use: a cold start's first borrow (docs/benchmarks.md). All four components.
   */
  private record Key(String region, String host, int port, String user) {
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Key k && port == k.port && region.equals(k.region) && host.equals(k.host) && user.equals(k.user);
    }

    @Override
    public int hashCode() {
      return ((region.hashCode() * 31 + host.hashCode()) * 31 + port) * 31 + user.hashCode();
    }
  }


  /** Builds an {@link IamAuthTokenFactory}. */
  public static final class Builder {
    private @Nullable AwsCredentialsProvider credentialsProvider;
    private Clock clock = Clock.systemUTC();
    private Duration refreshAfter = Duration.ofMinutes(10);

    private Builder() {}

    /**
     * The AWS credentials that sign tokens; the SDK's default chain when not set. Set it to use
     * a role other than the instance's own.
     */
    public Builder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
      this.credentialsProvider = Objects.requireNonNull(credentialsProvider, "credentialsProvider");
      return this;
    }

    /**
     * How long a signed token is reused (1 to 14 minutes; 10 by default). Shorter means more
     * signatures; longer leaves less margin before the 15-minute expiry for clock skew.
     */
    public Builder refreshAfter(Duration refreshAfter) {
      // Tokens expire after 15 minutes.
      this.refreshAfter = Durations.requireBetween("refreshAfter", refreshAfter, Duration.ofMinutes(1),
          Duration.ofMinutes(14));
      return this;
    }

    /** The clock that ages cached tokens; for tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the factory. */
    public IamAuthTokenFactory build() {
      return new IamAuthTokenFactory(this);
    }
  }
}
