/**
 * Spring Security on TenantKit: the request's bearer token, verified for the request's tenant by
 * TenantKit's verifier, becomes the {@code SecurityContext}'s {@link
 * dev.tenantkit.spring.security.TenantAuthentication} (principal: the
 * {@link dev.tenantkit.auth.VerifiedPrincipal}; authorities: {@code SCOPE_} and group
 * authorities), and refusals are answered as problem+json.
 */
@NullMarked
package dev.tenantkit.spring.security;

import org.jspecify.annotations.NullMarked;
