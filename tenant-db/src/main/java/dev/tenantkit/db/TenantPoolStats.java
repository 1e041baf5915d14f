package dev.tenantkit.db;

import dev.tenantkit.core.TenantId;

/**
 * One tenant's connection use, as seen now.
 *
 * @param tenant the tenant
 * @param pool the physical pool's name ({@code tenantkit-<tenant>} for a silo pool,
 *     {@code tenantkit-shared-<n>} for a shared one)
 * @param shared whether the pool is shared with other tenants (bridge and pool isolation)
 * @param active connections the tenant holds now
 * @param idle idle connections in the pool (for a shared pool: shared by its tenants)
 * @param total physical connections in the pool
 * @param waiting callers of this tenant waiting for a connection now
 * @param maxConnections the tenant's limit
 * @param saturations calls refused because the tenant's wait timeout passed
 * @param evictions times the tenant's pool was closed while idle (LRU or idle timeout)
 * @param authenticationFailures connection attempts the database refused for bad credentials
 *     (each followed by a credentials refresh), since the pool was created
 */
public record TenantPoolStats(
    TenantId tenant,
    String pool,
    boolean shared,
    int active,
    int idle,
    int total,
    int waiting,
    int maxConnections,
    long saturations,
    long evictions,
    long authenticationFailures) {}
