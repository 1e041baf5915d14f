package dev.tenantkit.core;

/**
 * The tenant exists but is not served: its status is neither {@link TenantStatus#ACTIVE} nor
 * {@link TenantStatus#UPDATING} (see {@link TenantStatus#isServing()}).
 */
public final class TenantNotActiveException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenantId;
  private final TenantStatus status;

  /**
   * @param tenantId the tenant
   * @param status its current status
   */
  public TenantNotActiveException(TenantId tenantId, TenantStatus status) {
    super("tenant " + tenantId + " is not active (status " + status + ")");
    this.tenantId = tenantId;
    this.status = status;
  }

  /** The tenant. */
  public TenantId tenantId() {
    return tenantId;
  }

  /** Its status when it was refused. */
  public TenantStatus status() {
    return status;
  }
}
