package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

/**
 * Runs only in the JDK 21+ Surefire execution (profile {@code jdk21-tests}); the code compiles
 * for Java 17, so virtual threads are reached through reflection.
 */
class TenantContextVirtualThreadTest {

  static ThreadFactory virtualThreadFactory() throws Exception {
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    // Call through the public interface: the builder's own class is internal to java.base.
    Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
    return (ThreadFactory) factory.invoke(builder);
  }

  static ExecutorService threadPerTask(ThreadFactory factory) throws Exception {
    return (ExecutorService) Executors.class
        .getMethod("newThreadPerTaskExecutor", ThreadFactory.class).invoke(null, factory);
  }

  @Test
  void runtime_isJava21OrLater() {
    assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(21);
  }

  @Test
  void wrappedThreadPerTaskExecutor_onVirtualThreads_eachTaskSeesItsTenant() throws Exception {
    ExecutorService raw = threadPerTask(virtualThreadFactory());
    ExecutorService executor = TenantContext.wrap(raw);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        Tenant tenant = TenantPropagationTest.ALL.get(i % TenantPropagationTest.TENANTS);
        try (TenantScope ignored = TenantContext.open(tenant)) {
          results.add(executor.submit(() -> {
            Thread.sleep(0, 1); // park and resume, possibly on another carrier thread
            boolean virtual = (boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
            return (virtual ? "" : "not virtual ") + TenantPropagationTest.check(tenant);
          }));
        }
      }
      for (Future<String> f : results) {
        assertThat(f.get()).isEmpty();
      }
    } finally {
      raw.shutdownNow();
    }
  }

  @Test
  void propagatingThreadFactory_withVirtualThreads_capturesTenantAtSubmit() throws Exception {
    ExecutorService executor = threadPerTask(TenantContext.threadFactory(virtualThreadFactory()));
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        Tenant tenant = TenantPropagationTest.ALL.get(i % TenantPropagationTest.TENANTS);
        try (TenantScope ignored = TenantContext.open(tenant)) {
          results.add(executor.submit(() -> TenantPropagationTest.check(tenant)));
        }
      }
      for (Future<String> f : results) {
        assertThat(f.get()).isEmpty();
      }
      assertThat(executor.submit(() -> TenantContext.current().isPresent()).get()).isFalse();
    } finally {
      executor.shutdownNow();
    }
  }
}
