package dev.tenantkit.core.internal;

import org.jspecify.annotations.Nullable;

/**
 * Quotes untrusted input for error messages and logs: at most {@value #MAX_CHARS} characters,
 * control, non-ASCII and quote characters escaped, so a message can neither forge a log line
 * nor carry a large payload.
 */
public final class SafeText {
  /** How many characters of the input a message shows at most. */
  public static final int MAX_CHARS = 40;

  private SafeText() {}

  /** {@code "abc..."} style quotation of {@code input}; {@code null} becomes {@code null}. */
  public static String quote(@Nullable String input) {
    if (input == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(Math.min(input.length(), MAX_CHARS) + 16).append('"');
    int n = Math.min(input.length(), MAX_CHARS);
    for (int i = 0; i < n; i++) {
      char c = input.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    sb.append('"');
    if (input.length() > MAX_CHARS) {
      sb.append("... (").append(input.length()).append(" chars)");
    }
    return sb.toString();
  }
}
