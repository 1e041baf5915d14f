package dev.tenantkit.storage;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An object's metadata.
 *
 * @param key the key, relative to the tenant's space
 * @param size bytes
 * @param eTag the entity tag
 * @param lastModified when it was last written
 * @param contentType its content type, when known
 * @param metadata user metadata
 */
public record ObjectInfo(String key, long size, @Nullable String eTag, @Nullable Instant lastModified,
    @Nullable String contentType, Map<String, String> metadata) {
  /** Copies the metadata. */
  public ObjectInfo {
    metadata = Map.copyOf(metadata);
  }
}
