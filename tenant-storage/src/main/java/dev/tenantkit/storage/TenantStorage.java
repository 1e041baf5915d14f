package dev.tenantkit.storage;

import dev.tenantkit.core.TenantId;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One tenant's S3 space (its bucket, its prefix of a shared bucket, or its access point). Every
 * key is relative to that space and checked with {@link ObjectKeys} before a request is built;
 * the tenant's prefix is added by this view alone, so no argument can reach another tenant's
 * objects. Writes use the tenant's server-side encryption (SSE-KMS with its key and bucket keys
 * on, or SSE-S3).
 */
public interface TenantStorage {

  /** Whose space this is. */
  TenantId tenantId();

  /** Writes {@code bytes} at {@code key}. */
  void put(String key, byte[] bytes, PutOptions options);

  /** Writes a stream of unknown length; above the multipart threshold it is uploaded in parts. */
  void put(String key, InputStream content, PutOptions options);

  /** Writes a file. */
  void put(String key, Path file, PutOptions options);

  /**
   * Writes only if no object exists at {@code key} ({@code If-None-Match: *}).
   *
   * @throws StorageException.AlreadyExists when one does
   */
  void create(String key, byte[] bytes, PutOptions options);

  /**
   * The object's bytes.
   *
   * @throws StorageException.NotFound when there is none
   */
  byte[] get(String key);

  /** The object's bytes {@code first..last} (inclusive). */
  byte[] getRange(String key, long first, long last);

  /** The object as a stream; close it. */
  InputStream open(String key);

  /** The object's metadata, if it exists. */
  Optional<ObjectInfo> head(String key);

  /** Whether the object exists. */
  default boolean exists(String key) {
    return head(key).isPresent();
  }

  /**
   * One page of the objects under {@code prefix} (relative; "" for all), grouped by
   * {@code delimiter} when given.
   *
   * @param continuationToken a token from a previous page of this tenant's listing with the same
   *     prefix and delimiter, or null for the first page
   */
  ListPage list(String prefix, @Nullable String delimiter, int maxKeys, @Nullable String continuationToken);

  /** Deletes the object; deleting a missing object is not an error. */
  void delete(String key);

  /** Deletes many objects in batches; every key is checked before anything is deleted. */
  void delete(Collection<String> keys);

  /** Copies an object within the tenant's space. */
  void copy(String sourceKey, String destinationKey);

  /** A presigned GET URL valid for {@code ttl} (bounded by the client's maximum). */
  URL presignGet(String key, Duration ttl);

  /**
   * A presigned PUT valid for {@code ttl}: the URL and the headers the upload must carry (content
   * type, and the tenant's server-side encryption), which are part of the signature.
   */
  PresignedUpload presignPut(String key, Duration ttl, @Nullable String contentType);
}
