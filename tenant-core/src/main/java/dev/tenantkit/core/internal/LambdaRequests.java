package dev.tenantkit.core.internal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import dev.tenantkit.core.TenantRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** {@link TenantRequest} views of the Lambda HTTP event types. */
public final class LambdaRequests {
  private LambdaRequests() {}

  /** API Gateway HTTP API (payload 2.0). */
  public static TenantRequest of(APIGatewayV2HTTPEvent e) {
    Map<String, List<String>> headers = headers(e.getHeaders(), null);
    APIGatewayV2HTTPEvent.RequestContext ctx = e.getRequestContext();
    APIGatewayV2HTTPEvent.RequestContext.Http http = ctx == null ? null : ctx.getHttp();
    String host = first(headers, "host");
    if (host == null && ctx != null) {
      host = ctx.getDomainName();
    }
    TenantRequest view = new SimpleTenantRequest(
        http == null || http.getMethod() == null ? "" : http.getMethod(),
        SimpleTenantRequest.normalizeHost(host),
        e.getRawPath() != null ? e.getRawPath() : http == null || http.getPath() == null ? "" : http.getPath(),
        headers,
        http == null || http.getSourceIp() == null ? "" : http.getSourceIp());
    // Only a JWT authorizer's claims: a Lambda authorizer's context is whatever its code returned.
    APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = ctx == null ? null : ctx.getAuthorizer();
    APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = authorizer == null ? null : authorizer.getJwt();
    Map<String, String> claims = jwt == null ? null : jwt.getClaims();
    return claims == null ? view : new JwtAuthorizedRequest(view, claims);
  }

  /** API Gateway REST API (payload 1.0). */
  public static TenantRequest of(APIGatewayProxyRequestEvent e) {
    Map<String, List<String>> headers = headers(e.getHeaders(), e.getMultiValueHeaders());
    APIGatewayProxyRequestEvent.ProxyRequestContext ctx = e.getRequestContext();
    String host = first(headers, "host");
    if (host == null && ctx != null) {
      host = ctx.getDomainName();
    }
    String source = ctx == null || ctx.getIdentity() == null ? null : ctx.getIdentity().getSourceIp();
    return new SimpleTenantRequest(
        e.getHttpMethod() == null ? "" : e.getHttpMethod(),
        SimpleTenantRequest.normalizeHost(host),
        e.getPath() == null ? "" : e.getPath(),
        headers,
        source == null ? "" : source);
  }

  /**
   * Application Load Balancer target. The peer is the load balancer itself and the event does
   * not say its address, so header resolvers never trust headers here: a client could set them.
   */
  public static TenantRequest of(ApplicationLoadBalancerRequestEvent e) {
    Map<String, List<String>> headers = headers(e.getHeaders(), e.getMultiValueHeaders());
    return new SimpleTenantRequest(
        e.getHttpMethod() == null ? "" : e.getHttpMethod(),
        SimpleTenantRequest.normalizeHost(first(headers, "host")),
        e.getPath() == null ? "" : e.getPath(),
        headers,
        "");
  }

  private static Map<String, List<String>> headers(
      @Nullable Map<String, String> single, @Nullable Map<String, List<String>> multi) {
    Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (multi != null) {
      multi.forEach((k, v) -> {
        if (k != null && v != null) {
          out.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v);
        }
      });
    }
    if (single != null) {
      single.forEach((k, v) -> {
        if (k != null && v != null && !out.containsKey(k)) {
          // Payload 2.0 joins repeated headers with commas; keep it as one value.
          out.put(k, new ArrayList<>(List.of(v)));
        }
      });
    }
    return out;
  }

  private static @Nullable String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
