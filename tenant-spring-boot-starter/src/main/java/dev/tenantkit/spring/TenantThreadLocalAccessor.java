package dev.tenantkit.spring;

import dev.tenantkit.core.TenantContext;
import io.micrometer.context.ThreadLocalAccessor;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * The current tenant for Micrometer's context propagation ({@code io.micrometer:context-propagation}):
 * a {@code ContextSnapshot} taken in a tenant's scope carries that tenant to the thread where it is
 * restored, so Spring's {@code ContextPropagatingTaskDecorator}, observations and Reactor's
 * automatic context propagation keep the tenant as the {@link TenantTaskDecorator} does for
 * executors. Registered through {@code META-INF/services}, so {@code ContextRegistry.getInstance()}
 * has it whenever the starter and context-propagation are on the class path.
 *
 * <p>The value is {@link TenantContext#capture()}'s opaque token, so a snapshot carries the tenant
 * that was in scope where it was taken and cannot name another. Setting it makes it the thread's
 * only tenant (as {@link TenantContext#propagate} does); restoring puts back what the thread had.
 * A snapshot without a tenant clears the thread's for its length only where the snapshot factory
 * clears missing values ({@code clearMissing(true)}); Spring's {@code ContextPropagatingTaskDecorator}
 * does not by default, and pooled threads are clean between tasks anyway (every propagation
 * restores).
 */
public final class TenantThreadLocalAccessor implements ThreadLocalAccessor<TenantContext.Captured> {
  /** The key in context snapshots. */
  public static final String KEY = "dev.tenantkit.tenant";

  // What each setValue attached on this thread, newest first: restore closes the newest.
  private static final ThreadLocal<Deque<TenantContext.Propagated>> ATTACHED = new ThreadLocal<>();

  @Override
  public Object key() {
    return KEY;
  }

  @Override
  public TenantContext.@Nullable Captured getValue() {
    return TenantContext.capture();
  }

  @Override
  public void setValue(TenantContext.Captured value) {
    attach(value);
  }

  /** The snapshot had no tenant: none while the work runs. */
  @Override
  public void setValue() {
    attach(null);
  }

  @Override
  public void restore(TenantContext.Captured previousValue) {
    detach();
  }

  @Override
  public void restore() {
    detach();
  }

  private static void attach(TenantContext.@Nullable Captured tenant) {
    Deque<TenantContext.Propagated> stack = ATTACHED.get();
    if (stack == null) {
      stack = new ArrayDeque<>(2);
      ATTACHED.set(stack);
    }
    stack.push(TenantContext.propagate(tenant));
  }

  private static void detach() {
    Deque<TenantContext.Propagated> stack = ATTACHED.get();
    if (stack == null) {
      return; // nothing of ours to undo
    }
    TenantContext.Propagated newest = stack.pop();
    if (stack.isEmpty()) {
      ATTACHED.remove();
    }
    newest.close();
  }
}
