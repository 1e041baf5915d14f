package dev.tenantkit.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.tenantkit.core.CatalogLoadException;
import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.InvalidTenantIdException;
import dev.tenantkit.core.InvalidTenantRecordException;
import dev.tenantkit.core.StackConfig;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads the catalog file format. Jackson's streaming parser builds a small tree that remembers
 * each value's line, so every error (syntax, type, unknown field, invalid record) names the line
 * and the field path, such as {@code tenants[1].database.port}. Unknown fields are errors: a typo
 * in a security setting must not be silently ignored.
 */
final class CatalogJson {
  private static final int MAX_DEPTH = 16;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH).maxStringLength(64 * 1024).maxNumberLength(20).build())
      .build();

  private CatalogJson() {}

  static List<Tenant> read(byte[] json, String source) {
    Node root;
    try (JsonParser p = FACTORY.createParser(json)) {
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new CatalogLoadException(source, 1, null, "the file is empty", null);
      }
      root = readValue(p, source);
      if (p.nextToken() != null) {
        throw new CatalogLoadException(source, line(p), null, "unexpected content after the catalog", null);
      }
    } catch (StreamConstraintsException e) {
      throw new CatalogLoadException(source, 0, null, "the file exceeds a parser limit", e);
    } catch (JsonParseException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new CatalogLoadException(source, line, null, "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new CatalogLoadException(source, 0, null, "cannot read (" + e.getClass().getSimpleName() + ")", e);
    }
    return new Reader(source).tenants(root);
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  /** A parsed value with the line it started on. */
  private static final class Node {
    final @Nullable Object value; // Map<String, Node>, List<Node>, String, Long, Double, Boolean, or null
    final int line;

    Node(@Nullable Object value, int line) {
      this.value = value;
      this.line = line;
    }

    String type() {
      if (value == null) {
        return "null";
      } else if (value instanceof Map) {
        return "an object";
      } else if (value instanceof List) {
        return "an array";
      } else if (value instanceof String) {
        return "a string";
      } else if (value instanceof Boolean) {
        return "a boolean";
      }
      return "a number";
    }
  }

  private static Node readValue(JsonParser p, String source) throws IOException {
    int line = line(p);
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        Map<String, Node> fields = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          fields.put(name, readValue(p, source));
        }
        return new Node(fields, line);
      }
      case START_ARRAY: {
        List<Node> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(p, source));
        }
        return new Node(items, line);
      }
      case VALUE_STRING:
        return new Node(p.getText(), line);
      case VALUE_NUMBER_INT:
        return new Node(p.getLongValue(), line);
      case VALUE_NUMBER_FLOAT:
        return new Node(p.getDoubleValue(), line);
      case VALUE_TRUE:
      case VALUE_FALSE:
        return new Node(p.getBooleanValue(), line);
      case VALUE_NULL:
        return new Node(null, line);
      default:
        throw new CatalogLoadException(source, line, null, "unexpected token " + t, null);
    }
  }

  /** Walks the tree into records, keeping the current path for error messages. */
  private static final class Reader {
    private final String source;

    Reader(String source) {
      this.source = source;
    }

    List<Tenant> tenants(Node root) {
      Obj top = obj(root, "");
      Long version = top.optLong("version");
      if (version != null && version != 1) {
        throw top.error("version", "unsupported catalog version " + version + " (this reader supports 1)");
      }
      Node list = top.required("tenants");
      if (!(list.value instanceof List)) {
        throw error(list, "tenants", "must be an array, was " + list.type());
      }
      top.finish();
      List<Tenant> tenants = new ArrayList<>();
      Map<TenantId, Integer> seen = new HashMap<>();
      @SuppressWarnings("unchecked")
      List<Node> items = (List<Node>) list.value;
      for (int i = 0; i < items.size(); i++) {
        String path = "tenants[" + i + "]";
        Tenant tenant = tenant(obj(items.get(i), path));
        Integer other = seen.put(tenant.id(), i);
        if (other != null) {
          throw error(items.get(i), path + ".id",
              "duplicate tenant id " + tenant.id() + " (also tenants[" + other + "])");
        }
        tenants.add(tenant);
      }
      return tenants;
    }

    private Tenant tenant(Obj o) {
      Tenant.Builder b = Tenant.builder();
      String id = o.requiredString("id");
      try {
        b.id(TenantId.of(id));
      } catch (InvalidTenantIdException e) {
        throw o.error("id", e.getMessage());
      }
      o.guard("tier", () -> b.tier(o.requiredString("tier")));
      String status = o.optString("status");
      b.status(status == null ? TenantStatus.ACTIVE : o.enumValue("status", status, TenantStatus.class));
      o.guard("statusReason", () -> b.statusReason(o.optString("statusReason")));
      Obj identity = o.optObj("identity");
      if (identity != null) {
        b.identity(identity.build(this::identity));
      }
      Obj storage = o.optObj("storage");
      if (storage != null) {
        b.storage(storage.build(this::storage));
      }
      Obj database = o.optObj("database");
      if (database != null) {
        b.database(database.build(this::database));
      }
      Obj stack = o.optObj("stack");
      if (stack != null) {
        b.stack(stack.build(this::stack));
      }
      o.finish();
      return b.build();
    }

    private IdentityConfig identity(Obj o) {
      IdentityConfig.Builder b = IdentityConfig.builder()
          .issuer(o.optString("issuer"))
          .userPoolId(o.optString("userPoolId"))
          .region(o.optString("region"))
          .appClientIds(o.stringSet("appClientIds"))
          .sharedIssuer(Boolean.TRUE.equals(o.optBoolean("sharedIssuer")))
          .jwksUri(o.optString("jwksUri"))
          .anyClient(Boolean.TRUE.equals(o.optBoolean("anyClient")))
          .audience(o.optString("audience"))
          .groupClaim(o.optString("groupClaim"));
      String claim = o.optString("tenantClaim");
      if (claim != null) {
        b.tenantClaim(claim);
      }
      Obj fed = o.optObj("federation");
      if (fed != null) {
        b.federation(fed.build(f -> {
          String type = f.requiredString("providerType");
          String url = f.optString("metadataUrl");
          return new IdentityConfig.Federation(f.requiredString("providerName"),
              f.enumValue("providerType", type, IdentityConfig.ProviderType.class),
              url == null ? null : java.net.URI.create(url));
        }));
      }
      return b.build();
    }

    private StorageConfig storage(Obj o) {
      return StorageConfig.builder()
          .layout(o.enumValue("layout", o.requiredString("layout"), StorageConfig.StorageLayout.class))
          .bucket(o.optString("bucket"))
          .prefix(o.optString("prefix"))
          .accessPointArn(o.optString("accessPointArn"))
          .region(o.optString("region"))
          .kmsKeyArn(o.optString("kmsKeyArn"))
          .roleArn(o.optString("roleArn"))
          .build();
    }

    private DatabaseConfig database(Obj o) {
      DatabaseConfig.Builder b = DatabaseConfig.builder();
      String engine = o.optString("engine");
      if (engine != null) {
        b.engine(o.enumValue("engine", engine, DatabaseConfig.DatabaseEngine.class));
      }
      Long port = o.optLong("port");
      if (port != null) {
        if (port < 1 || port > 65535) {
          throw o.error("port", "must be between 1 and 65535 (was " + port + ")");
        }
        b.port(port.intValue());
      }
      return b.isolation(o.enumValue("isolation", o.requiredString("isolation"),
              DatabaseConfig.IsolationMode.class))
          .host(o.optString("host"))
          .database(o.optString("database"))
          .schema(o.optString("schema"))
          .user(o.optString("user"))
          .credentials(o.enumValue("credentials", o.requiredString("credentials"),
              DatabaseConfig.CredentialsSource.class))
          .secretArn(o.optString("secretArn"))
          .region(o.optString("region"))
          .password(o.optString("password"))
          .build();
    }

    private StackConfig stack(Obj o) {
      return StackConfig.builder()
          .name(o.optString("name"))
          .region(o.optString("region"))
          .albDnsName(o.optString("albDnsName"))
          .outputs(o.stringMap("outputs"))
          .build();
    }

    Obj obj(Node node, String path) {
      if (!(node.value instanceof Map)) {
        throw error(node, path.isEmpty() ? "(root)" : path, "must be an object, was " + node.type());
      }
      @SuppressWarnings("unchecked")
      Map<String, Node> fields = (Map<String, Node>) node.value;
      return new Obj(node, fields, path);
    }

    CatalogLoadException error(Node node, String path, String problem) {
      return new CatalogLoadException(source, node.line, path, problem, null);
    }

    /** One JSON object being read: tracks which fields were used, to refuse unknown ones. */
    final class Obj {
      private final Node node;
      private final Map<String, Node> fields;
      private final String path;
      private final Set<String> used = new LinkedHashSet<>();

      Obj(Node node, Map<String, Node> fields, String path) {
        this.node = node;
        this.fields = fields;
        this.path = path;
      }

      private String at(String field) {
        return path.isEmpty() ? field : path + "." + field;
      }

      CatalogLoadException error(String field, String problem) {
        Node n = fields.get(field);
        return Reader.this.error(n == null ? node : n, at(field), problem);
      }

      private @Nullable Node get(String field) {
        used.add(field);
        Node n = fields.get(field);
        return n == null || n.value == null ? null : n;
      }

      Node required(String field) {
        Node n = get(field);
        if (n == null) {
          throw Reader.this.error(node, at(field), "is required");
        }
        return n;
      }

      String requiredString(String field) {
        String s = optString(field);
        if (s == null) {
          throw Reader.this.error(node, at(field), "is required");
        }
        return s;
      }

      @Nullable String optString(String field) {
        Node n = get(field);
        if (n == null) {
          return null;
        }
        if (!(n.value instanceof String)) {
          throw error(field, "must be a string, was " + n.type());
        }
        return (String) n.value;
      }

      @Nullable Long optLong(String field) {
        Node n = get(field);
        if (n == null) {
          return null;
        }
        if (!(n.value instanceof Long)) {
          throw error(field, "must be an integer, was " + n.type());
        }
        return (Long) n.value;
      }

      @Nullable Boolean optBoolean(String field) {
        Node n = get(field);
        if (n == null) {
          return null;
        }
        if (!(n.value instanceof Boolean)) {
          throw error(field, "must be true or false, was " + n.type());
        }
        return (Boolean) n.value;
      }

      Set<String> stringSet(String field) {
        Node n = get(field);
        Set<String> out = new LinkedHashSet<>();
        if (n == null) {
          return out;
        }
        if (!(n.value instanceof List)) {
          throw error(field, "must be an array of strings, was " + n.type());
        }
        @SuppressWarnings("unchecked")
        List<Node> items = (List<Node>) n.value;
        for (Node item : items) {
          if (!(item.value instanceof String)) {
            throw Reader.this.error(item, at(field), "must contain only strings, found " + item.type());
          }
          out.add((String) item.value);
        }
        return out;
      }

      Map<String, String> stringMap(String field) {
        Obj o = optObj(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (o == null) {
          return out;
        }
        for (Map.Entry<String, Node> e : o.fields.entrySet()) {
          if (!(e.getValue().value instanceof String)) {
            throw Reader.this.error(e.getValue(), o.at(e.getKey()), "must be a string, was " + e.getValue().type());
          }
          out.put(e.getKey(), (String) e.getValue().value);
        }
        return out;
      }

      @Nullable Obj optObj(String field) {
        Node n = get(field);
        return n == null ? null : obj(n, at(field));
      }

      <E extends Enum<E>> E enumValue(String field, String value, Class<E> type) {
        try {
          return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw error(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants())
              + " (was " + SafeText.quote(value) + ")");
        }
      }

      /** Runs a builder step; maps a record validation error to this object's field and line. */
      void guard(String field, Runnable step) {
        try {
          step.run();
        } catch (InvalidTenantRecordException e) {
          throw error(field, e.problem());
        }
      }

      /** Builds a section; a validation error is reported at the field it names, with its line. */
      <T> T build(Function<Obj, T> builder) {
        T result;
        try {
          result = builder.apply(this);
        } catch (InvalidTenantRecordException e) {
          String first = e.field().contains(".") ? e.field().substring(0, e.field().indexOf('.')) : e.field();
          Node n = fields.get(first);
          throw Reader.this.error(n == null ? node : n, at(e.field()), e.problem());
        }
        finish();
        return result;
      }

      void finish() {
        for (Map.Entry<String, Node> e : fields.entrySet()) {
          if (!used.contains(e.getKey())) {
            throw Reader.this.error(e.getValue(), at(e.getKey()),
                "unknown field (allowed here: " + String.join(", ", used) + ")");
          }
        }
      }
    }
  }
}
