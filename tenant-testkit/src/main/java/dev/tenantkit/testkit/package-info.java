/**
 * Test support for services built on TenantKit, and for TenantKit's own tests.
 *
 * <ul>
 *   <li>{@link dev.tenantkit.testkit.WithTenant}: run a test (or every test of a class) inside a
 *       tenant scope, and fail it if it leaves a scope open;</li>
 *   <li>{@link dev.tenantkit.testkit.TestTenants}: short builders for tenant records and catalogs.</li>
 * </ul>
 */
@NullMarked
package dev.tenantkit.testkit;

import org.jspecify.annotations.NullMarked;
