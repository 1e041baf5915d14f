package dev.tenantkit.spring;

import dev.tenantkit.core.TenantRequest;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which requests are management endpoints served without a tenant: the base path itself, or
 * plain segments under it. The filter sees the raw request URI, which the servlet container
 * normalises only afterwards (so {@code /actuator/..;/documents} is served as {@code /documents});
 * a path with a dot segment, a path parameter, an escape or a backslash is therefore never
 * skipped, and goes through tenant admission like any other request.
 */
final class ManagementPaths implements Predicate<TenantRequest> {
  /**
   * A plain path segment: letters, digits, '-', '_' and dots, not starting with a dot (so never
   * '.' or '..'; metric names have dots). {@link SkipPaths} accepts the same segments.
   */
  static final String SEGMENT = "/[A-Za-z0-9_-][A-Za-z0-9_.-]*";
  private static final Pattern SEGMENTS = Pattern.compile("(" + SEGMENT + ")*/?");

  private final String basePath;

  ManagementPaths(String basePath) {
    String base = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    if (base.isEmpty() || !base.startsWith("/") || !SEGMENTS.matcher(base).matches()) {
      throw new IllegalArgumentException("management.endpoints.web.base-path must be a plain path under '/' to be"
          + " served without a tenant (or set tenantkit.filter.skip-management-endpoints=false): " + basePath);
    }
    this.basePath = base;
  }

  @Override
  public boolean test(TenantRequest request) {
    return matches(request.path());
  }

  boolean matches(String path) {
    if (!path.startsWith(basePath)) {
      return false;
    }
    String rest = path.substring(basePath.length());
    return rest.isEmpty() || (rest.startsWith("/") && SEGMENTS.matcher(rest).matches());
  }
}
