package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Propagation across threads under load: every task sees its own tenant, threads end clean. */
class TenantPropagationTest {
  static final int TENANTS = 50;
  static final int TASKS = 20_000;
  static final int THREADS = 16;

  static final List<Tenant> ALL = new ArrayList<>();

  static {
    for (int i = 0; i < TENANTS; i++) {
      ALL.add(Tenant.builder().id("tenant-" + i).tier(i % 2 == 0 ? "basic" : "premium").build());
    }
  }

  ExecutorService raw;
  ExecutorService pool;

  @BeforeEach
  void start() {
    raw = Executors.newFixedThreadPool(THREADS);
    pool = TenantContext.wrap(raw);
  }

  @AfterEach
  void stop() throws InterruptedException {
    raw.shutdownNow();
    raw.awaitTermination(10, TimeUnit.SECONDS);
  }

  /** What a task saw, compared with what it was submitted under. */
  static String check(Tenant expected) {
    Tenant seen = TenantContext.current().orElse(null);
    if (seen != expected) {
      return "tenant: expected " + expected.id() + " saw " + (seen == null ? "none" : seen.id());
    }
    if (!expected.id().value().equals(MDC.get("tenant.id"))
        || !expected.tier().name().equals(MDC.get("tenant.tier"))) {
      return "mdc: expected " + expected.id() + " saw " + MDC.get("tenant.id") + "/" + MDC.get("tenant.tier");
    }
    return "";
  }

  /**
   * A probe submitted to the raw (unwrapped) pool: it sees what a pooled thread really kept after
   * its tasks. Submitting it through the wrapper would hide a leak, because the wrapper sets the
   * thread's context on entry.
   */
  List<String> probeEveryThread() throws Exception {
    List<Future<String>> probes = new ArrayList<>();
    for (int i = 0; i < THREADS * 8; i++) {
      probes.add(raw.submit(() -> {
        Thread.sleep(1); // spread the probes over every worker thread
        return TenantContext.current().map(t -> "leaked " + t.id()).orElse("")
            + (MDC.get("tenant.id") == null ? "" : " mdc=" + MDC.get("tenant.id"));
      }));
    }
    List<String> leaks = new ArrayList<>();
    for (Future<String> f : probes) {
      if (!f.get().isEmpty()) {
        leaks.add(f.get());
      }
    }
    return leaks;
  }

  @Test
  void submit_20000TasksFor50Tenants_eachSeesItsOwnTenantAndThreadsEndClean() throws Exception {
    List<Future<String>> results = new ArrayList<>(TASKS);
    for (int i = 0; i < TASKS; i++) {
      Tenant tenant = ALL.get(i % TENANTS);
      try (TenantScope ignored = TenantContext.open(tenant)) {
        if (i % 2 == 0) {
          results.add(pool.submit(() -> check(tenant)));
        } else {
          CompletableFuture<String> cf = new CompletableFuture<>();
          pool.execute(() -> cf.complete(check(tenant)));
          results.add(cf);
        }
      }
    }
    List<String> errors = new ArrayList<>();
    for (Future<String> f : results) {
      String e = f.get(60, TimeUnit.SECONDS);
      if (!e.isEmpty()) {
        errors.add(e);
      }
    }
    assertThat(errors).isEmpty();
    assertThat(probeEveryThread()).isEmpty();
  }

  @Test
  void completableFutureChains_20000Chains_eachStageSeesTheTenantOfItsChain() throws Exception {
    List<CompletableFuture<String>> chains = new ArrayList<>(TASKS);
    for (int i = 0; i < TASKS; i++) {
      Tenant tenant = ALL.get(i % TENANTS);
      try (TenantScope ignored = TenantContext.open(tenant)) {
        CompletableFuture<String> chain = CompletableFuture
            .supplyAsync(() -> check(tenant), pool)
            .thenApplyAsync(e -> e + check(tenant), pool)
            .thenCombineAsync(CompletableFuture.supplyAsync(() -> check(tenant), pool),
                (a, b) -> a + b + check(tenant), pool)
            .thenComposeAsync(e -> CompletableFuture.supplyAsync(() -> e + check(tenant), pool), pool)
            .thenApply(e -> e + check(tenant)); // non-async: runs on whichever thread completed
        chains.add(chain);
      }
    }
    List<String> errors = new ArrayList<>();
    for (CompletableFuture<String> c : chains) {
      String e = c.get(60, TimeUnit.SECONDS);
      if (!e.isEmpty()) {
        errors.add(e);
      }
    }
    assertThat(errors).isEmpty();
    assertThat(probeEveryThread()).isEmpty();
  }

  @Test
  void wrappedFunctions_whenStageCompletedByForeignThread_keepTheChainsTenant() throws Exception {
    ExecutorService foreign = Executors.newFixedThreadPool(4); // e.g. an HTTP client's I/O threads
    try {
      List<CompletableFuture<String>> chains = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        Tenant tenant = ALL.get(i % TENANTS);
        CompletableFuture<String> source = new CompletableFuture<>();
        try (TenantScope ignored = TenantContext.open(tenant)) {
          chains.add(source
              .thenApply(TenantContext.wrapFunction(v -> check(tenant)))
              .thenCombine(CompletableFuture.completedFuture(""),
                  TenantContext.wrapBiFunction((a, b) -> a + check(tenant))));
        }
        foreign.execute(() -> source.complete("x")); // completed outside any tenant
      }
      for (CompletableFuture<String> c : chains) {
        assertThat(c.get(30, TimeUnit.SECONDS)).isEmpty();
      }
    } finally {
      foreign.shutdownNow();
    }
  }

  @Test
  void invokeAll_andInvokeAny_propagate() throws Exception {
    Tenant tenant = ALL.get(7);
    try (TenantScope ignored = TenantContext.open(tenant)) {
      List<java.util.concurrent.Callable<String>> tasks = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        tasks.add(() -> check(tenant));
      }
      for (Future<String> f : pool.invokeAll(tasks)) {
        assertThat(f.get()).isEmpty();
      }
      assertThat(pool.invokeAny(tasks)).isEmpty();
    }
  }

  @Test
  void scheduledExecutor_periodicRunsKeepTheSchedulersTenant() throws Exception {
    ScheduledExecutorService raw = Executors.newScheduledThreadPool(2);
    ScheduledExecutorService scheduler = TenantContext.wrap(raw);
    try {
      Tenant tenant = ALL.get(3);
      AtomicInteger runs = new AtomicInteger();
      Map<String, Boolean> errors = new ConcurrentHashMap<>();
      ScheduledFuture<?> periodic;
      ScheduledFuture<String> once;
      try (TenantScope ignored = TenantContext.open(tenant)) {
        periodic = scheduler.scheduleAtFixedRate(() -> {
          String e = check(tenant);
          if (!e.isEmpty()) {
            errors.put(e, true);
          }
          runs.incrementAndGet();
        }, 0, 1, TimeUnit.MILLISECONDS);
        once = scheduler.schedule(() -> check(tenant), 5, TimeUnit.MILLISECONDS);
      }
      assertThat(once.get(10, TimeUnit.SECONDS)).isEmpty();
      while (runs.get() < 20) {
        Thread.sleep(5);
      }
      periodic.cancel(false);
      assertThat(errors).isEmpty();
      // Afterwards, work submitted without a tenant sees none on those threads.
      for (int i = 0; i < 10; i++) {
        assertThat(scheduler.submit(() -> TenantContext.current().isPresent()).get()).isFalse();
      }
    } finally {
      raw.shutdownNow();
    }
  }

  @Test
  void threadFactory_threadPerTask_capturesAtCreation_poolWorkersStartClean() throws Exception {
    ThreadFactory factory = TenantContext.threadFactory(Executors.defaultThreadFactory());
    Tenant tenant = ALL.get(11);
    AtomicLong ok = new AtomicLong();
    try (TenantScope ignored = TenantContext.open(tenant)) {
      Thread t = factory.newThread(() -> {
        if (check(tenant).isEmpty()) {
          ok.incrementAndGet();
        }
      });
      t.start();
      t.join();
      // A ThreadPoolExecutor whose workers are created inside the scope: workers must be clean.
      ExecutorService pooled = Executors.newFixedThreadPool(2, factory);
      try {
        try (TenantScope none = TenantContext.openCrossTenant(ALL.get(12), "test")) {
          pooled.submit(() -> { }).get(); // creates a worker while tenant-12 is current
        }
        assertThat(pooled.submit(() -> TenantContext.current().map(x -> x.id().value()).orElse("none")).get())
            .isEqualTo("none");
      } finally {
        pooled.shutdownNow();
      }
    }
    assertThat(ok.get()).isEqualTo(1);
  }
}
