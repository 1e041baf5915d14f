package dev.tenantkit.db;

/**
 * How connections protect the password, secret or IAM token in transit, for every credentials
 * source. {@link #VERIFY_FULL} is the default; anything weaker is an explicit choice.
 */
public enum TlsMode {
  /**
   * TLS, with the server certificate checked against the CA bundle and the host name (PostgreSQL
   * {@code sslmode=verify-full}, MySQL {@code sslMode=VERIFY_IDENTITY}). The default: an IAM
   * token travels as a clear-text password, and a static or Secrets Manager password is worth no
   * less.
   */
  VERIFY_FULL,
  /** TLS without checking the certificate (encrypted, but open to an active man in the middle). */
  REQUIRE,
  /**
   * Plaintext to a loopback host ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}), and
   * {@link #VERIFY_FULL} to every other host: for local development, so that a configuration
   * copied to AWS still verifies the server.
   */
  PLAINTEXT_ON_LOOPBACK,
  /**
   * Plaintext for every host ({@code sslmode=disable}, MySQL's {@code sslMode=DISABLED}). An
   * explicit opt-out for a network you trust; TenantKit logs a warning for each pool it opens to
   * a non-loopback host this way.
   */
  DISABLE;

  /** The mode actually used for {@code host}: {@link #PLAINTEXT_ON_LOOPBACK} resolves here. */
  public TlsMode forHost(String host) {
    if (this != PLAINTEXT_ON_LOOPBACK) {
      return this;
    }
    return dev.tenantkit.core.spi.Hosts.isLoopback(host) ? DISABLE : VERIFY_FULL;
  }
}
