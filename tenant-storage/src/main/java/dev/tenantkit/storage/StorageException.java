package dev.tenantkit.storage;

import dev.tenantkit.core.HttpProblem;
import dev.tenantkit.core.TenantKitException;
import org.jspecify.annotations.Nullable;

/** An S3 operation for a tenant failed, or was refused to keep tenants apart. */
public class StorageException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed, naming the tenant and the S3 error code, never credentials */
  public StorageException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** The object does not exist in the tenant's space. */
  public static final class NotFound extends StorageException {
    private static final long serialVersionUID = 1L;

    /** @param key the relative key */
    public NotFound(String key) {
      super("no object " + quote(key) + " in this tenant's storage", null);
    }
  }

  /** A conditional create found the object already there. */
  public static final class AlreadyExists extends StorageException {
    private static final long serialVersionUID = 1L;

    /** @param key the relative key */
    public AlreadyExists(String key) {
      super("object " + quote(key) + " already exists", null);
    }
  }

  /**
   * S3 could not be reached (a connection refused, reset or timed out, no response), did not
   * answer within the SDK's call timeouts, or answered 500, 502, 503 (SlowDown) or 504: the
   * operation may succeed later. Answered as 503 with {@code Retry-After} by the starter and the
   * Lambda helper ({@link HttpProblem}).
   */
  public static final class Unavailable extends StorageException implements HttpProblem {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the tenant and the operation */
    public Unavailable(String message, @Nullable Throwable cause) {
      super(message, cause);
    }

    @Override
    public int httpStatus() {
      return 503;
    }

    @Override
    public String problemCode() {
      return "storage-unavailable";
    }

    @Override
    public String problemTitle() {
      return "Storage unavailable";
    }

    @Override
    public java.util.Map<String, String> problemHeaders() {
      return java.util.Map.of("Retry-After", "1");
    }
  }

  /**
   * Something would have crossed the tenant boundary: S3 returned a key outside the tenant's
   * prefix (a misconfigured bucket or policy), or a continuation token from another listing was
   * presented. Never data: always an error.
   */
  public static final class IsolationViolation extends StorageException {
    private static final long serialVersionUID = 1L;

    /** @param message what crossed the boundary (no key contents beyond a short quote) */
    public IsolationViolation(String message) {
      super(message, null);
    }
  }
}
