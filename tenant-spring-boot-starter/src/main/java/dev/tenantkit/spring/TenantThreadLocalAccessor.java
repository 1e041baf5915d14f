package dev.tenantkit.spring;

import dev.tenantkit.core.Tenant;
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
 * <p>Setting a value makes it the thread's only tenant (as {@link TenantContext#propagate} does);
 * restoring puts back exactly what the thread had, also when the snapshot had no tenant and the
 * thread had one (it is cleared while the work runs, so a pooled thread never lends its tenant).
 */
public final class TenantThreadLocalAccessor implements ThreadLocalAccessor<Tenant> {
  /** The key in context snapshots. */
  public static final String KEY = "dev.tenantkit.tenant";

  // What each setValue attached on this thread, newest first: restore closes the newest.
  private static final ThreadLocal<Deque<TenantContext.Propagated>> ATTACHED = new ThreadLocal<>();

  @Override
  public Object key() {
    return KEY;
  }

  @Override
  public @Nullable Tenant getValue() {
    return TenantContext.current().orElse(null);
  }

  @Override
  public void setValue(Tenant value) {
    attach(value);
  }

  /** The snapshot had no tenant: none while the work runs. */
  @Override
  public void setValue() {
    attach(null);
  }

  @Override
  public void restore(Tenant previousValue) {
    detach();
  }

  @Override
  public void restore() {
    detach();
  }

  private static void attach(@Nullable Tenant tenant) {
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
