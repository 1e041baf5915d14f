package dev.tenantkit.provision;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantKitException;
import org.jspecify.annotations.Nullable;

/**
 * Onboarding or offboarding did not complete. The tenant's record was left in a state that says
 * so and the same operation can be run again to resume: {@code FAILED} with the reason for a
 * failed first deployment; {@code ACTIVE} with the reason for a failed update of a served tenant
 * (its stack rolled back, it is still served); {@code OFFBOARDING} with the reason for a failed
 * deletion.
 */
public final class OnboardingException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable Tenant record;

  OnboardingException(String message, @Nullable Tenant record, @Nullable Throwable cause) {
    super(message, cause);
    this.record = record;
  }

  /** The tenant's record as it was left (FAILED or ACTIVE, with the reason), if one was written. */
  public @Nullable Tenant record() {
    return record;
  }
}
