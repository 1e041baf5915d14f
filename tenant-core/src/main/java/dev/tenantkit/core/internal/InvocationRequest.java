package dev.tenantkit.core.internal;

import dev.tenantkit.core.TenantRequest;
import org.jspecify.annotations.Nullable;

/**
 * A Lambda event's request view together with the tenant id the Lambda runtime handed the
 * invocation ({@code Context.getTenantId()}, tenant isolation mode): what
 * {@code TenantLambda.invocationTenant()} reads. Never built from the event itself, so nothing a
 * caller puts in headers, path or body can pose as it.
 */
public record InvocationRequest(TenantRequest event, @Nullable String invocationTenantId)
    implements ForwardingTenantRequest {}
