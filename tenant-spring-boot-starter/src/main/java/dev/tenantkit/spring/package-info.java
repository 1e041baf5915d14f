/**
 * TenantKit for Spring Boot: add {@code tenant-spring-boot-starter}, set {@code tenantkit.*}
 * properties ({@link dev.tenantkit.spring.TenantKitProperties}), and the catalog, the token
 * verifier, the tenant filter and (with tenant-db) the {@code DataSource} are configured; any bean
 * of those types the application defines itself is used instead.
 */
@NullMarked
package dev.tenantkit.spring;

import org.jspecify.annotations.NullMarked;
