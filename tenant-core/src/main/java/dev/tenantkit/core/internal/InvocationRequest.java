package dev.tenantkit.core.internal;

import dev.tenantkit.core.TenantRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Lambda event's request view together with the tenant id the Lambda runtime handed the
 * invocation ({@code Context.getTenantId()}, tenant isolation mode): what
 * {@code TenantLambda.invocationTenant()} reads. Never built from the event itself, so nothing a
 * caller puts in headers, path or body can pose as it.
 */
public record InvocationRequest(TenantRequest event, @Nullable String invocationTenantId) implements TenantRequest {

  @Override
  public String method() {
    return event.method();
  }

  @Override
  public String host() {
    return event.host();
  }

  @Override
  public String path() {
    return event.path();
  }

  @Override
  public @Nullable String header(String name) {
    return event.header(name);
  }

  @Override
  public List<String> headers(String name) {
    return event.headers(name);
  }

  @Override
  public String remoteAddress() {
    return event.remoteAddress();
  }
}
