package dev.tenantkit.core.internal;

import dev.tenantkit.core.TenantRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** An immutable {@link TenantRequest}; also the host normalisation every adapter shares. */
public final class SimpleTenantRequest implements TenantRequest {
  private final String method;
  private final String host;
  private final String path;
  private final Map<String, List<String>> headers;
  private final String remoteAddress;

  /** Copies the headers into a case-insensitive map. */
  public SimpleTenantRequest(String method, String host, String path,
      Map<String, List<String>> headers, String remoteAddress) {
    this.method = method;
    this.host = host;
    this.path = path;
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    this.headers = copy;
    this.remoteAddress = remoteAddress;
  }

  /**
   * The host without port, lower case. A bracketed IPv6 literal keeps its brackets. Allocates
   * only when the input has a port or upper-case letters.
   */
  public static String normalizeHost(@Nullable String host) {
    if (host == null || host.isEmpty()) {
      return "";
    }
    String h = host;
    if (h.charAt(0) == '[') {
      int end = h.indexOf(']');
      h = end < 0 ? h : h.substring(0, end + 1);
    } else {
      int colon = h.indexOf(':');
      if (colon >= 0) {
        h = h.substring(0, colon);
      }
    }
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return h.toLowerCase(Locale.ROOT);
      }
    }
    return h;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public @Nullable String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public List<String> headers(String name) {
    List<String> values = headers.get(name);
    return values == null ? List.of() : values;
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public String toString() {
    return "TenantRequest[" + method + " " + host + " " + SafeText.quote(path) + "]";
  }
}
