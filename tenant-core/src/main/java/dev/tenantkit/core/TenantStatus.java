package dev.tenantkit.core;

/**
 * Where a tenant is in its lifecycle. Only {@link #ACTIVE} and {@link #UPDATING} tenants are
 * served ({@link #isServing()}): a request for a tenant in any other state is refused with
 * {@link TenantNotActiveException}.
 *
 * <pre>{@code
 * REQUESTED -> PROVISIONING -> ACTIVE <-> SUSPENDED
 *                   |            |  ^
 *                 FAILED         v  | (done, or failed and rolled back)
 *                             UPDATING
 *                                |
 *              ACTIVE -> OFFBOARDING -> OFFBOARDED
 * }</pre>
 */
public enum TenantStatus {
  /** Signed up; nothing provisioned yet. */
  REQUESTED,
  /** Its stack is being created for the first time (or a failed creation resumed); not served yet. */
  PROVISIONING,
  /** Provisioned and served. */
  ACTIVE,
  /**
   * Provisioned, served, and its stack is being changed (a tier change, a template update). The
   * record still describes the stack as it was until the change completes; if the change fails,
   * CloudFormation rolls the stack back and the record returns to {@link #ACTIVE} with the failure
   * in its status reason, because the tenant still works.
   */
  UPDATING,
  /** Provisioned, but refused (for example unpaid); data kept. */
  SUSPENDED,
  /** Its stack is being removed. */
  OFFBOARDING,
  /** Removed; the record stays for audit. */
  OFFBOARDED,
  /** Its first provisioning failed; the record holds the reason and onboarding can be resumed. */
  FAILED;

  /** Whether requests for a tenant in this state are served: {@link #ACTIVE} and {@link #UPDATING}. */
  public boolean isServing() {
    return this == ACTIVE || this == UPDATING;
  }
}
