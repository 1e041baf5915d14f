package dev.tenantkit.testkit.tenants.spring;

import dev.tenantkit.testkit.tenants.LocalTenantKit;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds the {@link TenantKitConnection} field of a test class (its superclasses and, for
 * {@code @Nested} classes, its enclosing classes) and customizes the context with it. Registered
 * in {@code META-INF/spring.factories}.
 */
public final class TenantKitConnectionContextCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
      List<ContextConfigurationAttributes> configAttributes) {
    List<Field> found = new ArrayList<>();
    Class<?> owner = collect(testClass, found);
    if (found.isEmpty() || owner == null) {
      return null;
    }
    if (found.size() > 1) {
      throw new IllegalStateException(testClass.getName() + " has " + found.size() + " @TenantKitConnection fields ("
          + found.stream().map(Field::getName).toList() + "): one kit holds every tenant a test needs");
    }
    return new TenantKitConnectionContextCustomizer(found.get(0), owner);
  }

  /**
   * Adds the annotated fields of {@code type} and its superclasses to {@code found}, else those of
   * its enclosing class (a {@code @Nested} class); returns the class whose run starts and stops the
   * kit (the test class itself, or the enclosing class the field was found on), or null.
   */
  private static @Nullable Class<?> collect(Class<?> type, List<Field> found) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!f.isAnnotationPresent(TenantKitConnection.class)) {
          continue;
        }
        if (!Modifier.isStatic(f.getModifiers())) {
          throw new IllegalStateException("@TenantKitConnection field " + c.getSimpleName() + "." + f.getName()
              + " must be static: the application context outlives a test instance");
        }
        if (!LocalTenantKit.class.isAssignableFrom(f.getType())) {
          throw new IllegalStateException("@TenantKitConnection field " + c.getSimpleName() + "." + f.getName()
              + " must be a LocalTenantKit, was " + f.getType().getSimpleName());
        }
        found.add(f);
      }
    }
    if (!found.isEmpty()) {
      return type;
    }
    Class<?> enclosing = type.getEnclosingClass();
    if (enclosing != null && TestContextAnnotationUtils.searchEnclosingClass(type)) {
      return collect(enclosing, found);
    }
    return null;
  }
}
