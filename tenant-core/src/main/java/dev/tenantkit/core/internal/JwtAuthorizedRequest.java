package dev.tenantkit.core.internal;

import dev.tenantkit.core.TenantRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP API (payload 2.0) event's request view together with the claims API Gateway's JWT
 * authorizer put in its {@code requestContext.authorizer.jwt.claims}: what
 * {@code dev.tenantkit.core.lambda.ApiGatewayJwtClaims} reads. Built only by
 * {@link LambdaRequests} from that one place of the event (never from a Lambda authorizer's
 * context, headers, path or body).
 *
 * @param event the request view
 * @param claims the claims as the event carries them (every value a string), read-only
 */
public record JwtAuthorizedRequest(TenantRequest event, Map<String, String> claims)
    implements ForwardingTenantRequest {

  /** Copies the claims, leaving out null names and values. */
  public JwtAuthorizedRequest {
    Map<String, String> copy = new java.util.LinkedHashMap<>();
    claims.forEach((k, v) -> {
      if (k != null && v != null) {
        copy.put(k, v);
      }
    });
    claims = java.util.Collections.unmodifiableMap(copy);
  }

  /** The claims of {@code request}, looking through a Lambda invocation's wrapper; null if none. */
  public static @Nullable Map<String, String> claimsOf(TenantRequest request) {
    TenantRequest r = request instanceof InvocationRequest ? ((InvocationRequest) request).event() : request;
    return r instanceof JwtAuthorizedRequest ? ((JwtAuthorizedRequest) r).claims() : null;
  }

  /** Never prints the claims (they may hold personal data). */
  @Override
  public String toString() {
    return "JwtAuthorizedRequest[" + event + ", " + claims.size() + " claims]";
  }
}
