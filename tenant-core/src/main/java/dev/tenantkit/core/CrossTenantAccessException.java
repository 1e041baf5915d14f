package dev.tenantkit.core;

/**
 * Code inside one tenant's scope tried to open a scope for another tenant. Control-plane code
 * that must do this says so with {@link TenantContext#openCrossTenant(Tenant, String)}, which is
 * logged.
 */
public final class CrossTenantAccessException extends TenantScopeException {
  private static final long serialVersionUID = 1L;

  private final TenantId current;
  private final TenantId requested;

  /**
   * @param current the tenant in scope
   * @param requested the tenant the code tried to switch to
   */
  public CrossTenantAccessException(TenantId current, TenantId requested) {
    super("refused to open a scope for tenant " + requested + " inside tenant " + current
        + "'s scope; control-plane code must use TenantContext.openCrossTenant(tenant, reason)");
    this.current = current;
    this.requested = requested;
  }

  /** The tenant that was in scope. */
  public TenantId current() {
    return current;
  }

  /** The tenant that was requested. */
  public TenantId requested() {
    return requested;
  }
}
