package dev.tenantkit.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RegistryTenantCatalog} serves and how fresh it is, for health checks. Carries no
 * record contents, credentials or tokens: ids, times and error messages only.
 *
 * @param source where the records being served came from
 * @param tenants how many records are served
 * @param lastRefresh when the registry was last read successfully; null when it never was (the
 *     catalog serves the last-known-good file)
 * @param lastAttempt when the registry was last tried
 * @param lastError why the latest attempt failed; null when it succeeded
 * @param refusedItems items of the table that are not valid records, by key, with the reason
 *     (the tenant's previous record, if any, keeps serving)
 */
public record RegistryHealth(
    Source source,
    int tenants,
    @Nullable Instant lastRefresh,
    Instant lastAttempt,
    @Nullable String lastError,
    Map<String, String> refusedItems) {

  /** Where the served records came from. */
  public enum Source {
    /** A read of the registry table. */
    REGISTRY,
    /** The last-known-good file: the registry could not be read at start. */
    LAST_KNOWN_GOOD_FILE
  }

  /** Copies the map. */
  public RegistryHealth {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(lastAttempt, "lastAttempt");
    refusedItems = Map.copyOf(refusedItems);
  }

  /** Whether the latest refresh succeeded and every item of the table is a valid record. */
  public boolean healthy() {
    return lastError == null && refusedItems.isEmpty() && source == Source.REGISTRY;
  }

  /** The latest error, if the latest attempt failed. */
  public Optional<String> error() {
    return Optional.ofNullable(lastError);
  }

  /** How old the served records are at {@code now}; empty when the registry was never read. */
  public Optional<Duration> age(Instant now) {
    return lastRefresh == null ? Optional.empty() : Optional.of(Duration.between(lastRefresh, now));
  }
}
