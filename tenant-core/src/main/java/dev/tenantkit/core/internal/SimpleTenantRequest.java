package dev.tenantkit.core.internal;

import dev.tenantkit.core.TenantRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ArrayList;
import java.util.HashMap;
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
    // Lower-case keys in a HashMap: resolvers ask with lower-case names (one hash lookup).
    Map<String, List<String>> copy = new HashMap<>();
    headers.forEach((k, v) -> copy.merge(k.toLowerCase(Locale.ROOT), List.copyOf(v), (a, b) -> {
      List<String> both = new ArrayList<>(a);
      both.addAll(b);
      return List.copyOf(both);
    }));
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
    List<String> values = headers(name);
    return values.isEmpty() ? null : values.get(0);
  }

  @Override
  public List<String> headers(String name) {
    List<String> values = headers.get(name);
    if (values == null && hasUpperCase(name)) {
      values = headers.get(name.toLowerCase(Locale.ROOT));
    }
    return values == null ? List.of() : values;
  }

  private static boolean hasUpperCase(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return true;
      }
    }
    return false;
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
