package dev.tenantkit.db;

/** How connections protect the password or IAM token in transit. */
public enum TlsMode {
  /**
   * TLS, with the server certificate checked against the CA bundle and the host name (PostgreSQL
   * {@code sslmode=verify-full}, MySQL {@code sslMode=VERIFY_IDENTITY}). The default for IAM
   * authentication, whose token travels as a clear-text password.
   */
  VERIFY_FULL,
  /** TLS without checking the certificate (encrypted, but open to an active man in the middle). */
  REQUIRE,
  /** Whatever the driver does by default; for local databases only. */
  DISABLE
}
