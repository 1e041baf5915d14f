package dev.tenantkit.registry;

import dev.tenantkit.core.TenantKitException;
import org.jspecify.annotations.Nullable;

/**
 * The registry table could not be read or written: DynamoDB refused the call or could not be
 * reached, or an item is not a valid tenant record. The message names the table and the
 * operation; it never carries credentials.
 */
public class TenantRegistryException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  /** An error with a message naming the table and what failed. */
  public TenantRegistryException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
