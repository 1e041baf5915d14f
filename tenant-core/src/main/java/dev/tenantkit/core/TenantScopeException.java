package dev.tenantkit.core;

/**
 * A tenant scope was used against its contract: closed out of order or on another thread.
 * Thrown after the thread's context was put back to a safe state (see {@link TenantScope#close()}).
 */
public class TenantScopeException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  /** @param message what was wrong */
  public TenantScopeException(String message) {
    super(message);
  }
}
