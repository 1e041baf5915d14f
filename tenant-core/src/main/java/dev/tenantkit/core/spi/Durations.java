package dev.tenantkit.core.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The one range check for duration options, so every builder refuses the same way and says the
 * range in the same words. Not for users: may change in any release.
 */
public final class Durations {
  private Durations() {}

  /**
   * {@code value} when {@code min <= value <= max}.
   *
   * @throws NullPointerException naming {@code option} when {@code value} is null
   * @throws IllegalArgumentException naming {@code option}, the range and the value otherwise
   */
  public static Duration requireBetween(String option, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, option);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(option + " must be between " + words(min) + " and " + words(max)
          + ", was " + words(value));
    }
    return value;
  }

  /** A duration as people write it: {@code 250 ms}, {@code 30 s}, {@code 5 minutes}, {@code 24 hours}. */
  public static String words(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    long ms = d.toMillis();
    if (ms < 1_000 || ms % 1_000 != 0) {
      return ms + " ms";
    }
    long s = ms / 1_000;
    if (s < 60 || s % 60 != 0) {
      return s + " s";
    }
    long m = s / 60;
    if (m < 60 || m % 60 != 0) {
      return m + (m == 1 ? " minute" : " minutes");
    }
    long h = m / 60;
    if (h < 24 || h % 24 != 0) {
      return h + (h == 1 ? " hour" : " hours");
    }
    long days = h / 24;
    return days + (days == 1 ? " day" : " days");
  }
}
