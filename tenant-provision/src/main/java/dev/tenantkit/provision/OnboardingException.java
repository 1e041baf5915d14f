package dev.tenantkit.provision;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantKitException;
import org.jspecify.annotations.Nullable;

/**
 * Onboarding or offboarding did not complete. The tenant's record was left in a state that says
 * so ({@code FAILED} with the reason, for a failed deployment) and can be resumed by running the
 * same operation again.
 */
public final class OnboardingException extends TenantKitException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable Tenant record;

  OnboardingException(String message, @Nullable Tenant record, @Nullable Throwable cause) {
    super(message, cause);
    this.record = record;
  }

  /** The tenant's record as it was left (FAILED with the reason), if one was written. */
  public @Nullable Tenant record() {
    return record;
  }
}
