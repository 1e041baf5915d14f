package dev.tenantkit.core.internal;

import java.util.concurrent.ThreadFactory;

/**
 * Threads run in the tenant current at {@code newThread}. Worker threads of
 * {@code ThreadPoolExecutor} (and so {@code ScheduledThreadPoolExecutor}) serve many tasks of
 * many tenants, so they are recognised and created without a tenant.
 */
public final class PropagatingThreadFactory implements ThreadFactory {
  private static final String POOL_WORKER = "java.util.concurrent.ThreadPoolExecutor$Worker";

  private final ThreadFactory delegate;

  /** Wraps {@code delegate}. */
  public PropagatingThreadFactory(ThreadFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public Thread newThread(Runnable r) {
    if (r.getClass().getName().equals(POOL_WORKER)) {
      return delegate.newThread(runClean(r));
    }
    return delegate.newThread(ContextFrames.capture(r));
  }

  private static Runnable runClean(Runnable r) {
    return () -> ContextFrames.runAs(null, r);
  }
}
