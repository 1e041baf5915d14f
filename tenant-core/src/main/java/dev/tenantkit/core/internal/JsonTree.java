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
    if (notUtf8(json)) {
      // Jackson would guess UTF-16 or UTF-32 from zero bytes or a BOM (found by fuzzing: the
      // error then said only "cannot read"); a catalog is UTF-8, and a NUL is never valid JSON.
      throw new CatalogLoadException(source, 1, null, "not UTF-8 text (a catalog is UTF-8 JSON)", null);
    }
    JsonParser parser = null;
    try (JsonParser p = FACTORY.createParser(json)) {
      parser = p;
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
      // Named by the line the parser had reached (found by fuzzing: it used to say line 0).
      int line = parser == null ? 1 : Math.max(1, parser.currentLocation().getLineNr());
      throw new CatalogLoadException(source, line, null, "the file exceeds a parser limit (" + MAX_DEPTH
          + " levels of nesting, 64 KiB strings, 20-digit numbers)", e);
    } catch (JsonParseException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new CatalogLoadException(source, line, null, "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (com.fasterxml.jackson.core.exc.InputCoercionException e) {
      // A number too large for its type (found by fuzzing: it said "cannot read", no line).
      int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
      throw new CatalogLoadException(source, line, null, "a number is out of range", e);
    } catch (java.io.CharConversionException e) {
      throw new CatalogLoadException(source, 1, null, "not UTF-8 text (a catalog is UTF-8 JSON)", e);
    } catch (IOException e) {
      throw new CatalogLoadException(source, 0, null, "cannot read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** A zero byte among the first four, or a UTF-16 byte-order mark: not UTF-8 JSON. */
  private static boolean notUtf8(byte[] json) {
    for (int i = 0; i < Math.min(4, json.length); i++) {
      if (json[i] == 0) {
        return true;
      }
    }
    return json.length >= 2 && ((json[0] == (byte) 0xFE && json[1] == (byte) 0xFF)
        || (json[0] == (byte) 0xFF && json[1] == (byte) 0xFE));
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
