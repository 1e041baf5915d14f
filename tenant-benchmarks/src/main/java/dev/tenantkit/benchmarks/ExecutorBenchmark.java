package dev.tenantkit.benchmarks;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.testkit.TestTenants;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A task handed to an executor from inside a tenant scope: raw executor vs the
 * {@link TenantContext#wrap(ExecutorService)} wrapper, same run. Two views:
 * <ul>
 *   <li>{@code *SubmitAndGet}: submit to a one-thread pool and wait, as services do; the thread
 *       hand-off dominates, which is the ratio users feel;</li>
 *   <li>{@code *Direct}: an executor that runs the task inline, which isolates what the wrapper
 *       itself costs (capture, scope on the worker, restore).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExecutorBenchmark {
  private ExecutorService rawPool;
  private ExecutorService wrappedPool;
  private final Executor rawDirect = Runnable::run;
  private final Executor wrappedDirect = TenantContext.wrap(rawDirect);
  private TenantScope scope;
  private final Runnable task = () -> { };

  @Setup(Level.Trial)
  public void setUp() {
    rawPool = Executors.newSingleThreadExecutor();
    wrappedPool = TenantContext.wrap(Executors.newSingleThreadExecutor());
    Tenant tenant = TestTenants.tenant("acme").build();
    scope = TenantContext.open(tenant); // benchmark methods run on this thread, inside the scope
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    scope.close();
    rawPool.shutdownNow();
    wrappedPool.shutdownNow();
  }

  @Benchmark
  public Object rawSubmitAndGet() throws ExecutionException, InterruptedException {
    return rawPool.submit(task).get();
  }

  @Benchmark
  public Object wrappedSubmitAndGet() throws ExecutionException, InterruptedException {
    return wrappedPool.submit(task).get();
  }

  @Benchmark
  public void rawDirect(Blackhole bh) {
    rawDirect.execute(task);
    bh.consume(task);
  }

  @Benchmark
  public void wrappedDirect(Blackhole bh) {
    wrappedDirect.execute(task);
    bh.consume(task);
  }
}
