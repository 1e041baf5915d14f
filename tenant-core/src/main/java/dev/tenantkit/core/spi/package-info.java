/**
 * Rules that several TenantKit modules must apply identically, in one home. Public only because
 * Java has no "friends" visibility: <strong>not for users</strong>, not API, and may change in any
 * release. Feature modules (tenant-auth, tenant-db, tenant-provision, ...) may not import each
 * other, so a rule more than one needs lives here instead of being re-typed in each.
 *
 * <ul>
 *   <li>{@link dev.tenantkit.core.spi.Hosts}: which host names are loopback, from the text alone
 *       (tenant-db's plaintext-on-loopback TLS mode, the URI rule below);</li>
 *   <li>{@link dev.tenantkit.core.spi.Regions}: what an AWS Region code looks like (the tenant
 *       record's sections, tenant-auth's ALB verifier, tenant-provision's stack spec);</li>
 *   <li>{@link dev.tenantkit.core.spi.Uris}: which URIs may carry tokens or fetch keys (https, or
 *       http to loopback): the record's issuer and JWKS URI, the verifier's overrides and the
 *       locations OIDC discovery names;</li>
 *   <li>{@link dev.tenantkit.core.spi.Durations}: the range check of every duration option, with the
 *       range said the same way everywhere;</li>
 *   <li>{@link dev.tenantkit.core.spi.CognitoTenantRules}: how a tenant's Cognito user pool carries
 *       the tenant (the immutable {@code custom:tenant_id}, never written by an app client or mapped
 *       from a customer's identity provider) and how its app clients use OAuth; applied by
 *       tenant-auth's {@code CognitoTenantIdentityClient} (admin API) and tenant-provision's CDK
 *       user pool.</li>
 * </ul>
 */
@NullMarked
package dev.tenantkit.core.spi;

import org.jspecify.annotations.NullMarked;
