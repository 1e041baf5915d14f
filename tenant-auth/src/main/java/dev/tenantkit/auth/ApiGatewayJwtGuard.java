package dev.tenantkit.auth;

import dev.tenantkit.auth.internal.DefaultTokenVerifier;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantRequest;
import dev.tenantkit.core.TenantRequestGuard;
import dev.tenantkit.core.lambda.ApiGatewayJwtClaims;
import java.util.Map;
import java.util.Objects;

/**
 * For a Lambda function behind an API Gateway HTTP API whose routes have a JWT authorizer (AWS
 * first: API Gateway checks the token's signature, issuer, audience and expiry before the
 * function runs, and refuses a bad token without invoking it): binds the token to the request's
 * tenant with every check of {@link TenantTokenVerifier} except the signature's, so the function
 * fetches no signing keys and checks no signature, at cold start or after.
 *
 * <pre>{@code
 * TenantTokenVerifier verifier = TenantTokenVerifier.builder().catalog(catalog).build();
 * TenantLambda lambda = TenantLambda.builder()
 *     .resolver(TenantResolvers.subdomain("{tenant}.api.example.com"))
 *     .catalog(catalog)
 *     .guard(ApiGatewayJwtGuard.of(verifier))
 *     .build();
 * }</pre>
 *
 * <p>What it checks, in order: the event carries the claims of a JWT authorizer
 * ({@code requestContext.authorizer.jwt.claims}; a route without one, or with a Lambda
 * authorizer, is refused 401 {@code not-gateway-verified}); the {@code Authorization: Bearer}
 * token is well formed and is the one the authorizer verified (the claims the authorizer passed on,
 * {@code iss} and {@code exp} among them, are exactly the token's, both ways; a token with an array
 * claim that API Gateway's {@code [a b]} form cannot show unambiguously, such as a group name with a
 * space, is refused); then, on the token's own
 * claims: the issuer is a tenant's in the catalog with the algorithm allowed, the times with the
 * verifier's clock skew, the kind of token, the tenant binding (issuer or tenant claim, equal to
 * the tenant the request resolved, which must be served), the app client and audience of the
 * tenant's record, the groups and scopes required, and the verifier's claim check. So an
 * authorizer configured for another issuer, another tenant's pool or app client, or ID tokens
 * where access tokens are expected, lets nothing through that {@link BearerTokenGuard} would
 * refuse, except a token whose signature API Gateway checked instead.
 *
 * <p>The authorizer's identity source must be the {@code Authorization} header (the default,
 * {@code $request.header.Authorization}), so that the token it verified is the one read here.
 *
 * <p><b>The trust it rests on:</b> only API Gateway may invoke the function. Anyone allowed
 * {@code lambda:InvokeFunction} on it can hand it an event with any claims and an unsigned token
 * to match; with this guard such an event passes. So the function's resource policy must allow
 * only {@code apigateway.amazonaws.com} with the API's {@code SourceArn}, and no identity policy
 * in the account may grant invoking it (give it to nothing but the API; tenant-provision's
 * {@code GatewayVerifiedFunction} builds the function, the API, its authorizer and that one
 * permission). Where that cannot be
 * promised (a function also invoked directly, by an event source, or from a console), use
 * {@link BearerTokenGuard}, which checks the signature itself. REST APIs and ALB events carry no
 * such claims here: use {@link BearerTokenGuard} (REST API) or {@link AlbTokenVerifier} (ALB).
 */
public final class ApiGatewayJwtGuard implements TenantRequestGuard {
  private final DefaultTokenVerifier verifier;
  private final TokenRequirements requirements;

  private ApiGatewayJwtGuard(DefaultTokenVerifier verifier, TokenRequirements requirements) {
    this.verifier = verifier;
    this.requirements = requirements;
  }

  /**
   * A guard that requires an API Gateway JWT authorizer's claims and the same token, bound to
   * the request's tenant by {@code verifier}'s rules.
   *
   * @param verifier a verifier from {@link TenantTokenVerifier#builder()} (its catalog, token use,
   *     clock skew, algorithms and claim check apply; its key settings are not used)
   * @throws IllegalArgumentException for a verifier of another implementation
   */
  public static ApiGatewayJwtGuard of(TenantTokenVerifier verifier) {
    Objects.requireNonNull(verifier, "verifier");
    if (!(verifier instanceof DefaultTokenVerifier)) {
      throw new IllegalArgumentException("ApiGatewayJwtGuard needs a verifier built by TenantTokenVerifier.builder()");
    }
    return new ApiGatewayJwtGuard((DefaultTokenVerifier) verifier, TokenRequirements.none());
  }

  /** The same guard, also requiring these groups and scopes (read from the token). */
  public ApiGatewayJwtGuard requiring(TokenRequirements requirements) {
    return new ApiGatewayJwtGuard(verifier, Objects.requireNonNull(requirements, "requirements"));
  }

  @Override
  public VerifiedPrincipal check(TenantRequest request, Tenant tenant) {
    Map<String, String> claims = ApiGatewayJwtClaims.of(request).orElseThrow(() -> new TokenRejectedException(
        TokenRejectedException.Reason.NOT_GATEWAY_VERIFIED, "the event carries no claims of an API Gateway JWT "
            + "authorizer (does the route have one?)"));
    return verifier.verifyGatewayVerified(BearerTokenGuard.bearerToken(request), claims, tenant.id(), requirements);
  }
}
