package dev.tenantkit.core;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception TenantKit throws. Unchecked: callers handle what they can act on by
 * subtype. Messages never carry a secret, a credential or a whole token, and quote user input
 * only as a short, escaped prefix.
 */
public class TenantKitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected TenantKitException(String message) {
    super(message);
  }

  protected TenantKitException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
