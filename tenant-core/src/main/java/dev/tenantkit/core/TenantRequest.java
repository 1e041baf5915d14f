package dev.tenantkit.core;

import dev.tenantkit.core.internal.SimpleTenantRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A framework-neutral view of an incoming request: what resolvers look at. Adapters (servlet,
 * Lambda) implement it over their own request types without copying.
 */
public interface TenantRequest {

  /** The HTTP method, upper case; {@code ""} for non-HTTP events. */
  String method();

  /** The host the client addressed, without port, lower case; {@code ""} when unknown. */
  String host();

  /** The raw (not percent-decoded) path, starting with {@code /}; {@code ""} when unknown. */
  String path();

  /** The first value of a header (name case-insensitive), or null. */
  @Nullable String header(String name);

  /** Every value of a header (name case-insensitive); empty when absent. */
  List<String> headers(String name);

  /** The address of the immediate peer (the proxy, when there is one); {@code ""} when unknown. */
  String remoteAddress();

  /** A builder for tests and custom adapters. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a simple immutable {@link TenantRequest}. */
  final class Builder {
    private String method = "GET";
    private String host = "";
    private String path = "/";
    private String remoteAddress = "";
    private final java.util.Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private Builder() {}

    /** The HTTP method. */
    public Builder method(String method) {
      this.method = method.toUpperCase(java.util.Locale.ROOT);
      return this;
    }

    /** The host, with or without port; stored without port, lower case. */
    public Builder host(String host) {
      this.host = SimpleTenantRequest.normalizeHost(host);
      return this;
    }

    /** The raw path. */
    public Builder path(String path) {
      this.path = path;
      return this;
    }

    /** Adds a header value. */
    public Builder header(String name, String value) {
      headers.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
      return this;
    }

    /** The peer address. */
    public Builder remoteAddress(String remoteAddress) {
      this.remoteAddress = remoteAddress;
      return this;
    }

    /** Builds the request view. */
    public TenantRequest build() {
      return new SimpleTenantRequest(method, host, path, headers, remoteAddress);
    }
  }
}
