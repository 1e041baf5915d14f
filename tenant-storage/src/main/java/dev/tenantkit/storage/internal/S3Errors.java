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
    int status = e.statusCode();
    return status == 500 || status == 502 || status == 503 || status == 504
        ? new StorageException.Unavailable(message, e) : new StorageException(message, e);
  }

  /**
   * The SDK's own failures: S3 not reached or not answering in time (a connection refused, reset
   * or timed out, no route, no response, the SDK's call timeouts) is
   * {@link StorageException.Unavailable}; any other (a name that does not resolve, a TLS
   * handshake refused, a file that cannot be read, a request the SDK could not build or sign),
   * which retrying would not mend, a plain {@link StorageException}. The message names the tenant,
   * the operation and the kind of failure, not the SDK's text.
   */
  static StorageException unreachable(TenantId tenant, String operation, SdkClientException e) {
    Throwable transientCause = null;
    Throwable root = e;
    for (int depth = 0; depth < 16 && root.getCause() != null; depth++) { // bounded: a cause chain may loop
      root = root.getCause();
      if (transientCause == null && isTransient(root)) {
        transientCause = root;
      }
    }
    boolean timeout = e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException;
    if (transientCause != null || timeout) {
      return new StorageException.Unavailable("S3 " + operation + " for tenant " + tenant + " could not reach S3: "
          + (transientCause != null ? transientCause.getClass().getSimpleName() : e.getClass().getSimpleName()), e);
    }
    return new StorageException("S3 " + operation + " for tenant " + tenant + " failed in the SDK: "
        + root.getClass().getSimpleName(), e);
  }

  /** A socket refused, reset or timed out, no route, or an HTTP client that got no response. */
  private static boolean isTransient(Throwable t) {
    return t instanceof java.net.SocketException // ConnectException, NoRouteToHostException, resets
        || t instanceof java.net.SocketTimeoutException
        || t.getClass().getSimpleName().equals("NoHttpResponseException"); // Apache's client
  }
}
