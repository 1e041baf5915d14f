package dev.tenantkit.examples.documents;

import dev.tenantkit.core.TenantContext;
import dev.tenantkit.storage.InvalidObjectKeyException;
import dev.tenantkit.storage.ObjectKeys;
import dev.tenantkit.storage.PutOptions;
import dev.tenantkit.storage.StorageException;
import dev.tenantkit.storage.TenantStorage;
import dev.tenantkit.storage.TenantStorageClient;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The documents of the tenant in scope: metadata rows through {@code TenantDataSource} (the
 * tenant's silo database, or shared tables under row-level security), content through the
 * tenant's {@link TenantStorage} (its bucket, or its prefix of a shared bucket). Nothing here
 * names a tenant: TenantKit routes every call to the tenant in the current scope.
 */
public final class DocumentStore {
  /** Largest upload accepted. */
  public static final int MAX_BYTES = 1024 * 1024;
  /** Media types accepted. */
  public static final Set<String> CONTENT_TYPES =
      Set.of("text/plain", "application/pdf", "application/json", "image/png", "image/jpeg");

  /** The Flyway migrations of the documents table ({@code DatabaseBootstrap.flyway}). */
  public static final String MIGRATIONS = "classpath:db/documents";

  /**
   * The table, in the tenant's database (silo) or shared under RLS (pool): the statement of the
   * first migration, for set-ups that run SQL as the owner directly (local mode). A second
   * migration would not be here: local mode would then seed with {@link #MIGRATIONS} as well.
   */
  public static final List<String> SCHEMA = List.of(migration("db/documents/V1__documents.sql"));

  private static String migration(String resource) {
    try (java.io.InputStream in = DocumentStore.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path");
      }
      String sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return sql.replaceAll("(?m)^--.*$", "").trim().replaceAll(";$", "");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private final DataSource dataSource;
  private final TenantStorageClient storage;
  private final Duration downloadTtl;

  public DocumentStore(DataSource dataSource, TenantStorageClient storage, Duration downloadTtl) {
    this.dataSource = dataSource;
    this.storage = storage;
    this.downloadTtl = downloadTtl;
  }

  /** Stores the content, then the row; if the row fails the content is removed (nothing half-written). */
  public Document create(String name, String contentType, byte[] content) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new DocumentRejectedException(400, "invalid document name", "name must be 1 to 200 characters");
    }
    String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    if (!CONTENT_TYPES.contains(type)) {
      throw new DocumentRejectedException(415, "unsupported content type",
          "content type must be one of " + new java.util.TreeSet<>(CONTENT_TYPES));
    }
    if (content.length == 0 || content.length > MAX_BYTES) {
      throw new DocumentRejectedException(content.length == 0 ? 400 : 413, "invalid document size",
          "content must be 1 to " + MAX_BYTES + " bytes");
    }
    UUID id = UUID.randomUUID();
    String key = "documents/" + id + "/" + name;
    try {
      // The name becomes part of the key: TenantKit refuses "../other/x", "%2e%2e/x" and friends.
      ObjectKeys.check(key, 0);
    } catch (InvalidObjectKeyException e) {
      throw new DocumentRejectedException(400, "invalid document name", e.getMessage());
    }
    TenantStorage files = storage.current();
    files.put(key, content, PutOptions.contentType(type));
    Document doc = new Document(id, name, type, content.length, Instant.now());
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO documents (id, tenant_id, name, content_type, size, "
            + "object_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setObject(1, id);
      s.setString(2, TenantContext.require().id().value());
      s.setString(3, name);
      s.setString(4, type);
      s.setLong(5, content.length);
      s.setString(6, key);
      s.setTimestamp(7, Timestamp.from(doc.createdAt()));
      s.executeUpdate();
    } catch (SQLException e) {
      files.delete(key);
      throw new IllegalStateException("cannot record document " + id + ": " + e.getMessage(), e);
    }
    return doc;
  }

  /** The tenant's documents, newest first. */
  public List<Document> list() {
    List<Document> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT id, name, content_type, size, created_at FROM documents "
            + "ORDER BY created_at DESC, id LIMIT 1000");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.add(row(rs));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list documents: " + e.getMessage(), e);
    }
    return out;
  }

  /** One of the tenant's documents; another tenant's id is simply not found. */
  public Optional<Document> find(UUID id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(
            "SELECT id, name, content_type, size, created_at FROM documents WHERE id = ?")) {
      s.setObject(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read document " + id + ": " + e.getMessage(), e);
    }
  }

  /** A short-lived presigned GET URL for the document's content. */
  public Optional<URL> downloadUrl(UUID id) {
    return find(id).map(d -> storage.current().presignGet("documents/" + d.id() + "/" + d.name(), downloadTtl));
  }

  /** Deletes the row, then the content; false when the tenant has no such document. */
  public boolean delete(UUID id) {
    Optional<Document> doc = find(id);
    if (doc.isEmpty()) {
      return false;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("DELETE FROM documents WHERE id = ?")) {
      s.setObject(1, id);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot delete document " + id + ": " + e.getMessage(), e);
    }
    try {
      storage.current().delete("documents/" + id + "/" + doc.get().name());
    } catch (StorageException.NotFound ignored) {
      // already gone
    }
    return true;
  }

  /** Parses a path segment as a document id, or answers 404 (an id that cannot exist). */
  public static UUID parseId(String raw) {
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw new DocumentRejectedException(404, "no such document", "no document with that id");
    }
  }

  private static Document row(ResultSet rs) throws SQLException {
    return new Document(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4),
        rs.getTimestamp(5).toInstant());
  }
}
