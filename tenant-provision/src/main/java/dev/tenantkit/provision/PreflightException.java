package dev.tenantkit.provision;

import dev.tenantkit.core.TenantKitException;
import java.util.List;

/** The Region cannot hold one more tenant stack: one line per quota that would be exceeded. */
public final class PreflightException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  private final List<String> shortfalls;

  PreflightException(String stackName, List<String> shortfalls) {
    super("refusing to deploy " + stackName + ", it would fail half-way:\n  " + String.join("\n  ", shortfalls));
    this.shortfalls = List.copyOf(shortfalls);
  }

  public List<String> shortfalls() {
    return shortfalls;
  }
}
