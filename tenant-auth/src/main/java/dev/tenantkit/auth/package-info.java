/**
 * Token verification bound to the tenant.
 *
 * <ul>
 *   <li>{@link dev.tenantkit.auth.TenantTokenVerifier}: verifies Cognito access and ID tokens and
 *       direct OIDC (Okta) tokens against each tenant's issuer from the catalog, and binds them to
 *       the tenant the request resolved;</li>
 *   <li>{@link dev.tenantkit.auth.BearerTokenGuard}: plugs the verifier into the servlet filter
 *       and the Lambda helper of tenant-core;</li>
 *   <li>{@link dev.tenantkit.auth.AlbTokenVerifier}: verifies the {@code x-amzn-oidc-data} header
 *       an Application Load Balancer adds after authenticating a user.</li>
 * </ul>
 *
 * <p>Every refusal is a {@link dev.tenantkit.auth.TokenRejectedException} with a machine-readable
 * {@link dev.tenantkit.auth.TokenRejectedException.Reason}; no message contains the token.
 */
@NullMarked
package dev.tenantkit.auth;

import org.jspecify.annotations.NullMarked;
