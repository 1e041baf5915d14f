package dev.tenantkit.core;

/** Code that needs the current tenant ran outside any tenant scope. */
public final class NoTenantException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  /** A default message that says what to do. */
  public NoTenantException() {
    super("no tenant in scope: run this inside TenantContext.open(...), a TenantKit filter or "
        + "handler, or a task wrapped with TenantContext.wrap(...)");
  }
}
