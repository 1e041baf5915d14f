package dev.tenantkit.auth;

import dev.tenantkit.auth.internal.DefaultAlbVerifier;
import dev.tenantkit.core.spi.Durations;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Verifies the {@code x-amzn-oidc-data} header an Application Load Balancer adds after it
 * authenticated the user (listener rule action {@code authenticate-cognito} or
 * {@code authenticate-oidc}): ES256 only, the public key fetched by {@code kid} from the Region's
 * ALB key endpoint and cached, {@code signer} equal to this load balancer's ARN, {@code exp}
 * checked, an all-zero signature refused. Key fetches are bounded per kid (a missing kid is not
 * looked up again for {@link Builder#unknownKeyRefreshInterval}) and across all kids
 * ({@link Builder#keyFetchLimit}).
 *
 * <p>Use it when the ALB, not the service, runs the sign-in; in a silo stack the ARN identifies
 * the tenant's own load balancer.
 */
public interface AlbTokenVerifier {

  /** A builder; Region and load balancer ARN are required. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies the header value.
   *
   * @throws TokenRejectedException with the reason
   */
  AlbPrincipal verify(String headerValue);

  /** Builds an {@link AlbTokenVerifier}. */
  final class Builder {
    private @Nullable String region;
    private @Nullable String albArn;
    private @Nullable URI keyEndpoint;
    private Duration clockSkew = Duration.ofSeconds(30);
    private Duration httpTimeout = Duration.ofSeconds(2);
    private Duration unknownKeyRefreshInterval = Duration.ofSeconds(30);
    private int keyFetchLimit = 10;
    private Duration keyFetchWindow = Duration.ofMinutes(1);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The load balancer's Region, such as {@code eu-west-1}. */
    public Builder region(String region) {
      if (region == null || !dev.tenantkit.core.spi.Regions.isRegion(region)) {
        throw new IllegalArgumentException("region must be an AWS Region code such as eu-west-1: " + region);
      }
      this.region = region;
      return this;
    }

    /** The ARN of the load balancer whose headers are accepted ({@code signer}). */
    public Builder albArn(String albArn) {
      if (albArn == null || !albArn.startsWith("arn:") || !albArn.contains(":loadbalancer/app/")) {
        throw new IllegalArgumentException("albArn must be an Application Load Balancer ARN");
      }
      this.albArn = albArn;
      return this;
    }

    /**
     * Where the public keys are: {@code {endpoint}/{kid}}. By default the Region's
     * {@code https://public-keys.auth.elb.{region}.amazonaws.com}; override for GovCloud, a
     * proxy, or tests. Must be {@code https}, or plain {@code http} to a loopback host only: the
     * keys fetched from here decide which headers are believed, so a cleartext fetch across the
     * network would let whoever sits on the path sign their own.
     */
    public Builder keyEndpoint(URI keyEndpoint) {
      Objects.requireNonNull(keyEndpoint, "keyEndpoint");
      if (!dev.tenantkit.core.spi.Uris.isHttpsOrLoopbackHttp(keyEndpoint)) {
        throw new IllegalArgumentException(
            "keyEndpoint must be https (plain http only to a loopback host), was " + keyEndpoint);
      }
      this.keyEndpoint = keyEndpoint;
      return this;
    }

    /** Tolerance on {@code exp}; 30 s by default, 0 to 5 minutes. */
    public Builder clockSkew(Duration clockSkew) {
      this.clockSkew = Durations.requireBetween("clockSkew", clockSkew, Duration.ZERO, Duration.ofMinutes(5));
      return this;
    }

    /** Timeout of a key fetch; 2 s by default. */
    public Builder httpTimeout(Duration timeout) {
      this.httpTimeout = Durations.requireBetween("httpTimeout", timeout, Duration.ofMillis(50), Duration.ofMinutes(1));
      return this;
    }

    /** A kid that was not found is not fetched again for this long; 30 s by default. */
    public Builder unknownKeyRefreshInterval(Duration interval) {
      this.unknownKeyRefreshInterval = Durations.requireBetween("unknownKeyRefreshInterval", interval,
          Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /**
     * At most {@code fetches} key fetches per {@code window}, across all kids together; 10 per
     * minute by default. The per-kid interval alone cannot stop a flood of distinct forged kids,
     * each of which would otherwise cost one request to the key endpoint. ALB rotates its keys
     * rarely, so a real new kid is well within the default; raise it for a service that sees many
     * load balancers' kids at once. While the budget is spent, a kid not yet cached is refused
     * with KEY_NOT_FOUND until the next window.
     */
    public Builder keyFetchLimit(int fetches, Duration window) {
      if (fetches < 1 || fetches > 10_000) {
        throw new IllegalArgumentException("keyFetchLimit fetches must be 1 to 10000, was " + fetches);
      }
      Durations.requireBetween("keyFetchLimit window", window, Duration.ofMillis(100), Duration.ofHours(1));
      this.keyFetchLimit = fetches;
      this.keyFetchWindow = window;
      return this;
    }

    /** The clock for {@code exp} and the fetch limits; for tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Validates and builds. */
    public AlbTokenVerifier build() {
      if (region == null || albArn == null) {
        throw new IllegalStateException("region and albArn are required");
      }
      URI endpoint = keyEndpoint != null ? keyEndpoint
          : URI.create("https://public-keys.auth.elb." + region + ".amazonaws.com");
      return new DefaultAlbVerifier(albArn, endpoint, clockSkew, httpTimeout, unknownKeyRefreshInterval,
          keyFetchLimit, keyFetchWindow, clock);
    }
  }
}
