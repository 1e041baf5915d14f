package dev.tenantkit.core;

/** TenantKit was configured in a way that cannot work (a missing setting, say); raised at start. */
public final class TenantConfigurationException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  /** @param message what is missing or wrong, and how to fix it */
  public TenantConfigurationException(String message) {
    super(message);
  }
}
