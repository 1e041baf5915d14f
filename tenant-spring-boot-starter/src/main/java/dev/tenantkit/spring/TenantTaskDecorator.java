package dev.tenantkit.spring;

import dev.tenantkit.core.TenantContext;
import org.springframework.core.task.TaskDecorator;

/**
 * Runs each task in the tenant that was current when it was submitted (or in none, if none was),
 * and restores the worker thread's own state afterwards, so a pooled thread never carries one
 * tenant into another's task. Spring Boot applies it to the executor behind {@code @Async} and
 * the application's {@code TaskExecutor}, and to the scheduler; a task submitted without a tenant
 * (a {@code @Scheduled} method) runs without one, so its data access is refused
 * ({@code NoTenantException}, a {@code TenantDbException} NO_TENANT) instead of reaching any
 * default: such work names its tenant with {@code TenantContext.run(tenant, ...)}, one tenant at a
 * time.
 */
public final class TenantTaskDecorator implements TaskDecorator {
  @Override
  public Runnable decorate(Runnable runnable) {
    return TenantContext.wrap(runnable);
  }
}
