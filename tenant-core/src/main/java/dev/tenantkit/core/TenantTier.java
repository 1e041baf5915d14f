package dev.tenantkit.core;

import dev.tenantkit.core.internal.SafeText;

/**
 * A tenant's tier (for example {@code basic}, {@code standard}, {@code premium}): the name of a
 * preset that sizes its resources (pool sizes, instance types, Multi-AZ). Tiers are data, so any
 * name of 1 to 32 lowercase letters, digits and hyphens, starting with a letter, is accepted.
 *
 * @param name the tier name
 */
public record TenantTier(String name) {

  /** Validates the name. */
  public TenantTier {
    if (!isValidName(name)) {
      throw new InvalidTenantRecordException(
          "tier",
          "must be 1 to 32 lowercase letters, digits or '-', starting with a letter (was "
              + SafeText.quote(name) + ")");
    }
  }

  /** The tier named {@code name}. */
  public static TenantTier of(String name) {
    return new TenantTier(name);
  }

  private static boolean isValidName(String name) {
    int n = name.length();
    if (n < 1 || n > 32 || name.charAt(0) < 'a' || name.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return name;
  }
}
