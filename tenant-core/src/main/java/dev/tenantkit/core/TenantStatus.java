package dev.tenantkit.core;

/**
 * Where a tenant is in its lifecycle. Only {@link #ACTIVE} tenants are served: a request for a
 * tenant in any other state is refused with {@link TenantNotActiveException}.
 *
 * <pre>
 * REQUESTED -> PROVISIONING -> ACTIVE <-> SUSPENDED
 *                   |            |
 *                 FAILED      OFFBOARDING -> OFFBOARDED
 * </pre>
 */
public enum TenantStatus {
  /** Signed up; nothing provisioned yet. */
  REQUESTED,
  /** Its stack is being created or updated. */
  PROVISIONING,
  /** Provisioned and served. */
  ACTIVE,
  /** Provisioned, but refused (for example unpaid); data kept. */
  SUSPENDED,
  /** Its stack is being removed. */
  OFFBOARDING,
  /** Removed; the record stays for audit. */
  OFFBOARDED,
  /** Provisioning failed; the record holds the reason and onboarding can be resumed. */
  FAILED;

  /** Whether requests for a tenant in this state are served. */
  public boolean isServing() {
    return this == ACTIVE;
  }
}
