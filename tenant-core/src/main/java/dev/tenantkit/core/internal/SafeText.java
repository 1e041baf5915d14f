package dev.tenantkit.core.internal;

import org.jspecify.annotations.Nullable;

/**
 * Quotes untrusted input for error messages and logs: a prefix of at most {@value #MAX_QUOTED}
 * characters after escaping (control, non-ASCII, quote and backslash characters escaped), so a
 * message can neither forge a log line nor carry a large payload.
 */
public final class SafeText {
  /** How many characters the escaped prefix takes at most, quotes excluded. */
  public static final int MAX_QUOTED = 48;

  private SafeText() {}

  /** {@code "abc"... (N chars)} style quotation of {@code input}; {@code null} becomes {@code null}. */
  public static String quote(@Nullable String input) {
    if (input == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(MAX_QUOTED + 24).append('"');
    int i = 0;
    for (; i < input.length(); i++) {
      char c = input.charAt(i);
      int width = (c == '"' || c == '\\') ? 2 : (c >= 0x20 && c < 0x7f) ? 1 : 6;
      if (sb.length() - 1 + width > MAX_QUOTED) {
        break;
      }
      if (width == 2) {
        sb.append('\\').append(c);
      } else if (width == 1) {
        sb.append(c);
      } else {
        sb.append("\\u").append(Character.forDigit((c >> 12) & 0xf, 16))
            .append(Character.forDigit((c >> 8) & 0xf, 16))
            .append(Character.forDigit((c >> 4) & 0xf, 16))
            .append(Character.forDigit(c & 0xf, 16));
      }
    }
    sb.append('"');
    if (i < input.length()) {
      sb.append("... (").append(input.length()).append(" chars)");
    }
    return sb.toString();
  }
}
