package dev.tenantkit.auth;

import dev.tenantkit.core.Tenant;
import java.util.Map;

/**
 * A custom rule on a verified token's claims, run after every built-in check (for example "the
 * user's {@code custom:plan} claim must be {@code pro}"). Return false to refuse the token with
 * {@link TokenRejectedException.Reason#CLAIM_CHECK_FAILED}.
 */
@FunctionalInterface
public interface ClaimCheck {
  /** Whether the claims are acceptable for {@code tenant}. */
  boolean accept(Tenant tenant, Map<String, Object> claims);
}
