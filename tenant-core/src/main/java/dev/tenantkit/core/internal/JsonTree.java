package dev.tenantkit.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.tenantkit.core.CatalogLoadException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A JSON document parsed into a small tree whose every value remembers the line it started on,
 * because "invalid record" is useless without "which line". Knows nothing of the catalog's
 * schema: {@link JsonFields} reads the tree's objects field by field, the codecs say which
 * fields there are.
 *
 * <p>Jackson's streaming parser does the parsing, with bounds (nesting depth, string and number
 * length) so a hostile or mistaken file cannot exhaust the stack or the heap, and with duplicate
 * field names refused.
 */
final class JsonTree {
  private static final int MAX_DEPTH = 16;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH).maxStringLength(64 * 1024).maxNumberLength(20).build())
      .build();

  private JsonTree() {}

  /**
   * Parses one JSON value (and nothing after it).
   *
   * @param source names the document in errors, such as a file path
   * @throws CatalogLoadException for an empty document, a syntax error (with its line), a value
   *     past a parser limit, or a read failure
   */
  static Node parse(byte[] json, String source) {
    try (JsonParser p = FACTORY.createParser(json)) {
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (p.nextToken() == null) {
        throw new CatalogLoadException(source, 1, null, "the file is empty", null);
      }
      Node root = readValue(p, source);
      if (p.nextToken() != null) {
        throw new CatalogLoadException(source, line(p), null, "unexpected content after the catalog", null);
      }
      return root;
    } catch (StreamConstraintsException e) {
      throw new CatalogLoadException(source, 0, null, "the file exceeds a parser limit", e);
    } catch (JsonParseException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new CatalogLoadException(source, line, null, "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new CatalogLoadException(source, 0, null, "cannot read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
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

  /** A parsed value with the line it started on. */
  static final class Node {
    // Map<String, Node> (fields in file order), List<Node>, String, Long, Double, Boolean, or null.
    final @Nullable Object value;
    final int line;

    Node(@Nullable Object value, int line) {
      this.value = value;
      this.line = line;
    }

    /** The object's fields in file order, or null when this is not an object. */
    @SuppressWarnings("unchecked")
    @Nullable Map<String, Node> fields() {
      return value instanceof Map ? (Map<String, Node>) value : null;
    }

    /** The array's items, or null when this is not an array. */
    @SuppressWarnings("unchecked")
    @Nullable List<Node> items() {
      return value instanceof List ? (List<Node>) value : null;
    }

    /** What kind of value this is, for "must be ..., was ..." messages (never the value itself). */
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
}
