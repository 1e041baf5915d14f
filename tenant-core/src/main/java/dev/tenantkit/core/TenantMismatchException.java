package dev.tenantkit.core;

/**
 * Two sources named different tenants for one request: for example the subdomain and a
 * trusted header, the pinned tenant of a silo deployment and the path, or (in tenant-auth) the
 * request and the token. Always refused.
 */
public final class TenantMismatchException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  /** @param message which sources disagreed, naming their tenants */
  public TenantMismatchException(String message) {
    super(message);
  }
}
