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
 * precedence: the application's own setting wins) and, when it started the kit, stops it when the
 * context closes.
 * Equal for the same field and owning class, so Spring's context cache shares a context only
 * between tests that run while the same start of the kit is up.
 */
final class TenantKitConnectionContextCustomizer implements ContextCustomizer {
  /** The property source of the defaults this customizer adds. */
  static final String PROPERTY_SOURCE = "tenantKitConnection";

  private final Field field;
  private final Class<?> owner;

  /**
   * @param owner the class whose run starts and stops the kit: a subclass of a test that declares
   *     the kit gets a context of its own (Testcontainers restarts the kit for it, on new ports), a
   *     {@code @Nested} class shares its enclosing class's
   */
  TenantKitConnectionContextCustomizer(Field field, Class<?> owner) {
    this.field = field;
    this.owner = owner;
  }

  @Override
  public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
    ReflectionUtils.makeAccessible(field);
    Object value = ReflectionUtils.getField(field, null);
    if (!(value instanceof LocalTenantKit kit)) {
      throw new IllegalStateException("@TenantKitConnection field " + field.getDeclaringClass().getSimpleName() + "."
          + field.getName() + " is null: initialize it, such as LocalTenantKit.create().silo(\"acme\")");
    }
    // Started here (no @Container field did it): stopped with this context. Started by
    // Testcontainers' extension: left to it, so that a context closed later (Spring's cache evicts
    // old ones) never stops a kit another test class is running on.
    boolean startedHere = !kit.isRunning();
    context.getBeanFactory().registerSingleton("tenantKitConnectionDetails", new LocalTenantKitConnectionDetails(kit));
    context.getEnvironment().getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE,
        Map.of("tenantkit.resolver.subdomain", "{tenant}.localhost")));
    if (startedHere) {
      context.addApplicationListener(event -> {
        if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
          kit.stop();
        }
      });
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TenantKitConnectionContextCustomizer c && c.field.equals(field) && c.owner == owner;
  }

  @Override
  public int hashCode() {
    return field.hashCode() * 31 + owner.hashCode();
  }
}
