package dev.tenantkit.core;

import dev.tenantkit.core.internal.ContextFrames;
import dev.tenantkit.core.internal.PropagatingExecutorService;
import dev.tenantkit.core.internal.PropagatingScheduledExecutorService;
import dev.tenantkit.core.internal.PropagatingThreadFactory;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The current tenant of this thread, as a scope.
 *
 * <pre>{@code
 * try (TenantScope scope = TenantContext.open(tenant)) {
 *   repository.save(order);   // TenantDataSource and tenant storage read the scope
 * }
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Closing a scope restores exactly what was there before, MDC included.</li>
 *   <li>Opening a scope for tenant B inside tenant A's scope is refused with
 *       {@link CrossTenantAccessException}; control-plane code uses
 *       {@link #openCrossTenant(Tenant, String)}, which logs who switched, to whom and why.
 *       Re-opening the same tenant nests.</li>
 *   <li>The tenant does not leak into threads by itself (no {@code InheritableThreadLocal}: a pool
 *       thread created inside a scope would keep that tenant forever). It crosses threads only
 *       through the {@code wrap} methods, which capture the tenant current at submit time and
 *       leave the worker thread exactly as they found it.</li>
 * </ul>
 *
 * <p>Works on platform and virtual threads (Java 21+).
 */
public final class TenantContext {
  /**
   * MDC key holding the tenant id while a scope is open: {@code tenant.id}, or the key the
   * environment variable {@code TENANTKIT_MDC_TENANT_ID_KEY} names (read once at start), such as
   * {@code tenant_id}, the field Powertools for AWS Lambda logs the tenant under.
   */
  public static final String MDC_TENANT_ID = ContextFrames.MDC_TENANT_ID;
  /**
   * MDC key holding the tenant tier while a scope is open: {@code tenant.tier}, or the key
   * {@code TENANTKIT_MDC_TENANT_TIER_KEY} names.
   */
  public static final String MDC_TENANT_TIER = ContextFrames.MDC_TENANT_TIER;

  private TenantContext() {}

  /**
   * Opens a scope for {@code tenant} on this thread.
   *
   * @throws CrossTenantAccessException when another tenant's scope is open on this thread
   */
  public static TenantScope open(Tenant tenant) {
    return ContextFrames.open(Objects.requireNonNull(tenant, "tenant"), null);
  }

  /**
   * Opens a scope for {@code tenant} even inside another tenant's scope, for admin and
   * control-plane code. Logged at INFO with both tenants and the reason.
   *
   * @param reason why this code crosses tenants; required, at most 200 characters
   */
  public static TenantScope openCrossTenant(Tenant tenant, String reason) {
    Objects.requireNonNull(tenant, "tenant");
    if (reason == null || reason.isBlank() || reason.length() > 200) {
      throw new IllegalArgumentException("reason is required, 1 to 200 characters");
    }
    return ContextFrames.open(tenant, reason);
  }

  /** Runs {@code action} in a scope for {@code tenant}. */
  public static void run(Tenant tenant, Runnable action) {
    try (TenantScope ignored = open(tenant)) {
      action.run();
    }
  }

  /** Calls {@code action} in a scope for {@code tenant} and returns its result. */
  public static <T> T call(Tenant tenant, Callable<T> action) throws Exception {
    try (TenantScope ignored = open(tenant)) {
      return action.call();
    }
  }

  /** Like {@link #call} for code that throws no checked exception. */
  public static <T> T supply(Tenant tenant, Supplier<T> action) {
    try (TenantScope ignored = open(tenant)) {
      return action.get();
    }
  }

  /** The tenant in scope on this thread, if any. */
  public static Optional<Tenant> current() {
    return Optional.ofNullable(ContextFrames.currentTenant());
  }

  /** The id of the tenant in scope on this thread, if any. */
  public static Optional<TenantId> currentId() {
    Tenant t = ContextFrames.currentTenant();
    return t == null ? Optional.empty() : Optional.of(t.id());
  }

  /**
   * The tenant in scope on this thread.
   *
   * @throws NoTenantException when no tenant scope is open
   */
  public static Tenant require() {
    Tenant t = ContextFrames.currentTenant();
    if (t == null) {
      throw new NoTenantException();
    }
    return t;
  }

  // ---- propagation ---------------------------------------------------------------------------

  /** {@code task}, set to run in the tenant current now (or with no tenant, if none is). */
  public static Runnable wrap(Runnable task) {
    return ContextFrames.capture(task);
  }

  /** {@code task}, set to run in the tenant current now. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    return ContextFrames.capture(task);
  }

  /** {@code fn}, set to run in the tenant current now: for {@code CompletableFuture} stages. */
  public static <T> Supplier<T> wrapSupplier(Supplier<T> fn) {
    Objects.requireNonNull(fn, "fn");
    @Nullable Tenant captured = ContextFrames.currentTenant();
    return () -> ContextFrames.supplyAs(captured, fn);
  }

  /** {@code fn}, set to run in the tenant current now: for {@code thenApply} and the like. */
  public static <T, R> Function<T, R> wrapFunction(Function<T, R> fn) {
    Objects.requireNonNull(fn, "fn");
    @Nullable Tenant captured = ContextFrames.currentTenant();
    return t -> ContextFrames.supplyAs(captured, () -> fn.apply(t));
  }

  /** {@code fn}, set to run in the tenant current now: for {@code thenAccept} and the like. */
  public static <T> Consumer<T> wrapConsumer(Consumer<T> fn) {
    Objects.requireNonNull(fn, "fn");
    @Nullable Tenant captured = ContextFrames.currentTenant();
    return t -> ContextFrames.runAs(captured, () -> fn.accept(t));
  }

  /** {@code fn}, set to run in the tenant current now: for {@code thenCombine}, {@code handle}. */
  public static <T, U, R> BiFunction<T, U, R> wrapBiFunction(BiFunction<T, U, R> fn) {
    Objects.requireNonNull(fn, "fn");
    @Nullable Tenant captured = ContextFrames.currentTenant();
    return (t, u) -> ContextFrames.supplyAs(captured, () -> fn.apply(t, u));
  }

  /**
   * The tenant current on this thread, as an opaque token for {@link #propagate}; null when no
   * tenant is in scope. Only this method makes one: propagation carries a tenant from where it was
   * in scope, not any tenant record at hand. It is not a way to switch tenants (that is
   * {@link #openCrossTenant}, logged at INFO); a propagation that replaces another tenant's open
   * scope on the thread is logged at WARN.
   */
  public static @Nullable Captured capture() {
    Tenant t = ContextFrames.currentTenant();
    return t == null ? null : new Captured(t);
  }

  /** A tenant captured by {@link #capture()} where it was in scope. */
  public static final class Captured {
    private final Tenant tenant;

    private Captured(Tenant tenant) {
      this.tenant = tenant;
    }

    /** The captured tenant's id. */
    public TenantId tenantId() {
      return tenant.id();
    }

    @Override
    public String toString() {
      return "TenantContext.Captured[" + tenant.id() + "]";
    }
  }

  /**
   * Makes the {@linkplain #capture() captured} tenant (or, when {@code captured} is {@code null},
   * no tenant) this thread's only tenant until the returned handle is closed, which restores what
   * the thread had before, MDC included: what the {@code wrap} methods do around a task, in two
   * calls, for context-propagation libraries that capture on one thread and set and restore on
   * another in separate calls (Micrometer's {@code ThreadLocalAccessor}, Reactor hooks). Close
   * handles on the same thread in reverse order; closed out of order, they never put back a scope
   * that was closed meanwhile (the thread falls back to the nearest open one, or none).
   */
  public static Propagated propagate(@Nullable Captured captured) {
    return ContextFrames.attach(captured == null ? null : captured.tenant);
  }

  /** The handle {@link #propagate} returns; {@code close} restores the thread's previous tenant. */
  @FunctionalInterface
  public interface Propagated extends AutoCloseable {
    /**
     * Restores the tenant this thread had before; again is a no-op.
     *
     * @throws TenantScopeException when called on another thread than the one that propagated
     */
    @Override
    void close();
  }

  /**
   * An executor that runs each task in the tenant current when the task was handed to
   * {@code execute}. Pass it to {@code CompletableFuture.supplyAsync(fn, executor)} and the
   * {@code *Async(fn, executor)} stages: a dependent stage is handed over by the thread that
   * completed the stage before it, which (when that stage ran here too) is in the same tenant.
   * For a stage completed by a foreign thread, wrap the stage's function instead
   * ({@link #wrapFunction} and friends), which captures at the call that builds the chain.
   */
  public static Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    if (executor instanceof ScheduledExecutorService) {
      return wrap((ScheduledExecutorService) executor);
    }
    if (executor instanceof ExecutorService) {
      return wrap((ExecutorService) executor);
    }
    return task -> executor.execute(ContextFrames.capture(task));
  }

  /** An executor service whose every task runs in the tenant current at submit time. */
  public static ExecutorService wrap(ExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    if (executor instanceof ScheduledExecutorService) {
      return wrap((ScheduledExecutorService) executor);
    }
    return executor instanceof PropagatingExecutorService
        ? executor : new PropagatingExecutorService(executor);
  }

  /** A scheduled executor whose tasks (each run of a periodic task too) run in the tenant current at schedule time. */
  public static ScheduledExecutorService wrap(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return executor instanceof PropagatingScheduledExecutorService
        ? executor : new PropagatingScheduledExecutorService(executor);
  }

  /**
   * A thread factory whose threads run in the tenant current when the thread is created: for
   * thread-per-task executors such as {@code Executors.newThreadPerTaskExecutor(factory)} with
   * virtual threads, where a thread is created at submit time. Pool worker threads of
   * {@code ThreadPoolExecutor} outlive their first task, so they are created clean (no tenant);
   * wrap the pool with {@link #wrap(ExecutorService)} instead.
   */
  public static ThreadFactory threadFactory(ThreadFactory factory) {
    return new PropagatingThreadFactory(Objects.requireNonNull(factory, "factory"));
  }
}
