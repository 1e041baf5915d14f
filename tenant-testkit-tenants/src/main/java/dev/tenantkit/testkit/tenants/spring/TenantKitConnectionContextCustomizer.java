package dev.tenantkit.testkit.tenants.spring;

import dev.tenantkit.spring.TenantKitConnectionDetails;
import dev.tenantkit.testkit.tenants.LocalTenantKit;
import java.lang.reflect.Field;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ReflectionUtils;

/**
 * Registers the kit's {@link LocalTenantKitConnectionDetails} as the context's
 * {@link TenantKitConnectionDetails}, defaults the resolver to {@code {tenant}.localhost} (lowest
 * precedence: the application's own setting wins) and stops the kit when the context closes.
 * Equal for the same field, so Spring's context cache shares a context only between tests of the
 * same kit.
 */
final class TenantKitConnectionContextCustomizer implements ContextCustomizer {
  /** The property source of the defaults this customizer adds. */
  static final String PROPERTY_SOURCE = "tenantKitConnection";

  private final Field field;

  TenantKitConnectionContextCustomizer(Field field) {
    this.field = field;
  }

  @Override
  public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
    ReflectionUtils.makeAccessible(field);
    Object value = ReflectionUtils.getField(field, null);
    if (!(value instanceof LocalTenantKit kit)) {
      throw new IllegalStateException("@TenantKitConnection field " + field.getDeclaringClass().getSimpleName() + "."
          + field.getName() + " is null: initialize it, such as LocalTenantKit.create().silo(\"acme\")");
    }
    context.getBeanFactory().registerSingleton("tenantKitConnectionDetails", new LocalTenantKitConnectionDetails(kit));
    context.getEnvironment().getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE,
        Map.of("tenantkit.resolver.subdomain", "{tenant}.localhost")));
    context.addApplicationListener(event -> {
      if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
        kit.stop();
      }
    });
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TenantKitConnectionContextCustomizer c && c.field.equals(field);
  }

  @Override
  public int hashCode() {
    return field.hashCode();
  }
}
