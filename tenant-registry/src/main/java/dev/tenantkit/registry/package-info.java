/**
 * The tenant registry on DynamoDB: the AWS-native home for tenant records that a fleet shares.
 *
 * <ul>
 *   <li>{@link dev.tenantkit.registry.TenantRegistry}: the table, one item per tenant, written with
 *       conditional writes on a version (onboarding, offboarding, tier changes);</li>
 *   <li>{@link dev.tenantkit.registry.RegistryTenantCatalog}: the {@code TenantCatalog} every
 *       instance and Lambda reads, an in-memory snapshot refreshed by polling, with a
 *       last-known-good file for a cold start without the registry, and
 *       {@link dev.tenantkit.registry.RegistryHealth} for health checks.</li>
 * </ul>
 */
@NullMarked
package dev.tenantkit.registry;

import org.jspecify.annotations.NullMarked;
