package dev.tenantkit.auth.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns an exception from a key or discovery fetch into words for a log or a configuration
 * error: every distinct message along the cause chain, or the type where there is none; values
 * from the remote side shortened and stripped of control characters. Fetch errors name URLs and
 * statuses, never a token.
 */
final class Causes {
  private static final int MAX = 300;

  private Causes() {}

  static String describe(Throwable t) {
    List<String> parts = new ArrayList<>();
    for (Throwable c = t; c != null && parts.size() < 4; c = c.getCause()) {
      String m = c.getMessage();
      String part = m == null || m.isBlank() ? c.getClass().getSimpleName() : m;
      boolean known = false;
      for (String p : parts) {
        known |= p.contains(part);
      }
      if (!known) {
        parts.add(part);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return clean(String.join(": ", parts));
  }

  /** A remote value as text fit for a message. */
  static String quote(@Nullable Object value) {
    return value == null ? "nothing" : clean(String.valueOf(value));
  }

  private static String clean(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX));
    for (int i = 0; i < s.length() && out.length() < MAX; i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return s.length() > MAX ? out + "..." : out.toString();
  }
}
