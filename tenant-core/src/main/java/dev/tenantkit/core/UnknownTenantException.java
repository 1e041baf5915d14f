package dev.tenantkit.core;

/** The catalog has no tenant with this id. */
public final class UnknownTenantException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenantId;

  /** @param tenantId the id that was looked up */
  public UnknownTenantException(TenantId tenantId) {
    super("unknown tenant: " + tenantId);
    this.tenantId = tenantId;
  }

  /** The id that was looked up. */
  public TenantId tenantId() {
    return tenantId;
  }
}
