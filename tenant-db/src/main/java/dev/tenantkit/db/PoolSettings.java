package dev.tenantkit.db;

import dev.tenantkit.core.spi.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How many connections one tenant may hold and how long its callers wait, usually one per tier.
 *
 * @param maxConnections the most connections the tenant holds at once: the size of a silo
 *     tenant's own pool, and the tenant's share (its bulkhead) of a shared bridge or pool-mode
 *     pool. Raise it for tenants with more concurrent requests; it is also the most one tenant can
 *     take from its neighbours on a shared pool.
 * @param minIdle connections a silo pool keeps open while the pool is alive; 0 lets an unused
 *     tenant hold no connections at all (at the cost of a connect on its next request)
 * @param waitTimeout how long a caller waits for one of the tenant's connections before a
 *     {@link TenantDbException.Reason#TENANT_SATURATED} error; short, so a saturated tenant fails
 *     fast instead of piling up threads
 */
public record PoolSettings(int maxConnections, int minIdle, Duration waitTimeout) {
  /** 5 connections, 0 kept idle, 2 seconds' wait. */
  public static final PoolSettings DEFAULT = new PoolSettings(5, 0, Duration.ofSeconds(2));

  /** Validates the values. */
  public PoolSettings {
    if (maxConnections < 1 || maxConnections > 1_000) {
      throw new IllegalArgumentException("maxConnections must be 1..1000 (was " + maxConnections + ")");
    }
    if (minIdle < 0 || minIdle > maxConnections) {
      throw new IllegalArgumentException(
          "minIdle must be 0..maxConnections (" + maxConnections + ") (was " + minIdle + ")");
    }
    Durations.requireBetween("waitTimeout", waitTimeout, Duration.ofMillis(250), Duration.ofMinutes(5));
  }

  /** Settings with {@code maxConnections}, the other values from {@link #DEFAULT}. */
  public static PoolSettings ofMaxConnections(int maxConnections) {
    return new PoolSettings(maxConnections, 0, DEFAULT.waitTimeout());
  }

  /** A copy with another wait timeout. */
  public PoolSettings withWaitTimeout(Duration waitTimeout) {
    return new PoolSettings(maxConnections, minIdle, waitTimeout);
  }

  /** A copy with another number of idle connections kept. */
  public PoolSettings withMinIdle(int minIdle) {
    return new PoolSettings(maxConnections, minIdle, waitTimeout);
  }
}
