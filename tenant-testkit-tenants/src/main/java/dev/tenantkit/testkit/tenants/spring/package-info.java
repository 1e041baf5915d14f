/**
 * Spring Boot tests on seeded tenants: {@link dev.tenantkit.testkit.tenants.spring.TenantKitConnection}
 * on a {@code LocalTenantKit} field wires tenant-spring-boot-starter to it through
 * {@link dev.tenantkit.testkit.tenants.spring.LocalTenantKitConnectionDetails}. Needs the starter and
 * spring-test on the class path.
 */
@NullMarked
package dev.tenantkit.testkit.tenants.spring;

import org.jspecify.annotations.NullMarked;
