package dev.tenantkit.core;

import dev.tenantkit.core.internal.SafeText;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's id: 3 to 36 characters of lowercase letters, digits and single hyphens, starting
 * and ending with a letter or digit. UUIDs fit. The same id is valid as an S3 bucket-name part,
 * a DNS label, a PostgreSQL identifier (when quoted) and a CloudFormation stack-name part, so it
 * can be used everywhere without per-service escaping.
 *
 * <p>Instances are immutable values; {@link #equals} compares the string.
 */
public final class TenantId implements Comparable<TenantId>, Serializable {
  private static final long serialVersionUID = 1L;

  /** Shortest valid id. */
  public static final int MIN_LENGTH = 3;
  /** Longest valid id (a UUID with hyphens). */
  public static final int MAX_LENGTH = 36;

  private final String value;

  private TenantId(String value) {
    this.value = value;
  }

  /**
   * Returns the id for {@code value}.
   *
   * @throws InvalidTenantIdException naming the broken rule; the message quotes at most a short,
   *     escaped prefix of the input
   */
  public static TenantId of(String value) {
    InvalidTenantIdException.Rule broken = check(value);
    if (broken != null) {
      throw new InvalidTenantIdException(broken, SafeText.quote(value));
    }
    return new TenantId(value);
  }

  /** Whether {@code value} is a valid tenant id. Never throws. */
  public static boolean isValid(@Nullable String value) {
    return value != null && check(value) == null;
  }

  // Hot path (every request): one pass, no regex, no allocation.
  private static InvalidTenantIdException.@Nullable Rule check(String value) {
    int n = value.length();
    if (n < MIN_LENGTH || n > MAX_LENGTH) {
      return InvalidTenantIdException.Rule.LENGTH;
    }
    char previous = 0;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && c != '-') {
        return InvalidTenantIdException.Rule.CHARACTERS;
      }
      if (c == '-' && previous == '-') {
        return InvalidTenantIdException.Rule.CONSECUTIVE_HYPHENS;
      }
      previous = c;
    }
    if (value.charAt(0) == '-' || value.charAt(n - 1) == '-') {
      return InvalidTenantIdException.Rule.EDGE;
    }
    return null;
  }

  /** The id as a string. */
  public String value() {
    return value;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TenantId && ((TenantId) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public int compareTo(TenantId other) {
    return value.compareTo(other.value);
  }

  /** The id itself, so ids can be logged and concatenated directly. */
  @Override
  public String toString() {
    return value;
  }
}
