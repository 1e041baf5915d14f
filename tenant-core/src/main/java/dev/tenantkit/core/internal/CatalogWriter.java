package dev.tenantkit.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.StackConfig;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.Tenant;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Writes the catalog file format (what {@link CatalogJson} reads), in id order, fields stable. */
public final class CatalogWriter {
  private static final JsonFactory FACTORY = new JsonFactory();

  private CatalogWriter() {}

  public static String toJson(Collection<Tenant> tenants) {
    List<Tenant> sorted = new ArrayList<>(tenants);
    sorted.sort(Comparator.comparing(t -> t.id().value()));
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeNumberField("version", 1);
      g.writeArrayFieldStart("tenants");
      for (Tenant t : sorted) {
        tenant(g, t);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out + "\n";
  }

  /** Writes to a temporary file in the same directory, then renames it over {@code path}. */
  public static void write(Path path, Collection<Tenant> tenants) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".catalog-", ".tmp");
    try {
      Files.writeString(tmp, toJson(tenants), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void tenant(JsonGenerator g, Tenant t) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", t.id().value());
    g.writeStringField("tier", t.tier().name());
    g.writeStringField("status", t.status().name());
    opt(g, "statusReason", t.statusReason().orElse(null));
    if (t.identity().isPresent()) {
      identity(g, t.identity().get());
    }
    if (t.storage().isPresent()) {
      StorageConfig s = t.storage().get();
      g.writeObjectFieldStart("storage");
      g.writeStringField("layout", s.layout().name());
      opt(g, "bucket", s.bucket());
      opt(g, "prefix", s.prefix());
      opt(g, "accessPointArn", s.accessPointArn());
      opt(g, "region", s.region());
      opt(g, "kmsKeyArn", s.kmsKeyArn());
      opt(g, "roleArn", s.roleArn());
      g.writeEndObject();
    }
    if (t.database().isPresent()) {
      DatabaseConfig d = t.database().get();
      g.writeObjectFieldStart("database");
      g.writeStringField("engine", d.engine().name());
      g.writeStringField("isolation", d.isolation().name());
      g.writeStringField("host", d.host());
      g.writeNumberField("port", d.port());
      g.writeStringField("database", d.database());
      opt(g, "schema", d.schema());
      g.writeStringField("user", d.user());
      g.writeStringField("credentials", d.credentials().name());
      opt(g, "secretArn", d.secretArn());
      opt(g, "region", d.region());
      opt(g, "password", d.password());
      g.writeEndObject();
    }
    if (t.stack().isPresent()) {
      StackConfig s = t.stack().get();
      g.writeObjectFieldStart("stack");
      g.writeStringField("name", s.name());
      opt(g, "region", s.region());
      opt(g, "albDnsName", s.albDnsName());
      g.writeObjectFieldStart("outputs");
      for (Map.Entry<String, String> e : new TreeMap<>(s.outputs()).entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void identity(JsonGenerator g, IdentityConfig i) throws IOException {
    g.writeObjectFieldStart("identity");
    g.writeStringField("issuer", i.issuer().toString());
    opt(g, "userPoolId", i.userPoolId());
    opt(g, "region", i.region());
    if (!i.appClientIds().isEmpty()) {
      g.writeArrayFieldStart("appClientIds");
      for (String id : new TreeSet<>(i.appClientIds())) {
        g.writeString(id);
      }
      g.writeEndArray();
    }
    if (i.anyClient()) {
      g.writeBooleanField("anyClient", true);
    }
    opt(g, "audience", i.audience());
    g.writeStringField("tenantClaim", i.tenantClaim());
    if (!i.groupClaimIsDefault()) {
      g.writeStringField("groupClaim", i.groupClaim());
    }
    if (i.sharedIssuer()) {
      g.writeBooleanField("sharedIssuer", true);
    }
    opt(g, "jwksUri", i.jwksUri() == null ? null : i.jwksUri().toString());
    if (i.federation() != null) {
      IdentityConfig.Federation f = i.federation();
      g.writeObjectFieldStart("federation");
      g.writeStringField("providerName", f.providerName());
      g.writeStringField("providerType", f.providerType().name());
      opt(g, "metadataUrl", f.metadataUrl() == null ? null : f.metadataUrl().toString());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void opt(JsonGenerator g, String name, @Nullable String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }
}
