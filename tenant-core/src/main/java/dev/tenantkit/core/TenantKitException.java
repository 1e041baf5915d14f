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

  /**
   * Quotes untrusted input for a message the way every TenantKit error does: a short prefix,
   * with control, non-ASCII, quote and backslash characters escaped, so a message can neither
   * forge a log line nor carry a payload. For subclasses in other modules.
   */
  protected static String quote(@Nullable String input) {
    return dev.tenantkit.core.internal.SafeText.quote(input);
  }
}
