package dev.tenantkit.db.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.util.function.ToIntFunction;

/** One HikariCP pool and what TenantKit tracks about it. */
final class PhysicalPool {
  final PoolKey key;
  final String name;
  final HikariDataSource hikari;
  final ConnectionFactory factory;
  /** For pool-mode pools: whether the role was checked for RLS bypass (on first connection). */
  volatile boolean rlsChecked;
  /** Held while the RLS check runs, so it runs once per pool. */
  final java.util.concurrent.locks.ReentrantLock rlsLock = new java.util.concurrent.locks.ReentrantLock();
  // Set on borrow, cleared by the housekeeper that turns it into lastUsedNanos: one volatile
  // read per borrow instead of a clock read, and no write when already set (no cache-line
  // ping-pong between borrowing cores).
  private volatile boolean touched = true;
  private volatile long lastUsedNanos = System.nanoTime();

  PhysicalPool(PoolKey key, String name, HikariDataSource hikari, ConnectionFactory factory) {
    this.key = key;
    this.name = name;
    this.hikari = hikari;
    this.factory = factory;
  }

  void touch() {
    if (!touched) {
      touched = true;
    }
  }

  /** Called by the housekeeper: folds a recent borrow into the last-used time. */
  long sampleLastUsed(long now) {
    if (touched) {
      touched = false;
      lastUsedNanos = now;
    }
    return lastUsedNanos;
  }

  long lastUsedNanos() {
    return lastUsedNanos;
  }

  boolean isClosed() {
    return hikari.isClosed();
  }

  /** No connection of this pool is lent out now, and nobody waits for one. */
  boolean isIdle() {
    return active() == 0 && waiting() == 0;
  }

  int active() {
    return read(HikariPoolMXBean::getActiveConnections);
  }

  int idle() {
    return read(HikariPoolMXBean::getIdleConnections);
  }

  int total() {
    return read(HikariPoolMXBean::getTotalConnections);
  }

  int waiting() {
    return read(HikariPoolMXBean::getThreadsAwaitingConnection);
  }

  private int read(ToIntFunction<HikariPoolMXBean> metric) {
    HikariPoolMXBean mx = hikari.getHikariPoolMXBean();
    return mx == null ? 0 : metric.applyAsInt(mx);
  }
}
