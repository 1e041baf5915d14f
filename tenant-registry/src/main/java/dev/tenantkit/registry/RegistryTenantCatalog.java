package dev.tenantkit.registry;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.spi.Durations;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A {@link TenantCatalog} served from the {@link TenantRegistry} table: what every instance and
 * Lambda of a fleet reads instead of a catalog file.
 *
 * <p>Lookups are as fast as the in-memory catalog's (they are its lookups): the records live in
 * an in-memory snapshot, refreshed by polling the table at {@link Builder#pollInterval} with a
 * strongly consistent read. A refresh is checked whole before it is served, with the same rules
 * between tenants as a file catalog; what a refresh cannot serve never empties the catalog:
 *
 * <ul>
 *   <li>the table cannot be read (outage, throttling, no network): the previous snapshot keeps
 *       serving;</li>
 *   <li>an item is not a valid record (or its key and its record name different tenants): that
 *       item is refused, the tenant's previous record (if any) keeps serving, the others
 *       refresh;</li>
 *   <li>the refreshed records break a rule between tenants: the whole refresh is refused.</li>
 * </ul>
 *
 * Each is logged at WARN and shown by {@link #health()}. With {@link Builder#lastKnownGood} set,
 * every snapshot read from the table is also written to that file, and a start with the registry
 * unreachable serves the file (a cold start without the network keeps serving the last good
 * records); a start with neither fails.
 *
 * <p>A silo stack's instances read only their own tenant ({@link Builder#onlyTenant}): a
 * {@code GetItem} of one key, which the stack's role (a {@code dynamodb:LeadingKeys} condition)
 * allows, where a scan of the table would be refused. A pooled fleet reads the whole table.
 */
public interface RegistryTenantCatalog extends TenantCatalog, AutoCloseable {

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the registry now and serves what it holds (within the rules above).
   *
   * @return whether the served records changed
   * @throws TenantRegistryException when the table cannot be read, or the whole refresh was
   *     refused; the previous snapshot keeps serving
   */
  boolean refresh();

  /** What is served, from where, how fresh, and what was refused. */
  RegistryHealth health();

  /** Stops polling; lookups keep answering from the last snapshot. Idempotent. */
  @Override
  void close();

  /** Builds a {@link RegistryTenantCatalog}. */
  final class Builder {
    private @Nullable TenantRegistry registry;
    private @Nullable TenantId onlyTenant;
    private Duration pollInterval = Duration.ofSeconds(30);
    private @Nullable Path lastKnownGood;
    private boolean watch = true;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The registry to read. Required (or {@link #client(DynamoDbClient, String)}). */
    public Builder registry(TenantRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Reads the registry table {@code tableName} with {@code client}. */
    public Builder client(DynamoDbClient client, String tableName) {
      return registry(TenantRegistry.builder().client(client).tableName(tableName).build());
    }

    /**
     * Serves this tenant only, read with one {@code GetItem} per refresh: for a silo stack,
     * whose role may read only its own tenant's item. Not set by default: the whole table.
     */
    public Builder onlyTenant(TenantId tenant) {
      this.onlyTenant = Objects.requireNonNull(tenant, "tenant");
      return this;
    }

    /**
     * How often the table is read; 30 seconds by default. A suspension or a record change takes
     * effect within one interval. Each refresh of a whole table is a consistent scan (about one
     * read unit per 4 KB of records); a silo reader's is one read unit.
     *
     * @throws IllegalArgumentException when not between 1 second and 1 hour
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Durations.requireBetween("pollInterval", interval, Duration.ofSeconds(1),
          Duration.ofHours(1));
      return this;
    }

    /**
     * A file to keep the last snapshot read from the table in (the catalog file format, written
     * atomically, readable by its owner only), and to serve when the registry cannot be read at
     * start. Not set by default: a start with the registry unreachable fails.
     */
    public Builder lastKnownGood(Path file) {
      this.lastKnownGood = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Whether a background thread polls the table; true by default. Turn it off where you call
     * {@link RegistryTenantCatalog#refresh()} yourself (a Lambda, once per invocation batch).
     */
    public Builder watch(boolean watch) {
      this.watch = watch;
      return this;
    }

    /** The clock for the health times; the system's UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Reads the registry (or, when it cannot be read, the last-known-good file) and starts
     * polling.
     *
     * @throws IllegalStateException when no registry was given
     * @throws TenantRegistryException when neither the registry nor a last-known-good file could
     *     be read; the message gives both reasons
     */
    public RegistryTenantCatalog build() {
      if (registry == null) {
        throw new IllegalStateException("registry is required (or client and tableName)");
      }
      return PollingRegistryCatalog.open(registry, onlyTenant, pollInterval, lastKnownGood,
          watch, clock);
    }
  }
}
