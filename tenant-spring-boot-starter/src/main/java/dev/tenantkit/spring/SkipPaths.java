package dev.tenantkit.spring;

import dev.tenantkit.core.TenantConfigurationException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code tenantkit.filter.skip-paths}, checked at start: the tenant filter compares them with the
 * raw request URI, exactly, and the starter's security chain opens exactly those URIs, so each
 * must be a plain literal path (no pattern, no dot segment, no escape or parameter), and none may
 * be under the management base path, whose endpoints other than health stay closed.
 */
final class SkipPaths {
  private static final Pattern PLAIN = Pattern.compile("(" + ManagementPaths.SEGMENT + ")+");

  private SkipPaths() {}

  static List<String> checked(List<String> paths, String managementBasePath) {
    String base = managementBasePath.endsWith("/")
        ? managementBasePath.substring(0, managementBasePath.length() - 1) : managementBasePath;
    for (String p : paths) {
      if (p == null || !PLAIN.matcher(p).matches()) {
        throw new TenantConfigurationException("tenantkit.filter.skip-paths: " + p + " is not a plain path such as"
            + " /health (letters, digits, '-', '_', '.' in segments; no pattern, dot segment, escape or parameter)");
      }
      if (!base.isEmpty() && (p.equals(base) || p.startsWith(base + "/"))) {
        throw new TenantConfigurationException("tenantkit.filter.skip-paths: " + p + " is under the management base"
            + " path " + base + "; management endpoints are opened with a security chain of your own, not here");
      }
    }
    return List.copyOf(paths);
  }
}
