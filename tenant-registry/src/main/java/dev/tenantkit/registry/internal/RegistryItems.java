package dev.tenantkit.registry.internal;

import dev.tenantkit.core.CatalogLoadException;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantKitException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One registry item per tenant, both ways. The record is a document in the catalog file's own
 * format (one tenant), so one parser, the fuzzed one with line-and-field errors, reads the file
 * catalog, the last-known-good file and the registry. Beside it, the attributes DynamoDB needs
 * (the key, the version the conditional writes compare) and two an operator filters on in the
 * console (status, tier); the document is the truth, and an item whose key names another tenant
 * than its document is refused.
 */
public final class RegistryItems {
  /** The table's partition key (S): the tenant id. */
  public static final String KEY = "tenantId";
  /** The item's version (N): 1 when created, one more on each write. */
  public static final String VERSION = "version";
  /** The tenant record (S), in the catalog file format holding one tenant. */
  public static final String RECORD = "record";
  /** The record's format version (N). */
  public static final String FORMAT = "format";
  /** A copy of the record's status (S), for operators. */
  public static final String STATUS = "status";
  /** A copy of the record's tier (S), for operators. */
  public static final String TIER = "tier";
  /** When the item was last written (S, ISO-8601). */
  public static final String UPDATED_AT = "updatedAt";

  private static final int CURRENT_FORMAT = 1;

  private RegistryItems() {}

  /** The item for {@code tenant} at {@code version}. */
  public static Map<String, AttributeValue> toItem(Tenant tenant, long version, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(KEY, AttributeValue.fromS(tenant.id().value()));
    item.put(VERSION, AttributeValue.fromN(Long.toString(version)));
    item.put(FORMAT, AttributeValue.fromN(Integer.toString(CURRENT_FORMAT)));
    item.put(RECORD, AttributeValue.fromS(TenantCatalog.toJson(List.of(tenant))));
    item.put(STATUS, AttributeValue.fromS(tenant.status().name()));
    item.put(TIER, AttributeValue.fromS(tenant.tier().name()));
    item.put(UPDATED_AT, AttributeValue.fromS(now.toString()));
    return item;
  }

  /** An item read back: the record, its version and time. */
  public record Decoded(Tenant tenant, long version, Instant updatedAt) {}

  /**
   * Reads an item.
   *
   * @param source names the table in errors
   * @throws InvalidItemException naming the item's key and what is wrong with it
   */
  public static Decoded fromItem(Map<String, AttributeValue> item, String source) {
    String key = string(item, KEY);
    String where = source + " item " + (key == null ? "(no " + KEY + ")" : quoteKey(key));
    if (key == null) {
      throw new InvalidItemException(null, where + ": no " + KEY + " attribute of type S");
    }
    String record = string(item, RECORD);
    if (record == null) {
      throw new InvalidItemException(key, where + ": no " + RECORD + " attribute of type S");
    }
    long version = number(item, VERSION, key, where);
    if (version < 1) {
      throw new InvalidItemException(key, where + ": " + VERSION + " must be 1 or more, was " + version);
    }
    AttributeValue format = item.get(FORMAT);
    if (format != null && (format.n() == null || !format.n().equals(Integer.toString(CURRENT_FORMAT)))) {
      throw new InvalidItemException(key, where + ": unsupported " + FORMAT + " (this reader supports "
          + CURRENT_FORMAT + ")");
    }
    Collection<Tenant> tenants;
    try {
      tenants = TenantCatalog.fromJson(record, where + " " + RECORD).all();
    } catch (CatalogLoadException e) {
      throw new InvalidItemException(key, String.valueOf(e.getMessage()), e);
    }
    if (tenants.size() != 1) {
      throw new InvalidItemException(key, where + ": " + RECORD + " must hold exactly one tenant, holds "
          + tenants.size());
    }
    Tenant tenant = tenants.iterator().next();
    if (!tenant.id().value().equals(key)) {
      // Never trust the document over the key (or the reverse): an item keyed for one tenant that
      // carries another's record is refused whole.
      throw new InvalidItemException(key, where + ": " + RECORD + " is for tenant " + tenant.id()
          + ", not the item's key");
    }
    Instant updatedAt = Instant.EPOCH;
    String when = string(item, UPDATED_AT);
    if (when != null) {
      try {
        updatedAt = Instant.parse(when);
      } catch (DateTimeParseException e) {
        throw new InvalidItemException(key, where + ": " + UPDATED_AT + " is not an ISO-8601 instant");
      }
    }
    return new Decoded(tenant, version, updatedAt);
  }

  private static @Nullable String string(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  private static long number(Map<String, AttributeValue> item, String name, String key, String where) {
    AttributeValue v = item.get(name);
    if (v == null || v.n() == null) {
      throw new InvalidItemException(key, where + ": no " + name + " attribute of type N");
    }
    try {
      return Long.parseLong(v.n());
    } catch (NumberFormatException e) {
      throw new InvalidItemException(key, where + ": " + name + " is not a whole number");
    }
  }

  /** A key as it may appear in a message: escaped and short (it is data from the table). */
  public static String quoteKey(String key) {
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < key.length() && i < 64; i++) {
      char c = key.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (key.length() > 64) {
      out.append("...");
    }
    return out.append('\'').toString();
  }

  /** An item that is not a valid tenant record. */
  public static final class InvalidItemException extends TenantKitException {
    private static final long serialVersionUID = 1L;
    private final @Nullable String key;

    InvalidItemException(@Nullable String key, String message) {
      super(message);
      this.key = key;
    }

    InvalidItemException(@Nullable String key, String message, Throwable cause) {
      super(message, cause);
      this.key = key;
    }

    /** The item's key as stored, when it has one. */
    public @Nullable String key() {
      return key;
    }
  }
}
