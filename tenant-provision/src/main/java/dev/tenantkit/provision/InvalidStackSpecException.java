package dev.tenantkit.provision;

import dev.tenantkit.core.TenantKitException;
import java.util.List;

/** A {@link TenantStackSpec} was refused: one line per problem, each naming the field. */
public final class InvalidStackSpecException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  InvalidStackSpecException(List<String> problems) {
    super("invalid tenant stack spec:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem, as {@code field: what is wrong}. */
  public List<String> problems() {
    return problems;
  }
}
