package dev.tenantkit.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tenantkit.core.CatalogLoadException;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantId;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog file format, both ways: {@code {"version": 1, "tenants": [...]}}, each tenant read
 * and written by {@link TenantCodec}. Reading goes through {@link JsonTree} and
 * {@link JsonFields}, so every error (syntax, type, unknown field, invalid record, duplicate id)
 * names the line and the field path, such as {@code tenants[1].database.port}. Writing puts the
 * tenants in id order and each section's fields in a fixed order, so the same catalog is always
 * the same text; what is written reads back to equal records.
 */
public final class CatalogJson {
  private static final String VERSION = "version";
  private static final String TENANTS = "tenants";
  private static final long CURRENT_VERSION = 1;
  private static final JsonFactory FACTORY = new JsonFactory();

  private CatalogJson() {}

  /**
   * Parses and validates a catalog.
   *
   * @param source names the catalog in errors, such as its file path
   * @throws CatalogLoadException naming the line and field at fault
   */
  public static List<Tenant> read(byte[] json, String source) {
    JsonFields top = JsonFields.of(JsonTree.parse(json, source), "", source);
    top.only(List.of(VERSION, TENANTS));
    Long version = top.integer(VERSION);
    if (version != null && version != CURRENT_VERSION) {
      throw top.error(VERSION, "unsupported catalog version " + version + " (this reader supports "
          + CURRENT_VERSION + ")");
    }
    List<JsonFields> items = top.objects(TENANTS);
    if (items == null) {
      throw top.missing(TENANTS);
    }
    List<Tenant> tenants = new ArrayList<>(items.size());
    Map<TenantId, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Tenant tenant = TenantCodec.SECTION.read(items.get(i), null);
      Integer other = seen.put(tenant.id(), i);
      if (other != null) {
        throw items.get(i).error("id", "duplicate tenant id " + tenant.id() + " (also " + TENANTS + "["
            + other + "])");
      }
      tenants.add(tenant);
    }
    return tenants;
  }

  /** The catalog as JSON text, tenants in id order, ending in a newline. */
  public static String toJson(Collection<Tenant> tenants) {
    List<Tenant> sorted = new ArrayList<>(tenants);
    sorted.sort(Comparator.comparing(t -> t.id().value()));
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeNumberField(VERSION, CURRENT_VERSION);
      g.writeArrayFieldStart(TENANTS);
      for (Tenant t : sorted) {
        g.writeStartObject();
        TenantCodec.SECTION.writeFields(g, t);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + "\n";
  }
}
