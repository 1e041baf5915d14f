package dev.tenantkit.storage;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How an object is written.
 *
 * @param contentType the content type, or null for S3's default
 * @param metadata user metadata ({@code x-amz-meta-*}); names of letters, digits and '-'
 */
public record PutOptions(@Nullable String contentType, Map<String, String> metadata) {
  private static final PutOptions NONE = new PutOptions(null, Map.of());

  /** Validates and copies. */
  public PutOptions {
    metadata = Map.copyOf(metadata);
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (!e.getKey().matches("[A-Za-z0-9-]{1,128}")) {
        throw new IllegalArgumentException("metadata names are 1 to 128 letters, digits or '-'");
      }
      for (char c : e.getValue().toCharArray()) {
        if (c < 0x20 || c > 0x7e) {
          throw new IllegalArgumentException("metadata values must be printable ASCII (name " + e.getKey() + ")");
        }
      }
    }
    if (contentType != null && !contentType.matches("[\\w!#$&^.+-]+/[\\w!#$&^.+-]+(\\s*;\\s*[\\w-]+=[\\w.\"-]+)*")) {
      throw new IllegalArgumentException("contentType is not a media type");
    }
  }

  /** No content type, no metadata. */
  public static PutOptions none() {
    return NONE;
  }

  /** Just a content type. */
  public static PutOptions contentType(String contentType) {
    return new PutOptions(contentType, Map.of());
  }
}
