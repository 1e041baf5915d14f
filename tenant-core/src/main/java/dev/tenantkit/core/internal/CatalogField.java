package dev.tenantkit.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tenantkit.core.InvalidTenantIdException;
import dev.tenantkit.core.InvalidTenantRecordException;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * One field of a catalog section: its JSON name, how it is read into the section's builder and
 * how it is written from the section's record. Both directions come from this one declaration,
 * so a field name is spelled once and what is written is what is read.
 *
 * <p>Reading: an absent field (or JSON {@code null}) leaves the builder's default, unless the
 * field is {@link #required()}; a present one is type-checked by {@link JsonFields} and handed
 * to the builder, whose refusal is reported at this field's line. Writing: a field whose getter
 * answers null is left out, which is how each kind leaves out its default (a false flag, an
 * empty list).
 *
 * @param <R> the section's record
 * @param <B> the section's builder
 * @param <V> the field's value as the builder takes it
 */
final class CatalogField<R, B, V> {
  /** Reads the value of field {@code name}, type-checked; null when absent. */
  @FunctionalInterface
  interface Read<V> {
    @Nullable V read(JsonFields in, String name);
  }

  /** Writes {@code value} as field {@code name}. */
  @FunctionalInterface
  interface Write<V> {
    void write(JsonGenerator g, String name, V value) throws IOException;
  }

  private final String name;
  private final Read<V> read;
  private final BiConsumer<B, V> set;
  private final Function<R, @Nullable V> get;
  private final Write<V> write;
  private final boolean required;

  private CatalogField(String name, Read<V> read, BiConsumer<B, V> set, Function<R, @Nullable V> get,
      Write<V> write, boolean required) {
    this.name = name;
    this.read = read;
    this.set = set;
    this.get = get;
    this.write = write;
    this.required = required;
  }

  /** A string. */
  static <R, B> CatalogField<R, B, String> string(
      String name, Function<R, @Nullable String> get, BiConsumer<B, String> set) {
    return new CatalogField<>(name, JsonFields::string, set, get, JsonGenerator::writeStringField, false);
  }

  /** An enum constant, written by its name and read in any case. */
  static <R, B, E extends Enum<E>> CatalogField<R, B, E> enumValue(
      String name, Class<E> type, Function<R, @Nullable E> get, BiConsumer<B, E> set) {
    return new CatalogField<>(name, (in, n) -> in.enumValue(n, type), set, get,
        (g, n, v) -> g.writeStringField(n, v.name()), false);
  }

  /** A URI, written as its string. */
  static <R, B> CatalogField<R, B, URI> uri(String name, Function<R, @Nullable URI> get, BiConsumer<B, URI> set) {
    return new CatalogField<>(name, JsonFields::uri, set, get, (g, n, v) -> g.writeStringField(n, v.toString()),
        false);
  }

  /** A flag that is false unless set: written only when true. */
  static <R, B> CatalogField<R, B, Boolean> flag(String name, Predicate<R> get, BiConsumer<B, Boolean> set) {
    return new CatalogField<>(name, JsonFields::bool, set, r -> get.test(r) ? Boolean.TRUE : null,
        JsonGenerator::writeBooleanField, false);
  }

  /** A TCP port, 1 to 65535 (a JSON number: refused out of range before it could wrap to an int). */
  static <R, B> CatalogField<R, B, Long> port(String name, ToIntFunction<R> get, ObjIntConsumer<B> set) {
    return new CatalogField<>(name, JsonFields::integer, (b, v) -> set.accept(b, Checks.port(v, name)),
        r -> (long) get.applyAsInt(r), (g, n, v) -> g.writeNumberField(n, v), false);
  }

  /**
   * A whole number the record bounds itself (a JSON number: refused above an int before it could
   * wrap, and the record's own check names the field and its range).
   */
  static <R, B> CatalogField<R, B, Long> count(String name, ToIntFunction<R> get, ObjIntConsumer<B> set) {
    return new CatalogField<>(name, JsonFields::integer, (b, v) -> {
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw new InvalidTenantRecordException(name, "is out of range (was " + v + ")");
      }
      set.accept(b, v.intValue());
    }, r -> (long) get.applyAsInt(r), (g, n, v) -> g.writeNumberField(n, v), false);
  }

  /** A set of strings: written sorted, left out when empty. */
  static <R, B> CatalogField<R, B, Set<String>> strings(
      String name, Function<R, Set<String>> get, BiConsumer<B, Set<String>> set) {
    return new CatalogField<>(name, JsonFields::strings, set, r -> {
      Set<String> values = get.apply(r);
      return values.isEmpty() ? null : new TreeSet<>(values);
    }, (g, n, v) -> {
      g.writeArrayFieldStart(n);
      for (String s : v) {
        g.writeString(s);
      }
      g.writeEndArray();
    }, false);
  }

  /** A map of strings to strings: written sorted by key, always (an empty map as {@code {}}). */
  static <R, B> CatalogField<R, B, Map<String, String>> stringMap(
      String name, Function<R, Map<String, String>> get, BiConsumer<B, Map<String, String>> set) {
    return new CatalogField<>(name, JsonFields::stringMap, set, r -> new TreeMap<>(get.apply(r)), (g, n, v) -> {
      g.writeObjectFieldStart(n);
      for (Map.Entry<String, String> e : v.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }, false);
  }

  /** A nested section, read and written by its own codec. */
  static <R, B, S> CatalogField<R, B, S> section(
      String name, CatalogSection<S, ?> section, Function<R, @Nullable S> get, BiConsumer<B, S> set) {
    return new CatalogField<>(name, (in, n) -> {
      JsonFields object = in.object(n);
      return object == null ? null : section.read(object, n);
    }, set, get, (g, n, v) -> {
      g.writeObjectFieldStart(n);
      section.writeFields(g, v);
      g.writeEndObject();
    }, false);
  }

  /** The field's JSON name. */
  String name() {
    return name;
  }

  /** This field, refused with "is required" when absent. */
  CatalogField<R, B, V> required() {
    return new CatalogField<>(name, read, set, get, write, true);
  }

  /** Reads this field of {@code in} into {@code builder}; the builder's refusal names this field. */
  void read(JsonFields in, B builder) {
    V value = read.read(in, name);
    if (value == null) {
      if (required) {
        throw in.missing(name);
      }
      return;
    }
    try {
      set.accept(builder, value);
    } catch (InvalidTenantRecordException e) {
      throw in.error(name, e.problem());
    } catch (InvalidTenantIdException e) {
      throw in.error(name, java.util.Objects.requireNonNullElse(e.getMessage(), "is not a valid tenant id"));
    }
  }

  /** Writes this field of {@code record}, unless its getter answers null. */
  void write(JsonGenerator g, R record) throws IOException {
    V value = get.apply(record);
    if (value != null) {
      write.write(g, name, value);
    }
  }
}
