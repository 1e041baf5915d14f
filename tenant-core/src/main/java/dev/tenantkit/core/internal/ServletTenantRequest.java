package dev.tenantkit.core.internal;

import dev.tenantkit.core.TenantRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A {@link TenantRequest} view over a servlet request; copies nothing up front. */
public final class ServletTenantRequest implements TenantRequest {
  private final HttpServletRequest request;

  /** Views {@code request}. */
  public ServletTenantRequest(HttpServletRequest request) {
    this.request = request;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String host() {
    return SimpleTenantRequest.normalizeHost(request.getServerName());
  }

  @Override
  public String path() {
    String uri = request.getRequestURI();
    return uri == null ? "" : uri;
  }

  @Override
  public @Nullable String header(String name) {
    return request.getHeader(name);
  }

  @Override
  public List<String> headers(String name) {
    java.util.Enumeration<String> values = request.getHeaders(name);
    return values == null ? List.of() : Collections.list(values);
  }

  @Override
  public String remoteAddress() {
    String addr = request.getRemoteAddr();
    return addr == null ? "" : addr;
  }
}
