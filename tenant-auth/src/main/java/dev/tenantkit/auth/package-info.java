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
 *       an Application Load Balancer adds after authenticating a user;</li>
 *   <li>{@link dev.tenantkit.auth.CognitoTenantIdentityClient}: the control plane's side, setting
 *       up a tenant's user pool, app client, domain, groups and Okta SAML federation from a
 *       {@link dev.tenantkit.auth.TenantIdentitySpec}, and its users.</li>
 * </ul>
 *
 * <p>What a verification returns is a {@link dev.tenantkit.auth.VerifiedPrincipal}; what a call
 * requires beyond the record (groups, scopes, token use) is a
 * {@link dev.tenantkit.auth.TokenRequirements}, and a {@link dev.tenantkit.auth.ClaimCheck} adds
 * an application's own rule.
 *
 * <pre>{@code
 * TenantTokenVerifier verifier = TenantTokenVerifier.builder().catalog(catalog).build();
 * verifier.warmUp();
 * TenantFilter filter = TenantFilter.builder().resolver(resolver).catalog(catalog)
 *     .guard(BearerTokenGuard.of(verifier)).build();
 * }</pre>
 *
 * <p>Every refusal is a {@link dev.tenantkit.auth.TokenRejectedException} with a machine-readable
 * {@link dev.tenantkit.auth.TokenRejectedException.Reason}; no message contains the token.
 *
 * <p>Secure by default: what a tenant record leaves out never widens access. Its
 * {@code appClientIds} are required unless it says {@code anyClient}; access and ID tokens are
 * never interchangeable for any issuer (Cognito's {@code token_use}; for Okta and other OIDC
 * issuers {@code typ: at+jwt}, {@code cid}/{@code scp}, and the record's {@code audience}); groups
 * are read from the issuer kind's own claim. OIDC discovery is never performed at request rate.
 *
 * <p>The implementation lives in {@code dev.tenantkit.auth.internal}, one class per step of the
 * verifier's pipeline (docs/design-auth.md lists them).
 */
@NullMarked
package dev.tenantkit.auth;

import org.jspecify.annotations.NullMarked;
