package dev.tenantkit.storage.internal;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.storage.StorageException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** How S3's errors become TenantKit's: one place for the not-found rule and the message shape. */
final class S3Errors {
  private S3Errors() {}

  /** S3 says the object is not there (NoSuchKey, or a bare 404 as HEAD and copies answer). */
  static boolean isNotFound(S3Exception e) {
    return e instanceof NoSuchKeyException || e.statusCode() == 404;
  }

  /**
   * A failure naming the tenant, the operation and S3's error code, never the request; a server
   * error (5xx: SlowDown, InternalError, ServiceUnavailable) is {@link StorageException.Unavailable}.
   */
  static StorageException failure(TenantId tenant, String operation, S3Exception e) {
    String code = e.awsErrorDetails() == null ? "unknown" : e.awsErrorDetails().errorCode();
    String message = "S3 " + operation + " failed for tenant " + tenant + ": " + code + " (HTTP " + e.statusCode() + ")";
    return e.statusCode() >= 500 ? new StorageException.Unavailable(message, e) : new StorageException(message, e);
  }

  /**
   * The SDK's own failures: S3 not reached or not answering in time (a connection refused or
   * reset, a timeout, a name that does not resolve) is {@link StorageException.Unavailable}; any
   * other (a request the SDK could not build or sign) a plain {@link StorageException}. The
   * message names the tenant, the operation and the kind of failure, not the SDK's text.
   */
  static StorageException unreachable(TenantId tenant, String operation, SdkClientException e) {
    Throwable io = e;
    while (io != null && !(io instanceof java.io.IOException)) {
      io = io.getCause();
    }
    boolean timeout = e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException;
    if (io != null || timeout) {
      return new StorageException.Unavailable("S3 " + operation + " for tenant " + tenant + " could not reach S3: "
          + (io != null ? io.getClass().getSimpleName() : e.getClass().getSimpleName()), e);
    }
    return new StorageException("S3 " + operation + " for tenant " + tenant + " failed in the SDK: "
        + e.getClass().getSimpleName(), e);
  }
}
