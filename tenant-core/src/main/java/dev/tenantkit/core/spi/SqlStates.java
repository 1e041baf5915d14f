package dev.tenantkit.core.spi;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
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

  /**
   * Whether {@code e} is, or wraps (as a cause, or an SQLException's next exception, at any
   * depth), an {@link SQLException} whose SQLState says the database went away.
   */
  public static boolean databaseUnavailable(Throwable e) {
    ArrayDeque<Throwable> todo = new ArrayDeque<>(List.of(e));
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!todo.isEmpty() && seen.size() < 32) { // bounded: a chain may loop
      Throwable t = todo.pop();
      if (!seen.add(t)) {
        continue;
      }
      if (t instanceof SQLException sql) {
        if (databaseUnavailable(sql.getSQLState())) {
          return true;
        }
        if (sql.getNextException() != null) {
          todo.push(sql.getNextException());
        }
      }
      if (t.getCause() != null) {
        todo.push(t.getCause());
      }
    }
    return false;
  }
}
