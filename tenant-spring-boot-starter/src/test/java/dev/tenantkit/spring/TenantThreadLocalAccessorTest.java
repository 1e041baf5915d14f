package dev.tenantkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.testkit.TestTenants;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** The tenant through Micrometer's context propagation, with the registry the starter's ServiceLoader entry fills. */
class TenantThreadLocalAccessorTest {
  static final Tenant ACME = TestTenants.silo("acme").build();
  static final Tenant GLOBEX = TestTenants.pooled("globex").build();
  static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder()
      .contextRegistry(ContextRegistry.getInstance()).clearMissing(true).build();

  @Test
  void theGlobalRegistryHasTheAccessorThroughServiceLoader() {
    assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
        .anySatisfy(a -> assertThat(a.key()).isEqualTo(TenantThreadLocalAccessor.KEY));
  }

  @Test
  void aSnapshotCarriesItsTenantOverTheWorkersOwnAndPutsTheWorkersBack() throws Exception {
    ContextSnapshot snapshot;
    try (TenantScope s = TenantContext.open(ACME)) {
      snapshot = SNAPSHOTS.captureAll();
    }
    List<String> seen = new ArrayList<>();
    CompletableFuture.runAsync(() -> {
      try (TenantScope dirty = TenantContext.open(GLOBEX)) { // a worker that still has globex
        try (ContextSnapshot.Scope restored = snapshot.setThreadLocals()) {
          seen.add(TenantContext.currentId().map(Object::toString).orElse("none"));
        }
        seen.add(TenantContext.currentId().map(Object::toString).orElse("none"));
      }
      seen.add(TenantContext.currentId().map(Object::toString).orElse("none"));
    }).get(10, TimeUnit.SECONDS);
    assertThat(seen).containsExactly("acme", "globex", "none");
  }

  @Test
  void aSnapshotWithoutATenantClearsTheWorkersWhileItRuns() throws Exception {
    ContextSnapshot none = SNAPSHOTS.captureAll();
    List<String> seen = new ArrayList<>();
    CompletableFuture.runAsync(() -> {
      try (TenantScope dirty = TenantContext.open(GLOBEX)) {
        try (ContextSnapshot.Scope restored = none.setThreadLocals()) {
          seen.add(TenantContext.currentId().map(Object::toString).orElse("none"));
        }
        seen.add(TenantContext.currentId().map(Object::toString).orElse("none"));
      }
    }).get(10, TimeUnit.SECONDS);
    assertThat(seen).containsExactly("none", "globex");
  }

  @Test
  void springsContextPropagatingTaskDecoratorKeepsEachTasksTenantOnSharedThreads() throws Exception {
    ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    executor.setCorePoolSize(2);
    executor.setTaskDecorator(new ContextPropagatingTaskDecorator());
    executor.initialize();
    try {
      int tasks = 400;
      CountDownLatch done = new CountDownLatch(tasks);
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      for (int i = 0; i < tasks; i++) {
        Tenant tenant = i % 3 == 0 ? null : (i % 2 == 0 ? ACME : GLOBEX);
        Runnable task = () -> {
          String expected = tenant == null ? "none" : tenant.id().value();
          String actual = TenantContext.currentId().map(Object::toString).orElse("none");
          if (!expected.equals(actual)) {
            wrong.add(expected + " ran as " + actual);
          }
          done.countDown();
        };
        if (tenant == null) {
          executor.execute(task);
        } else {
          TenantContext.run(tenant, () -> executor.execute(task));
        }
      }
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(wrong).isEmpty();
      // The pool's threads end clean.
      List<String> after = new ArrayList<>();
      CountDownLatch probes = new CountDownLatch(4);
      for (int i = 0; i < 4; i++) {
        executor.getThreadPoolExecutor().execute(() -> {
          synchronized (after) {
            after.add(TenantContext.currentId().map(Object::toString).orElse("none"));
          }
          probes.countDown();
        });
      }
      assertThat(probes.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(after).containsOnly("none");
    } finally {
      executor.shutdown();
    }
  }
}
