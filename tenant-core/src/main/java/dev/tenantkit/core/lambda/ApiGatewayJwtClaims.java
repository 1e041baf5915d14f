package dev.tenantkit.core.lambda;

import dev.tenantkit.core.TenantRequest;
import dev.tenantkit.core.internal.JwtAuthorizedRequest;
import java.util.Map;
import java.util.Optional;

/**
 * The claims API Gateway's JWT authorizer verified for an HTTP API (payload 2.0) event, as the
 * event carries them in {@code requestContext.authorizer.jwt.claims}: every value a string
 * (numbers as their digits, arrays written {@code [a b]}). Empty for any other request: a REST
 * API or ALB event, a route without an authorizer or with a Lambda authorizer, a servlet request.
 *
 * <p>Only as trustworthy as the rule that nothing but API Gateway invokes the function: anyone
 * allowed to call {@code lambda:InvokeFunction} on it can put any claims in an event. tenant-auth's
 * {@code ApiGatewayJwtGuard} relies on them only together with the token itself (see there).
 */
public final class ApiGatewayJwtClaims {
  private ApiGatewayJwtClaims() {}

  /** The verified claims of {@code request}'s event, read-only; empty when it carries none. */
  public static Optional<Map<String, String>> of(TenantRequest request) {
    return Optional.ofNullable(JwtAuthorizedRequest.claimsOf(request));
  }
}
