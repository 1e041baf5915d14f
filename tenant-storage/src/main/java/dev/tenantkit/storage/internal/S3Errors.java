package dev.tenantkit.storage.internal;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.storage.StorageException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** How S3's errors become TenantKit's: one place for the not-found rule and the message shape. */
final class S3Errors {
  private S3Errors() {}

  /** S3 says the object is not there (NoSuchKey, or a bare 404 as HEAD and copies answer). */
  static boolean isNotFound(S3Exception e) {
    return e instanceof NoSuchKeyException || e.statusCode() == 404;
  }

  /** A failure naming the tenant, the operation and S3's error code, never the request. */
  static StorageException failure(TenantId tenant, String operation, S3Exception e) {
    String code = e.awsErrorDetails() == null ? "unknown" : e.awsErrorDetails().errorCode();
    return new StorageException("S3 " + operation + " failed for tenant " + tenant + ": " + code
        + " (HTTP " + e.statusCode() + ")", e);
  }
}
