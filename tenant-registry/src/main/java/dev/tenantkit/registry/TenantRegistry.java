package dev.tenantkit.registry;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.registry.internal.RegistryItems;
import dev.tenantkit.registry.internal.RegistryItems.Decoded;
import dev.tenantkit.registry.internal.RegistryItems.InvalidItemException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The tenant registry: one DynamoDB table, one item per tenant, that onboarding writes and every
 * instance and Lambda of a fleet reads ({@link RegistryTenantCatalog}). The AWS-native home for
 * tenant records, as AWS's SaaS reference toolkits keep theirs.
 *
 * <p>Every write is conditional on the version the writer read: two operators changing one tenant
 * at once never lose an update; the second gets a {@link RegistryConflictException} (or, through
 * {@link #update}, re-reads and applies its change again). Writes are also checked against every
 * other tenant of the table with the catalog's rules between tenants (no shared bucket, prefix,
 * database, issuer and client, stack), so an overlapping record is refused before it is written,
 * and no write but its own fix passes while an item cannot be read. Two writers racing past the
 * check at once could both write; whole-table readers check the same rules on every refresh and
 * refuse such a table, while a silo stack's reader sees its own item only (docs/registry.md).
 *
 * <p>The table: partition key {@code tenantId} (S), no sort key, on-demand capacity; the item's
 * attributes are in {@code docs/registry.md}. In AWS, create it with tenant-provision's
 * {@code TenantRegistryTable}; {@link #createTable} is for local and test use.
 *
 * <pre>{@code
 * TenantRegistry registry = TenantRegistry.builder().client(dynamoDb).tableName("tenantkit-tenants").build();
 * registry.create(tenant);
 * registry.update(tenant.id(), t -> t.toBuilder().status(TenantStatus.SUSPENDED).build());
 * }</pre>
 */
public final class TenantRegistry {
  /** The table's partition key (a string attribute): the tenant id. */
  public static final String PARTITION_KEY = RegistryItems.KEY;
  private static final Logger LOG = LoggerFactory.getLogger(TenantRegistry.class);
  /** DynamoDB's table-name rule. */
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

  private final DynamoDbClient client;
  private final String table;
  private final Clock clock;
  private final int maxUpdateAttempts;

  private TenantRegistry(DynamoDbClient client, String table, Clock clock, int maxUpdateAttempts) {
    this.client = client;
    this.table = table;
    this.clock = clock;
    this.maxUpdateAttempts = maxUpdateAttempts;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The table's name. */
  public String tableName() {
    return table;
  }

  /**
   * The tenant's item, read with a strongly consistent read.
   *
   * @throws TenantRegistryException when the table cannot be read or the item is not a valid record
   */
  public Optional<VersionedTenant> get(TenantId id) {
    Objects.requireNonNull(id, "id");
    GetItemResponse response = call("GetItem", () -> client.getItem(b -> b.tableName(table)
        .key(Map.of(RegistryItems.KEY, AttributeValue.fromS(id.value()))).consistentRead(true)));
    if (!response.hasItem() || response.item().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(decode(response.item()));
  }

  /**
   * Every valid item of the table (a strongly consistent scan, all pages), in id order.
   *
   * @throws TenantRegistryException when the table cannot be read, or when an item is invalid
   *     (its key and the reason named); {@link RegistryTenantCatalog} instead serves the valid
   *     items and reports the invalid ones
   */
  public List<VersionedTenant> all() {
    Scan scan = scan();
    if (!scan.refused().isEmpty()) {
      Map.Entry<String, String> first = scan.refused().entrySet().iterator().next();
      throw new TenantRegistryException(first.getValue(), null);
    }
    return scan.valid();
  }

  /**
   * Writes a new tenant: refused if an item with its id exists (whatever its state).
   *
   * @return the item as written, version 1
   * @throws RegistryConflictException when the tenant exists
   * @throws dev.tenantkit.core.TenantOverlapException when the record shares a wall with another
   *     tenant's
   * @throws TenantRegistryException when the table cannot be read or written
   */
  public VersionedTenant create(Tenant tenant) {
    Objects.requireNonNull(tenant, "tenant");
    checkAgainstTable(tenant);
    VersionedTenant written = new VersionedTenant(tenant, 1, clock.instant());
    try {
      call("PutItem", () -> client.putItem(b -> b.tableName(table)
          .item(RegistryItems.toItem(tenant, 1, written.updatedAt()))
          .conditionExpression("attribute_not_exists(#k)")
          .expressionAttributeNames(Map.of("#k", RegistryItems.KEY))));
    } catch (ConditionFailed e) {
      throw new RegistryConflictException(table, tenant.id(), 0, "already exists; create refused");
    }
    LOG.info("registry={} tenant={} created status={} version=1", table, tenant.id(), tenant.status());
    return written;
  }

  /**
   * Writes many new tenants at once, as when moving a catalog file into the registry: the whole
   * table with all of them is checked once against the rules between tenants, then each is
   * created. Idempotent: a tenant whose item already holds an equal record is skipped, so an
   * import that stopped half-way can be run again.
   *
   * @return how many items were written
   * @throws RegistryConflictException when a tenant exists with a different record (the tenants
   *     before it in {@code tenants}' order are written)
   * @throws dev.tenantkit.core.TenantOverlapException when two of them, or one of them and a
   *     tenant of the table, share a wall; nothing is written
   * @throws IllegalArgumentException when {@code tenants} names one tenant twice
   */
  public int createAll(java.util.Collection<Tenant> tenants) {
    Map<TenantId, Tenant> incoming = new LinkedHashMap<>();
    for (Tenant t : tenants) {
      if (incoming.put(t.id(), t) != null) {
        throw new IllegalArgumentException("tenant " + t.id() + " is named twice");
      }
    }
    Scan scan = scan();
    if (!scan.refused().isEmpty()) {
      Map.Entry<String, String> first = scan.refused().entrySet().iterator().next();
      throw new TenantRegistryException("registry table " + table + ": item " + RegistryItems.quoteKey(first.getKey())
          + " is not a valid record, so the walls it holds cannot be checked; fix or delete it before importing ("
          + first.getValue() + ")", null);
    }
    Map<TenantId, VersionedTenant> existing = new HashMap<>();
    for (VersionedTenant v : scan.valid()) {
      existing.put(v.tenant().id(), v);
    }
    TenantCatalog.inMemory(incoming.values()); // the rules among the imported tenants
    for (VersionedTenant v : existing.values()) {
      for (Tenant t : incoming.values()) {
        if (!t.id().equals(v.tenant().id())) {
          TenantCatalog.inMemory(v.tenant(), t); // and between each of them and the table's
        }
      }
    }
    int written = 0;
    java.time.Instant now = clock.instant();
    for (Tenant t : incoming.values()) {
      VersionedTenant there = existing.get(t.id());
      if (there != null && there.tenant().equals(t)) {
        continue;
      }
      try {
        call("PutItem", () -> client.putItem(b -> b.tableName(table).item(RegistryItems.toItem(t, 1, now))
            .conditionExpression("attribute_not_exists(#k)").expressionAttributeNames(Map.of("#k", RegistryItems.KEY))));
      } catch (ConditionFailed e) {
        throw new RegistryConflictException(table, t.id(), 0, "already exists with another record; import stopped");
      }
      written++;
    }
    LOG.info("registry={} imported {} of {} tenants", table, written, incoming.size());
    return written;
  }

  /**
   * Replaces the tenant's record, if its item is still at {@code expectedVersion}.
   *
   * @return the item as written, at {@code expectedVersion + 1}
   * @throws RegistryConflictException when the item is at another version or gone
   * @throws dev.tenantkit.core.TenantOverlapException when the record shares a wall with another
   *     tenant's
   * @throws TenantRegistryException when the table cannot be read or written
   */
  public VersionedTenant replace(Tenant tenant, long expectedVersion) {
    Objects.requireNonNull(tenant, "tenant");
    if (expectedVersion < 1) {
      throw new IllegalArgumentException("expectedVersion must be 1 or more (use create for a new tenant), was "
          + expectedVersion);
    }
    checkAgainstTable(tenant);
    VersionedTenant written = new VersionedTenant(tenant, expectedVersion + 1, clock.instant());
    try {
      call("PutItem", () -> client.putItem(b -> b.tableName(table)
          .item(RegistryItems.toItem(tenant, written.version(), written.updatedAt()))
          .conditionExpression("#v = :expected")
          .expressionAttributeNames(Map.of("#v", RegistryItems.VERSION))
          .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(expectedVersion))))));
    } catch (ConditionFailed e) {
      throw new RegistryConflictException(table, tenant.id(), expectedVersion,
          "changed since version " + expectedVersion + " was read (or was deleted); replace refused");
    }
    LOG.info("registry={} tenant={} replaced status={} version={}", table, tenant.id(), tenant.status(),
        written.version());
    return written;
  }

  /**
   * Reads the tenant, applies {@code change} and writes the result conditionally, again from a
   * fresh read when another writer got there first (up to the builder's attempts). {@code change}
   * may run more than once, so it must be a pure function of the record it is given.
   *
   * @return the item as written; the same item, unwritten, when {@code change} returned an equal
   *     record
   * @throws dev.tenantkit.core.UnknownTenantException when there is no such tenant
   * @throws IllegalArgumentException when {@code change} returns a record with another id
   * @throws RegistryConflictException when every attempt lost to another writer
   */
  public VersionedTenant update(TenantId id, UnaryOperator<Tenant> change) {
    Objects.requireNonNull(change, "change");
    RegistryConflictException lost = null;
    for (int attempt = 1; attempt <= maxUpdateAttempts; attempt++) {
      VersionedTenant current = get(id).orElseThrow(() -> new dev.tenantkit.core.UnknownTenantException(id));
      Tenant next = Objects.requireNonNull(change.apply(current.tenant()), "change returned null");
      if (!next.id().equals(id)) {
        throw new IllegalArgumentException("change must keep the tenant id " + id + ", returned " + next.id());
      }
      if (next.equals(current.tenant())) {
        return current;
      }
      try {
        return replace(next, current.version());
      } catch (RegistryConflictException e) {
        lost = e;
        LOG.debug("registry={} tenant={} update attempt {} lost to another writer", table, id, attempt);
      }
    }
    throw new RegistryConflictException(table, id, Objects.requireNonNull(lost).expectedVersion(),
        "changed under each of " + maxUpdateAttempts + " attempts to update it; update refused");
  }

  /**
   * Deletes the tenant's item, if it is still at {@code expectedVersion}. Offboarding normally
   * keeps the item with status OFFBOARDED (an audit trail, and its walls stay reserved); delete is
   * for records that never served.
   *
   * @throws RegistryConflictException when the item is at another version or gone
   */
  public void delete(TenantId id, long expectedVersion) {
    Objects.requireNonNull(id, "id");
    try {
      call("DeleteItem", () -> client.deleteItem(b -> b.tableName(table)
          .key(Map.of(RegistryItems.KEY, AttributeValue.fromS(id.value())))
          .conditionExpression("#v = :expected")
          .expressionAttributeNames(Map.of("#v", RegistryItems.VERSION))
          .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(expectedVersion))))));
    } catch (ConditionFailed e) {
      throw new RegistryConflictException(table, id, expectedVersion,
          "changed since version " + expectedVersion + " was read (or was deleted); delete refused");
    }
    LOG.info("registry={} tenant={} deleted version={}", table, id, expectedVersion);
  }

  /**
   * Creates the registry table (on-demand capacity) and waits until it is active: for local and
   * test use. In AWS, tenant-provision's {@code TenantRegistryTable} creates it with point-in-time
   * recovery, deletion protection and encryption.
   */
  public static void createTable(DynamoDbClient client, String tableName) {
    requireTableName(tableName);
    client.createTable(b -> b.tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(AttributeDefinition.builder().attributeName(RegistryItems.KEY)
            .attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName(RegistryItems.KEY).keyType(KeyType.HASH).build()));
    client.waiter().waitUntilTableExists(b -> b.tableName(tableName));
  }

  /** Valid items and, by key, why the others were refused. */
  record Scan(List<VersionedTenant> valid, Map<String, String> refused) {}

  /** Reads the whole table; invalid items are reported, not thrown. */
  Scan scan() {
    List<VersionedTenant> valid = new ArrayList<>();
    Map<String, String> refused = new LinkedHashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page = call("Scan", () -> client.scan(ScanRequest.builder().tableName(table).consistentRead(true)
          .exclusiveStartKey(from).build()));
      for (Map<String, AttributeValue> item : page.items()) {
        try {
          valid.add(decodeOrThrow(item));
        } catch (InvalidItemException e) {
          String key = e.key();
          // Keys are table data: a key that is not plain text is reported quoted and escaped.
          refused.put(key == null ? "(no key)" : key.matches("[a-z0-9-]{1,64}") ? key : RegistryItems.quoteKey(key),
              String.valueOf(e.getMessage()));
        }
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    valid.sort((a, b) -> a.tenant().id().compareTo(b.tenant().id()));
    return new Scan(valid, refused);
  }

  /** Decodes an item; an invalid one is a TenantRegistryException naming it. */
  VersionedTenant decode(Map<String, AttributeValue> item) {
    try {
      return decodeOrThrow(item);
    } catch (InvalidItemException e) {
      throw new TenantRegistryException(String.valueOf(e.getMessage()), null);
    }
  }

  private VersionedTenant decodeOrThrow(Map<String, AttributeValue> item) {
    Decoded d = RegistryItems.fromItem(item, "registry table " + table);
    return new VersionedTenant(d.tenant(), d.version(), d.updatedAt());
  }

  /**
   * {@code tenant} must keep the catalog's rules with every other tenant of the table, checked
   * pair by pair: a record that shares a wall with another is refused (TenantOverlapException,
   * naming both and the field). Two other records that already break a rule (written past this
   * check) do not block an unrelated write, or the fix of one of them; readers refuse to serve the
   * table until they are fixed. An item that cannot be read blocks every write but its own fix:
   * its walls cannot be checked, so a record taking them could otherwise be written.
   */
  private void checkAgainstTable(Tenant tenant) {
    Scan scan = scan();
    for (Map.Entry<String, String> refused : scan.refused().entrySet()) {
      if (!refused.getKey().equals(tenant.id().value())) {
        throw new TenantRegistryException("registry table " + table + ": item " + RegistryItems.quoteKey(refused.getKey())
            + " is not a valid record, so the walls it holds cannot be checked; fix or delete it before writing "
            + "tenant " + tenant.id() + " (" + refused.getValue() + ")", null);
      }
    }
    for (VersionedTenant other : scan.valid()) {
      if (!other.tenant().id().equals(tenant.id())) {
        TenantCatalog.inMemory(other.tenant(), tenant); // the rules between the two: throws on a shared wall
      }
    }
  }

  /** A DynamoDB call, its failures turned into a TenantRegistryException naming table and operation. */
  private <T> T call(String operation, java.util.function.Supplier<T> request) {
    try {
      return request.get();
    } catch (ConditionalCheckFailedException e) {
      throw new ConditionFailed();
    } catch (ResourceNotFoundException e) {
      throw new TenantRegistryException("registry table " + table + ": " + operation
          + " failed: the table does not exist (in this account and Region)", e);
    } catch (DynamoDbException e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode() + ": ";
      throw new TenantRegistryException("registry table " + table + ": " + operation + " failed: " + code
          + (e.awsErrorDetails() == null ? String.valueOf(e.getMessage()) : e.awsErrorDetails().errorMessage()), e);
    } catch (SdkException e) {
      throw new TenantRegistryException("registry table " + table + ": " + operation
          + " failed (DynamoDB not reachable?): " + String.valueOf(e.getMessage()), e);
    }
  }

  /** A conditional write's condition did not hold; turned into a conflict by the caller. */
  private static final class ConditionFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConditionFailed() {
      super(null, null, false, false);
    }
  }

  private static String requireTableName(@Nullable String name) {
    if (name == null || !TABLE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("tableName must be 3 to 255 letters, digits, '_', '-' or '.', was "
          + (name == null ? "null" : RegistryItems.quoteKey(name)));
    }
    return name;
  }

  /** Builds a {@link TenantRegistry}. */
  public static final class Builder {
    private @Nullable DynamoDbClient client;
    private @Nullable String table;
    private Clock clock = Clock.systemUTC();
    private int maxUpdateAttempts = 8;

    private Builder() {}

    /** The DynamoDB client (the application's: its Region, credentials and HTTP client). Required. */
    public Builder client(DynamoDbClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * The registry table's name. Required.
     *
     * @throws IllegalArgumentException when it is not a valid DynamoDB table name
     */
    public Builder tableName(String tableName) {
      this.table = requireTableName(tableName);
      return this;
    }

    /** The clock for {@code updatedAt}; the system's UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How often {@link TenantRegistry#update} reads and tries again after losing to another
     * writer; 8 by default.
     *
     * @throws IllegalArgumentException when not between 1 and 100
     */
    public Builder maxUpdateAttempts(int attempts) {
      if (attempts < 1 || attempts > 100) {
        throw new IllegalArgumentException("maxUpdateAttempts must be between 1 and 100, was " + attempts);
      }
      this.maxUpdateAttempts = attempts;
      return this;
    }

    /**
     * Builds the registry (no call to DynamoDB yet).
     *
     * @throws IllegalStateException naming the missing setting
     */
    public TenantRegistry build() {
      if (client == null) {
        throw new IllegalStateException("client is required (the application's DynamoDbClient)");
      }
      if (table == null) {
        throw new IllegalStateException("tableName is required");
      }
      return new TenantRegistry(client, table, clock, maxUpdateAttempts);
    }
  }
}
