package dev.tenantkit.core;

/**
 * Told after each catalog update, on the thread that applied it, once the new state is visible
 * to readers. A listener that throws is logged and does not stop the others.
 */
@FunctionalInterface
public interface CatalogListener {
  /** Called with what changed; never with an empty change. */
  void onChange(CatalogChange change);

  /** Removes a listener again. */
  @FunctionalInterface
  interface Registration extends AutoCloseable {
    /** Stops notifications to the listener; idempotent. */
    @Override
    void close();
  }
}
