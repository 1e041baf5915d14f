/**
 * Seeded tenants for tests: {@link dev.tenantkit.testkit.tenants.LocalTenants} (tenants of each
 * isolation mode on running stand-ins, one line each, with names unique in the JVM) and
 * {@link dev.tenantkit.testkit.tenants.LocalTenantKit} (the stand-ins and their tenants as a
 * Testcontainers {@code Startable}).
 */
@NullMarked
package dev.tenantkit.testkit.tenants;

import org.jspecify.annotations.NullMarked;
