package dev.tenantkit.core;

import java.time.Duration;
import java.util.Map;

/**
 * A request refused because its tenant is over its {@link RequestLimits}: answered 429 with
 * {@code Retry-After} (whole seconds rounded up, 1 to {@value #MAX_RETRY_AFTER_SECONDS}). The message names the tenant and the limit; the
 * HTTP answer names neither.
 */
public final class TenantLimitExceededException extends TenantKitException implements HttpProblem {
  private static final long serialVersionUID = 1L;

  /** Which limit refused the request. */
  public enum Limit {
    /** The sustained rate and its burst were spent. */
    RATE,
    /** As many of the tenant's requests as it may have were already in flight. */
    CONCURRENCY
  }

  /** The longest Retry-After sent, in seconds. */
  public static final long MAX_RETRY_AFTER_SECONDS = 3600;

  private final TenantId tenant;
  private final Limit limit;
  private final long retryAfterSeconds;

  /** Refuses a request of {@code tenant} by {@code limit}; the client may retry after {@code retryAfter}. */
  public TenantLimitExceededException(TenantId tenant, Limit limit, Duration retryAfter) {
    super("tenant " + tenant + " is over its " + (limit == Limit.RATE ? "request rate" : "requests in flight")
        + " limit; retry after " + seconds(retryAfter) + " s");
    this.tenant = tenant;
    this.limit = limit;
    this.retryAfterSeconds = seconds(retryAfter);
  }

  /** Whole seconds, rounded up, at least 1 and at most an hour (a limiter's huge wait is not a promise). */
  private static long seconds(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return 1;
    }
    long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, s));
  }

  /** The tenant whose limit refused the request. */
  public TenantId tenant() {
    return tenant;
  }

  /** Which limit refused it. */
  public Limit limit() {
    return limit;
  }

  /** When the client may retry, in whole seconds (at least 1). */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public int httpStatus() {
    return 429;
  }

  @Override
  public String problemCode() {
    return limit == Limit.RATE ? "rate-limited" : "too-many-in-flight";
  }

  @Override
  public String problemTitle() {
    return limit == Limit.RATE ? "Too many requests" : "Too many requests in flight";
  }

  @Override
  public Map<String, String> problemHeaders() {
    return Map.of("Retry-After", Long.toString(retryAfterSeconds));
  }
}
