package dev.tenantkit.core;

/**
 * How much one tenant may ask of one service instance: a sustained rate with a burst above it,
 * and a bound on requests in flight at once. A tier gives every tenant of it the same limits; a
 * record's own {@code limits} section overrides them for that tenant (a contract above its tier,
 * or a tenant held down while it is investigated).
 *
 * <p>These are the in-process limits, per instance; the edge (AWS WAF's rate-based rule on the
 * ALB) limits per client address before a request reaches any instance, and the database and
 * storage bulkheads bound what an admitted request may hold.
 *
 * @param requestsPerSecond the sustained rate, 1 to {@value #MAX_RATE}
 * @param burst how many requests may come at once above the rate (the bucket's capacity), 1 to
 *     {@value #MAX_BURST}, at least {@code requestsPerSecond}
 * @param maxConcurrentRequests requests of the tenant in flight at once, 1 to {@value #MAX_CONCURRENT}
 */
public record RequestLimits(int requestsPerSecond, int burst, int maxConcurrentRequests) {
  /** The highest sustained rate a record may give. */
  public static final int MAX_RATE = 100_000;
  /** The largest burst a record may give. */
  public static final int MAX_BURST = 1_000_000;
  /** The most requests in flight a record may allow. */
  public static final int MAX_CONCURRENT = 10_000;

  /** Validates the values; the exception names the field. */
  public RequestLimits {
    check(requestsPerSecond, MAX_RATE, "limits.requestsPerSecond");
    check(burst, MAX_BURST, "limits.burst");
    check(maxConcurrentRequests, MAX_CONCURRENT, "limits.maxConcurrentRequests");
    if (burst < requestsPerSecond) {
      throw new InvalidTenantRecordException("limits.burst", "must be at least requestsPerSecond (" + requestsPerSecond
          + "), was " + burst);
    }
  }

  /** The limits {@code requestsPerSecond}, {@code burst} and {@code maxConcurrentRequests}. */
  public static RequestLimits of(int requestsPerSecond, int burst, int maxConcurrentRequests) {
    return new RequestLimits(requestsPerSecond, burst, maxConcurrentRequests);
  }

  private static void check(long value, int max, String field) {
    if (value < 1 || value > max) {
      throw new InvalidTenantRecordException(field, "must be between 1 and " + max + " (was " + value + ")");
    }
  }
}
