package dev.tenantkit.testkit;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link WithTenant}. It intercepts the test method invocation itself, so
 * the scope is open on the very thread that runs the test body (also under {@code @Timeout} with
 * a separate thread), and checks afterwards that the thread is back to no tenant.
 */
public final class TenantScopeExtension implements InvocationInterceptor, ParameterResolver {

  @Override
  public void interceptTestMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
    Tenant tenant = tenantFor(context).orElse(null);
    if (tenant == null) {
      invocation.proceed();
      return;
    }
    if (TenantContext.current().isPresent()) {
      throw new IllegalStateException("a tenant scope was already open on the test thread before "
          + context.getDisplayName() + ": an earlier test or fixture leaked one");
    }
    try (TenantScope ignored = TenantContext.open(tenant)) {
      invocation.proceed();
    }
    if (TenantContext.current().isPresent()) {
      throw new AssertionError("test left a tenant scope open: "
          + TenantContext.current().get().id() + " (close every TenantContext.open in try-with-resources)");
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == Tenant.class
        && tenantFor(extensionContext).isPresent();
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return tenantFor(extensionContext).orElseThrow();
  }

  static Optional<Tenant> tenantFor(ExtensionContext context) {
    Optional<WithTenant> annotation = context.getTestMethod()
        .flatMap(m -> AnnotationSupport.findAnnotation(m, WithTenant.class));
    if (annotation.isEmpty()) {
      annotation = context.getTestClass()
          .flatMap(c -> AnnotationSupport.findAnnotation(c, WithTenant.class));
    }
    return annotation.map(a -> TestTenants.tenant(a.value()).tier(a.tier()).build());
  }
}
