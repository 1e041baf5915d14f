package dev.tenantkit.archfixture;

import dev.tenantkit.core.internal.SafeText;

/** A deliberate violation: proves {@code ArchitectureTest}'s rule can fail. Never shipped. */
public final class UsesCoreInternals {
  private UsesCoreInternals() {}

  /** Reaches into another module's internals. */
  public static String quote(String s) {
    return SafeText.quote(s);
  }
}
