package dev.tenantkit.core.internal;

import dev.tenantkit.core.TenantRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A request view that adds something to another and answers every {@link TenantRequest} question with it. */
public interface ForwardingTenantRequest extends TenantRequest {
  /** The view this one adds to. */
  TenantRequest event();

  @Override
  default String method() {
    return event().method();
  }

  @Override
  default String host() {
    return event().host();
  }

  @Override
  default String path() {
    return event().path();
  }

  @Override
  default @Nullable String header(String name) {
    return event().header(name);
  }

  @Override
  default List<String> headers(String name) {
    return event().headers(name);
  }

  @Override
  default String remoteAddress() {
    return event().remoteAddress();
  }
}
