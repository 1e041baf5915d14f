package dev.tenantkit.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test method, or every test method of the annotated class, inside a
 * {@link dev.tenantkit.core.TenantContext} scope for an ACTIVE tenant with this id and tier. A
 * method annotation overrides the class's. A {@link dev.tenantkit.core.Tenant} parameter of the
 * test method receives the tenant.
 *
 * <p>The test fails if it leaves a tenant scope open on its thread.
 *
 * <pre>{@code
 * @WithTenant("acme")
 * class OrderRepositoryTest {
 *   @Test void savesIntoTheCurrentTenant(Tenant tenant) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(TenantScopeExtension.class)
public @interface WithTenant {
  /** The tenant id. */
  String value();

  /** The tenant's tier; {@code standard} by default. */
  String tier() default "standard";
}
