package dev.tenantkit.db.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * What outlives a tenant's route (which is rebuilt when its record changes): its bulkhead permits
 * and its counters, so a rebuild never hands out a fresh set of permits while the old connections
 * are still out.
 */
final class TenantState {
  final Permits permits;
  final LongAdder saturations = new LongAdder();
  final LongAdder evictions = new LongAdder();
  private int max;

  TenantState(int max) {
    this.max = max;
    this.permits = new Permits(max);
  }

  synchronized int max() {
    return max;
  }

  /** Changes the limit without touching permits held now. */
  synchronized void resize(int newMax) {
    int delta = newMax - max;
    if (delta > 0) {
      permits.release(delta);
    } else if (delta < 0) {
      permits.reduce(-delta);
    }
    max = newMax;
  }

  /** A fair semaphore whose permits can shrink. */
  static final class Permits extends Semaphore {
    private static final long serialVersionUID = 1L;

    Permits(int permits) {
      super(permits, true);
    }

    void reduce(int by) {
      reducePermits(by);
    }
  }
}
