package dev.tenantkit.provision;

import dev.tenantkit.core.TenantKitException;
import org.jspecify.annotations.Nullable;

/**
 * A stack deployment, preview or deletion did not reach its goal: CloudFormation rolled back,
 * refused the change set, or the wait timed out. The message names the stack, its status and the
 * first failure CloudFormation reported.
 */
public final class StackDeploymentException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  private final String stackName;
  private final @Nullable String status;

  StackDeploymentException(String stackName, @Nullable String status, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.stackName = stackName;
    this.status = status;
  }

  public String stackName() {
    return stackName;
  }

  /** The stack's status when it failed (e.g. {@code ROLLBACK_COMPLETE}), if known. */
  public @Nullable String status() {
    return status;
  }
}
