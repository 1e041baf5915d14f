package dev.tenantkit.auth.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the {@link IssuerIndex} in step with the catalog. The change listener is registered
 * before the first index is built, so a change published after the first read of the catalog is
 * always seen. Rebuilds are serialized; a rebuild that learns of a newer change while it builds
 * (on another thread, or a nested one on its own) builds again from the newer catalog instead of
 * publishing what it read, so an older index never replaces a newer one. Readers take the
 * current snapshot with one volatile read and never wait for a rebuild.
 */
final class CatalogIssuers {
  private final VerifierSettings s;
  private final Object rebuilding = new Object();
  private final AtomicLong changes = new AtomicLong();
  private volatile IssuerIndex index = IssuerIndex.EMPTY;

  CatalogIssuers(VerifierSettings settings) {
    this.s = settings;
    settings.catalog().addListener(change -> {
      changes.incrementAndGet();
      rebuild();
    });
    rebuild();
  }

  IssuerIndex current() {
    return index;
  }

  private void rebuild() {
    synchronized (rebuilding) {
      while (true) {
        long seen = changes.get();
        IssuerIndex next = IssuerIndex.build(s.catalog().all(), s, index);
        if (changes.get() == seen) {
          index = next;
          return;
        }
      }
    }
  }
}
