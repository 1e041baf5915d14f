package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.TenantLimitExceededException.Limit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Per-tenant rate and in-flight limits, on a clock the test moves. */
class TenantLimiterTest {
  private final AtomicLong now = new AtomicLong();
  private static final TenantRequest REQUEST = TenantRequest.builder().path("/documents").build();

  private static Tenant tenant(String id, String tier) {
    return Tenant.builder().id(id).tier(tier).build();
  }

  private TenantLimiter limiter(RequestLimits basic) {
    return TenantLimiter.builder().tier("basic", basic).nanoTime(now::get).build();
  }

  @Test
  void acquire_beyondTheBurst_isRefusedWithRetryAfter_andTheRateRefillsIt() {
    TenantLimiter limiter = limiter(RequestLimits.of(2, 4, 100));
    Tenant acme = tenant("acme", "basic");
    for (int i = 0; i < 4; i++) {
      limiter.acquire(REQUEST, acme).close();
    }
    assertThatThrownBy(() -> limiter.acquire(REQUEST, acme))
        .isInstanceOfSatisfying(TenantLimitExceededException.class, e -> {
          assertThat(e.limit()).isEqualTo(Limit.RATE);
          assertThat(e.httpStatus()).isEqualTo(429);
          assertThat(e.problemCode()).isEqualTo("rate-limited");
          assertThat(e.problemHeaders()).containsEntry("Retry-After", "1"); // 0.5 s to the next token, rounded up
          assertThat(e.tenant()).isEqualTo(TenantId.of("acme"));
        });
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500)); // one token back at 2 per second
    limiter.acquire(REQUEST, acme).close();
    assertThatThrownBy(() -> limiter.acquire(REQUEST, acme)).isInstanceOf(TenantLimitExceededException.class);
    assertThat(limiter.stats(acme.id())).isEqualTo(new TenantLimiter.Stats(5, 2, 0, 0));
  }

  @Test
  void aTenantOverItsLimits_slowsNoOtherTenant() {
    TenantLimiter limiter = limiter(RequestLimits.of(1, 3, 100));
    Tenant acme = tenant("acme", "basic");
    Tenant globex = tenant("globex", "basic");
    for (int i = 0; i < 3; i++) {
      limiter.acquire(REQUEST, acme).close();
    }
    for (int i = 0; i < 50; i++) {
      assertThatThrownBy(() -> limiter.acquire(REQUEST, acme)).isInstanceOf(TenantLimitExceededException.class);
    }
    for (int i = 0; i < 3; i++) {
      limiter.acquire(REQUEST, globex).close(); // its whole burst, untouched by acme's flood
    }
    assertThat(limiter.stats(globex.id()).admitted()).isEqualTo(3);
    assertThat(limiter.stats(globex.id()).refusedByRate()).isZero();
  }

  @Test
  void inFlight_atTheBound_isRefusedWithoutSpendingARateToken_andAPermitClosedTwiceReleasesOnce() {
    TenantLimiter limiter = limiter(RequestLimits.of(1, 10, 2));
    Tenant acme = tenant("acme", "basic");
    TenantRequestLimiter.Permit first = limiter.acquire(REQUEST, acme);
    TenantRequestLimiter.Permit second = limiter.acquire(REQUEST, acme);
    assertThatThrownBy(() -> limiter.acquire(REQUEST, acme))
        .isInstanceOfSatisfying(TenantLimitExceededException.class, e -> {
          assertThat(e.limit()).isEqualTo(Limit.CONCURRENCY);
          assertThat(e.problemCode()).isEqualTo("too-many-in-flight");
          assertThat(e.problemHeaders()).containsEntry("Retry-After", "1");
        });
    assertThat(limiter.stats(acme.id()).inFlight()).isEqualTo(2);
    first.close();
    first.close(); // no second release: the bound stays 2
    TenantRequestLimiter.Permit third = limiter.acquire(REQUEST, acme);
    assertThatThrownBy(() -> limiter.acquire(REQUEST, acme)).isInstanceOf(TenantLimitExceededException.class);
    second.close();
    third.close();
    // 3 admitted of a burst of 10, so 7 tokens are left: the refusals by concurrency spent none.
    for (int i = 0; i < 7; i++) {
      limiter.acquire(REQUEST, acme).close();
    }
    assertThat(limiter.stats(acme.id())).isEqualTo(new TenantLimiter.Stats(10, 0, 2, 0));
  }

  @Test
  void limitsFor_theRecordOverridesTheTier_theTierTheDefaults_andAnUnconfiguredTierIsStillBounded() {
    TenantLimiter limiter = TenantLimiter.builder().tier("premium", RequestLimits.of(200, 400, 64))
        .defaults(RequestLimits.of(5, 10, 4)).build();
    assertThat(limiter.limitsFor(tenant("acme", "premium"))).isEqualTo(RequestLimits.of(200, 400, 64));
    assertThat(limiter.limitsFor(tenant("globex", "gold"))).isEqualTo(RequestLimits.of(5, 10, 4));
    Tenant contract = Tenant.builder().id("initech").tier("premium").limits(RequestLimits.of(1000, 2000, 256)).build();
    assertThat(limiter.limitsFor(contract)).isEqualTo(RequestLimits.of(1000, 2000, 256));
    assertThat(TenantLimiter.builder().build().limitsFor(tenant("hooli", "basic"))).isEqualTo(TenantLimiter.DEFAULTS);
  }

  @Test
  void whenATenantsLimitsChange_itsBucketStartsOverUnderTheNewOnes() {
    TenantLimiter limiter = limiter(RequestLimits.of(1, 1, 10));
    Tenant held = Tenant.builder().id("acme").tier("basic").build();
    limiter.acquire(REQUEST, held).close();
    assertThatThrownBy(() -> limiter.acquire(REQUEST, held)).isInstanceOf(TenantLimitExceededException.class);
    Tenant raised = held.toBuilder().limits(RequestLimits.of(5, 5, 10)).build(); // a catalog reload
    for (int i = 0; i < 5; i++) {
      limiter.acquire(REQUEST, raised).close();
    }
    assertThatThrownBy(() -> limiter.acquire(REQUEST, raised)).isInstanceOf(TenantLimitExceededException.class);
  }

  @Test
  void retryAfter_isWholeSecondsRoundedUp_betweenOneSecondAndAnHour() {
    TenantId id = TenantId.of("acme");
    assertThat(new TenantLimitExceededException(id, Limit.RATE, java.time.Duration.ofMillis(1)).retryAfterSeconds())
        .isEqualTo(1);
    assertThat(new TenantLimitExceededException(id, Limit.RATE, java.time.Duration.ofMillis(2001))
        .retryAfterSeconds()).isEqualTo(3);
    assertThat(new TenantLimitExceededException(id, Limit.RATE, java.time.Duration.ZERO).retryAfterSeconds())
        .isEqualTo(1);
    assertThat(new TenantLimitExceededException(id, Limit.RATE, java.time.Duration.ofSeconds(Long.MAX_VALUE))
        .problemHeaders()).containsEntry("Retry-After", "3600");
  }

  @Test
  void racingRequests_neverAdmitMoreThanTheBurst_norHoldMoreThanTheBound() throws Exception {
    TenantLimiter limiter = limiter(RequestLimits.of(1, 200, 8)); // the clock does not move: no refill
    Tenant acme = tenant("acme", "basic");
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 100; i++) {
            try (TenantRequestLimiter.Permit p = limiter.acquire(REQUEST, acme)) {
              admitted.incrementAndGet();
              maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              Thread.onSpinWait();
              inFlight.decrementAndGet();
            } catch (TenantLimitExceededException refused) {
              // counted by the limiter
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(admitted.get()).isEqualTo(200);
    assertThat(maxInFlight.get()).isLessThanOrEqualTo(8);
    TenantLimiter.Stats stats = limiter.stats(acme.id());
    assertThat(stats.admitted()).isEqualTo(200);
    assertThat(stats.admitted() + stats.refusedByRate() + stats.refusedByConcurrency()).isEqualTo(1600);
    assertThat(stats.inFlight()).isZero();
  }
}
