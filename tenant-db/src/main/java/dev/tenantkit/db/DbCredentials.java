package dev.tenantkit.db;

import java.util.Objects;

/**
 * A database user and the password (or IAM token) to log in with once. {@link #toString()} never
 * shows the password.
 *
 * @param user the database user
 * @param password the password or IAM authentication token
 */
public record DbCredentials(String user, String password) {
  /** Both values are required. */
  public DbCredentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "DbCredentials[user=" + user + ", password=***]";
  }
}
