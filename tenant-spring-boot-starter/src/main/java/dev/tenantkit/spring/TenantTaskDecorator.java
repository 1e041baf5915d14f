package dev.tenantkit.spring;

import dev.tenantkit.core.TenantContext;
import org.springframework.core.task.TaskDecorator;
import org.springframework.util.ClassUtils;

/**
 * Runs each task in the tenant that was current when it was submitted (or in none, if none was),
 * with Spring Security the submitter's {@code SecurityContext} too, and restores the worker
 * thread's own state afterwards, so a pooled thread never carries one
 * tenant into another's task. Spring Boot applies it to the executor behind {@code @Async} and
 * the application's {@code TaskExecutor}, and to the scheduler; a task submitted without a tenant
 * (a {@code @Scheduled} method) runs without one, so its data access is refused
 * ({@code NoTenantException}, a {@code TenantDbException} NO_TENANT) instead of reaching any
 * default: such work names its tenant with {@code TenantContext.run(tenant, ...)}, one tenant at a
 * time.
 */
public final class TenantTaskDecorator implements TaskDecorator {
  private static final boolean SECURITY = ClassUtils.isPresent(
      "org.springframework.security.concurrent.DelegatingSecurityContextRunnable",
      TenantTaskDecorator.class.getClassLoader());

  /**
   * The task in the submitter's tenant and, with Spring Security, its {@code SecurityContext} (the
   * user of that tenant's token); the worker's own of both restored after.
   */
  @Override
  public Runnable decorate(Runnable runnable) {
    Runnable inTenant = TenantContext.wrap(runnable);
    return SECURITY ? SecurityContexts.wrap(inTenant) : inTenant;
  }

  /** Apart, so that Spring Security's classes load only when it is there. */
  private static final class SecurityContexts {
    static Runnable wrap(Runnable task) {
      return new org.springframework.security.concurrent.DelegatingSecurityContextRunnable(task);
    }
  }
}
