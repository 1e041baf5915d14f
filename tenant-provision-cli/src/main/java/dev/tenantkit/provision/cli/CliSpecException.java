package dev.tenantkit.provision.cli;

import java.util.List;

/** Spec problems found by the CLI itself (its own parsing), reported with the spec's: exit code 2. */
final class CliSpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliSpecException(List<String> problems) {
    super("invalid tenant stack spec:\n  " + String.join("\n  ", problems));
  }
}
