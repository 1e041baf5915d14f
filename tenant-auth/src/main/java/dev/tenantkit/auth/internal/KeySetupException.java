package dev.tenantkit.auth.internal;

/**
 * The issuer's key location could not be established (discovery failed, or names another issuer
 * or a non-https key set). The message says why in words, names URLs and never a token.
 */
final class KeySetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  KeySetupException(String message) {
    super(message, null, false, false);
  }
}
