package dev.tenantkit.core.internal;

import dev.tenantkit.core.CatalogLoadException;
import dev.tenantkit.core.internal.JsonTree.Node;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One JSON object of a {@link JsonTree} being read field by field: {@link #only} refusing the
 * fields the schema does not know (a typo in a security setting must not be silently ignored),
 * then typed reads, each error naming the source, the line and the field path (such as
 * {@code tenants[1].database.port}).
 *
 * <p>Knows types, not the schema: which fields an object has is the codecs' business. A JSON
 * {@code null} reads as absent. Errors say what a value must be and what kind of value it was,
 * never the value itself (it may be a password), except where the value is one of a closed set
 * (an enum name, a URI) and is quoted safely.
 */
final class JsonFields {
  private final String source;
  private final Node node;
  private final Map<String, Node> fields;
  private final String path;

  private JsonFields(String source, Node node, Map<String, Node> fields, String path) {
    this.source = source;
    this.node = node;
    this.fields = fields;
    this.path = path;
  }

  /** The object {@code node}, found at {@code path} ("" for the document's root). */
  static JsonFields of(Node node, String path, String source) {
    Map<String, Node> fields = node.fields();
    if (fields == null) {
      throw new CatalogLoadException(source, node.line, path.isEmpty() ? "(root)" : path,
          "must be an object, was " + node.type(), null);
    }
    return new JsonFields(source, node, fields, path);
  }

  /** The path of {@code field} (a dotted path below this object). */
  String at(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  /**
   * An error at {@code field}, a dotted path below this object such as {@code storage.prefix}:
   * the line is that of the deepest part of the path the file has (the object's own line when
   * it has none of it).
   */
  CatalogLoadException error(String field, String problem) {
    Node at = node;
    @Nullable Map<String, Node> level = fields;
    for (String part : field.split("\\.", -1)) {
      Node n = level == null ? null : level.get(part);
      if (n == null) {
        break;
      }
      at = n;
      level = n.fields();
    }
    return new CatalogLoadException(source, at.line, at(field), problem, null);
  }

  /** The error for a required field that is absent. */
  CatalogLoadException missing(String field) {
    return error(field, "is required");
  }

  private @Nullable Node get(String field) {
    Node n = fields.get(field);
    return n == null || n.value == null ? null : n;
  }

  @Nullable String string(String field) {
    return scalar(field, String.class, "must be a string");
  }

  @Nullable Long integer(String field) {
    return scalar(field, Long.class, "must be an integer");
  }

  @Nullable Boolean bool(String field) {
    return scalar(field, Boolean.class, "must be true or false");
  }

  private <T> @Nullable T scalar(String field, Class<T> type, String rule) {
    Node n = get(field);
    if (n == null) {
      return null;
    }
    if (!type.isInstance(n.value)) {
      throw error(field, rule + ", was " + n.type());
    }
    return type.cast(n.value);
  }

  /** An enum constant by its name, in any case. */
  <E extends Enum<E>> @Nullable E enumValue(String field, Class<E> type) {
    String s = string(field);
    if (s == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw error(field, "must be one of " + Arrays.toString(type.getEnumConstants())
          + " (was " + SafeText.quote(s) + ")");
    }
  }

  @Nullable URI uri(String field) {
    String s = string(field);
    if (s == null) {
      return null;
    }
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      throw error(field, "must be a URI (was " + SafeText.quote(s) + ")");
    }
  }

  /** An array of strings, in file order, duplicates dropped. */
  @Nullable Set<String> strings(String field) {
    List<Node> items = array(field, "must be an array of strings");
    if (items == null) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (Node item : items) {
      if (!(item.value instanceof String)) {
        throw new CatalogLoadException(source, item.line, at(field),
            "must contain only strings, found " + item.type(), null);
      }
      out.add((String) item.value);
    }
    return out;
  }

  /** An object whose every value is a string, in file order. */
  @Nullable Map<String, String> stringMap(String field) {
    JsonFields o = object(field);
    if (o == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : o.fields.entrySet()) {
      Node value = e.getValue();
      if (!(value.value instanceof String)) {
        throw new CatalogLoadException(source, value.line, o.at(e.getKey()),
            "must be a string, was " + value.type(), null);
      }
      out.put(e.getKey(), (String) value.value);
    }
    return out;
  }

  /** A nested object, read by its own {@link JsonFields}. */
  @Nullable JsonFields object(String field) {
    Node n = get(field);
    return n == null ? null : of(n, at(field), source);
  }

  /** An array whose every item is an object; item {@code i} is at {@code field[i]}. */
  @Nullable List<JsonFields> objects(String field) {
    List<Node> items = array(field, "must be an array");
    if (items == null) {
      return null;
    }
    JsonFields[] out = new JsonFields[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = of(items.get(i), at(field) + "[" + i + "]", source);
    }
    return List.of(out);
  }

  private @Nullable List<Node> array(String field, String rule) {
    Node n = get(field);
    if (n == null) {
      return null;
    }
    List<Node> items = n.items();
    if (items == null) {
      throw error(field, rule + ", was " + n.type());
    }
    return items;
  }

  /**
   * Refuses the first field not in {@code known}, naming the ones this object may have. Called
   * before any field is read, so a misspelt field is reported as such, not as the field it was
   * meant to be being absent.
   */
  void only(List<String> known) {
    for (Map.Entry<String, Node> e : fields.entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new CatalogLoadException(source, e.getValue().line, at(e.getKey()),
            "unknown field (allowed here: " + String.join(", ", known) + ")", null);
      }
    }
  }
}
