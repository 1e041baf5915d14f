package dev.tenantkit.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tenantkit.core.InvalidTenantRecordException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A section of the catalog format (the tenant's own fields, or its identity, storage, database
 * or stack object): its {@link CatalogField}s in the order they are written, and how its builder
 * is made and built. Reading refuses unknown fields, reads every known one, then builds, so a record
 * rule the builder enforces (a prefix that must name the tenant, a schema BRIDGE needs) is
 * reported at the field it names, with that field's line.
 *
 * @param <R> the section's record
 * @param <B> its builder
 */
final class CatalogSection<R, B> {
  private final Supplier<B> builder;
  private final Function<B, R> build;
  private final List<CatalogField<R, B, ?>> fields;
  private final List<String> names;

  private CatalogSection(Supplier<B> builder, Function<B, R> build, List<CatalogField<R, B, ?>> fields) {
    this.builder = builder;
    this.build = build;
    this.fields = fields;
    List<String> names = new ArrayList<>(fields.size());
    for (CatalogField<R, B, ?> field : fields) {
      names.add(field.name());
    }
    this.names = List.copyOf(names);
  }

  /** A section with no fields yet; add them in the order they are written. */
  static <R, B> CatalogSection<R, B> of(Supplier<B> builder, Function<B, R> build) {
    return new CatalogSection<>(builder, build, List.of());
  }

  /** This section with {@code field} after the others. */
  CatalogSection<R, B> field(CatalogField<R, B, ?> field) {
    List<CatalogField<R, B, ?>> more = new ArrayList<>(fields);
    more.add(field);
    return new CatalogSection<>(builder, build, List.copyOf(more));
  }

  /** This section with {@code field}, refused when absent, after the others. */
  CatalogSection<R, B> required(CatalogField<R, B, ?> field) {
    return field(field.required());
  }

  /**
   * Reads the object {@code in} into a record.
   *
   * @param name the section's field name in its parent, or null for a top-level object: a record
   *     may name its fields with it in front ({@code federation.providerName}), which is then
   *     dropped so the path is not doubled
   */
  R read(JsonFields in, @Nullable String name) {
    in.only(names);
    B b = builder.get();
    for (CatalogField<R, B, ?> field : fields) {
      field.read(in, b);
    }
    try {
      return build.apply(b);
    } catch (InvalidTenantRecordException e) {
      String field = e.field();
      if (name != null && field.startsWith(name + ".")) {
        field = field.substring(name.length() + 1);
      }
      throw in.error(field, e.problem());
    }
  }

  /** Writes the record's fields (not the braces around them). */
  void writeFields(JsonGenerator g, R record) throws IOException {
    for (CatalogField<R, B, ?> field : fields) {
      field.write(g, record);
    }
  }
}
