package dev.tenantkit.core.spi;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which SQLStates mean the database went away or could not be reached: one rule that tenant-db's
 * borrow (replace a pooled connection the database closed), the Lambda helper and the starter's
 * problem handler (answer 503) all apply. Not for users: see the package documentation.
 */
public final class SqlStates {
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
  private static final Set<String> UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "53300");

  private SqlStates() {}

  /**
   * Whether {@code sqlState} says the session ended or the database could not be reached: class
   * 08 (connection exception), or PostgreSQL's 57P01 to 57P03 (shut down, crashed, starting) and
   * 53300 (too many connections).
   */
  public static boolean databaseUnavailable(@Nullable String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || UNAVAILABLE.contains(sqlState));
  }
}
