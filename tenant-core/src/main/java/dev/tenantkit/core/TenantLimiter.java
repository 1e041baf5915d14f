package dev.tenantkit.core;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-tenant request limits in process: a token bucket per tenant (Bucket4j; the rate refills
 * greedily, the burst is the bucket's capacity) and a bound on the tenant's requests in flight.
 * Each tenant has its own bucket and bound, so one tenant spending its limits slows no other: a
 * refused request costs a map lookup and two non-blocking tries, and never waits.
 *
 * <p>The limits of a tenant are its record's {@link Tenant#limits()} if it has them, else its
 * tier's ({@link Builder#tier}), else the defaults ({@link Builder#defaults}; {@link #DEFAULTS}
 * unless set): a tier nobody configured still gets bounded limits, never none. When a tenant's
 * limits change (a catalog reload, a tier change), its bucket starts over, full, under the new
 * limits; requests already in flight finish under the old bound.
 *
 * <p>State is kept per tenant that has been admitted (known to the catalog, ACTIVE, past the
 * token guard), so its size is bounded by the catalog's, not by what clients send.
 *
 * <pre>{@code
 * TenantLimiter limiter = TenantLimiter.builder()
 *     .tier("basic", RequestLimits.of(20, 40, 10))
 *     .tier("premium", RequestLimits.of(200, 400, 64))
 *     .build();
 * TenantFilter filter = TenantFilter.builder().resolver(resolver).catalog(catalog)
 *     .guard(tokenGuard).limiter(limiter).build();
 * }</pre>
 */
public final class TenantLimiter implements TenantRequestLimiter {
  /** The limits of a tenant whose record and tier say none: 50 per second, bursts of 100, 32 in flight. */
  public static final RequestLimits DEFAULTS = RequestLimits.of(50, 100, 32);

  private static final Logger LOG = LoggerFactory.getLogger(TenantLimiter.class);

  /** One tenant's counts since the limiter started. */
  public record Stats(long admitted, long refusedByRate, long refusedByConcurrency, int inFlight) {}

  private final RequestLimits defaults;
  private final Map<String, RequestLimits> tiers;
  private final @Nullable TimeMeter time;
  private final ConcurrentHashMap<TenantId, State> states = new ConcurrentHashMap<>();

  private TenantLimiter(Builder b) {
    this.defaults = b.defaults;
    this.tiers = Map.copyOf(b.tiers);
    LongSupplier nanos = b.nanoTime;
    this.time = nanos == null ? null : new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return nanos.getAsLong();
      }

      @Override
      public boolean isWallClockBased() {
        return false;
      }
    };
  }

  /** A builder; every tenant gets {@link #DEFAULTS} unless told otherwise. */
  public static Builder builder() {
    return new Builder();
  }

  /** The limits that apply to {@code tenant}: its record's, else its tier's, else the defaults. */
  public RequestLimits limitsFor(Tenant tenant) {
    return tenant.limits().orElseGet(() -> tiers.getOrDefault(tenant.tier().name(), defaults));
  }

  @Override
  public Permit acquire(TenantRequest request, Tenant tenant) {
    RequestLimits limits = limitsFor(tenant);
    State state = states.get(tenant.id());
    if (state == null || !state.limits.equals(limits)) {
      state = states.compute(tenant.id(), (id, s) -> s != null && s.limits.equals(limits) ? s : newState(limits));
    }
    if (!state.inFlight.tryAcquire()) {
      state.refusedByConcurrency.increment();
      LOG.debug("request refused reason=too-many-in-flight tenant={} limit={}", tenant.id(),
          limits.maxConcurrentRequests());
      throw new TenantLimitExceededException(tenant.id(), TenantLimitExceededException.Limit.CONCURRENCY,
          Duration.ofSeconds(1));
    }
    ConsumptionProbe probe = state.bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      state.inFlight.release();
      state.refusedByRate.increment();
      LOG.debug("request refused reason=rate-limited tenant={} rate={}/s", tenant.id(), limits.requestsPerSecond());
      throw new TenantLimitExceededException(tenant.id(), TenantLimitExceededException.Limit.RATE,
          Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
    state.admitted.increment();
    AtomicBoolean released = new AtomicBoolean();
    Semaphore inFlight = state.inFlight;
    return () -> {
      if (released.compareAndSet(false, true)) {
        inFlight.release();
      }
    };
  }

  /** The tenant's counts, or zeros if none of its requests reached this limiter yet. */
  public Stats stats(TenantId tenant) {
    State s = states.get(Objects.requireNonNull(tenant, "tenant"));
    if (s == null) {
      return new Stats(0, 0, 0, 0);
    }
    return new Stats(s.admitted.sum(), s.refusedByRate.sum(), s.refusedByConcurrency.sum(),
        s.limits.maxConcurrentRequests() - s.inFlight.availablePermits());
  }

  private State newState(RequestLimits limits) {
    Bandwidth bandwidth = Bandwidth.builder().capacity(limits.burst())
        .refillGreedy(limits.requestsPerSecond(), Duration.ofSeconds(1)).build();
    var b = Bucket.builder().addLimit(bandwidth);
    Bucket bucket = time == null ? b.build() : b.withCustomTimePrecision(time).build();
    return new State(limits, bucket, new Semaphore(limits.maxConcurrentRequests()));
  }

  private static final class State {
    final RequestLimits limits;
    final Bucket bucket;
    final Semaphore inFlight;
    final LongAdder admitted = new LongAdder();
    final LongAdder refusedByRate = new LongAdder();
    final LongAdder refusedByConcurrency = new LongAdder();

    State(RequestLimits limits, Bucket bucket, Semaphore inFlight) {
      this.limits = limits;
      this.bucket = bucket;
      this.inFlight = inFlight;
    }
  }

  /** Builds a {@link TenantLimiter}. */
  public static final class Builder {
    private RequestLimits defaults = DEFAULTS;
    private final Map<String, RequestLimits> tiers = new HashMap<>();
    private @Nullable LongSupplier nanoTime;

    private Builder() {}

    /** The limits of a tenant whose record and tier give none ({@link #DEFAULTS} unless set). */
    public Builder defaults(RequestLimits limits) {
      this.defaults = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The limits of every tenant of {@code tier} whose record gives none. */
    public Builder tier(String tier, RequestLimits limits) {
      tiers.put(TenantTier.of(tier).name(), Objects.requireNonNull(limits, "limits"));
      return this;
    }

    /** The clock the buckets refill by, in nanoseconds (tests); {@link System#nanoTime()} otherwise. */
    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    public TenantLimiter build() {
      return new TenantLimiter(this);
    }
  }
}
