package dev.tenantkit.testkit.tenants.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a static {@code LocalTenantKit} field of a Spring Boot test: the application context is given
 * the kit's tenants and S3 endpoint as the starter's {@code TenantKitConnectionDetails} (as Spring
 * Boot's {@code @ServiceConnection} does for a container), so the test needs no
 * {@code tenantkit.catalog.*}, {@code tenantkit.storage.*} or TenantKit beans of its own. The kit is
 * started first if nothing has started it (and then stopped when the context closes); a kit that a
 * {@code @Container} field started is left to Testcontainers.
 *
 * <pre>{@code
 * @SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * @Testcontainers
 * class NotesTest {
 *   @Container
 *   @TenantKitConnection
 *   static LocalTenantKit tenants = LocalTenantKit.create()
 *       .flyway("classpath:db/tenant").rowLevelSecurity("notes", "tenant_id")
 *       .silo("acme").pooled("globex");
 * }
 * }</pre>
 *
 * Requests name their tenant by host, {@code {tenant}.localhost}, unless the application sets
 * {@code tenantkit.resolver.*} itself (its setting wins).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface TenantKitConnection {}
