/**
 * TenantKit core: who the tenant is, and keeping every piece of work inside that tenant.
 *
 * <ul>
 *   <li>{@link dev.tenantkit.core.TenantId}: the validated id, usable as a bucket name, a DNS
 *       label, a PostgreSQL identifier and a CloudFormation stack name;</li>
 *   <li>{@link dev.tenantkit.core.Tenant}: the tenant record, the contract between modules, with
 *       typed sections for identity, storage, database and stack;</li>
 *   <li>{@link dev.tenantkit.core.TenantCatalog}: loads, validates and serves tenant records
 *       (in memory, or from a JSON file that reloads atomically);</li>
 *   <li>{@link dev.tenantkit.core.TenantContext}: the current tenant as a scope on the thread,
 *       its propagation to executors and futures, and the SLF4J MDC keys
 *       {@code tenant.id} and {@code tenant.tier};</li>
 *   <li>{@link dev.tenantkit.core.TenantResolver} and {@link dev.tenantkit.core.TenantResolvers}:
 *       which tenant a {@link dev.tenantkit.core.TenantRequest} claims.</li>
 * </ul>
 *
 * <p>Every error is a {@link dev.tenantkit.core.TenantKitException}. Adapters live in
 * {@code dev.tenantkit.core.servlet} and {@code dev.tenantkit.core.lambda}.
 */
@NullMarked
package dev.tenantkit.core;

import org.jspecify.annotations.NullMarked;
