package dev.tenantkit.storage;

import java.net.URL;
import java.util.Map;

/**
 * A presigned PUT: the URL, and the headers the uploader must send with it, because they are
 * part of the signature (the content type, and the tenant's server-side encryption, so objects
 * uploaded by URL are encrypted with the tenant's key like every other write).
 *
 * @param url the presigned URL
 * @param headers header name (lower case) to value; send each exactly as given
 */
public record PresignedUpload(URL url, Map<String, String> headers) {
  /** Copies the headers. */
  public PresignedUpload {
    headers = Map.copyOf(headers);
  }
}
