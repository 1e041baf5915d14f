package dev.tenantkit.provision;

import dev.tenantkit.provision.internal.JavaFunctions;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * A Java function behind an API Gateway HTTP API whose one route ({@code $default}) has a JWT
 * authorizer: the deployment tenant-auth's {@code ApiGatewayJwtGuard} rests on. API Gateway checks
 * each token's signature, issuer, audience and expiry before the function runs; the function
 * binds the token to the tenant without checking the signature again
 * ({@code TENANTKIT_API_GATEWAY_VERIFIES_TOKENS=true}, set here and not settable otherwise).
 *
 * <p>What makes that safe, and what this construct does for it: the authorizer reads the
 * {@code Authorization} header ({@code $request.header.Authorization}, the token the function
 * reads), for one issuer (a tenant's user pool, or the shared pool of pooled tenants) and the
 * app clients given; the function's only resource-based permission lets
 * {@code apigateway.amazonaws.com} invoke it from this API ({@code SourceArn} the API's
 * execute-api ARN), and it has no event source; its role may write its own logs and nothing
 * else. What it cannot do: keep another identity policy in the account from granting
 * {@code lambda:InvokeFunction} on it, or another construct from adding a trigger. Whoever may
 * invoke it directly can send made-up claims with an unsigned token: keep that permission to no
 * one but administrators.
 *
 * <p>Defaults, as {@link TenantIsolatedFunction}'s: the latest Java runtime (Java 25), arm64,
 * 1,024 MB, 29 s, JSON logs kept 90 days, X-Ray active tracing, recursive loops stopped; the
 * stage's access log (request id, source IP, route, status, the authorizer's error; no token, no
 * user) kept 90 days, and a stage throttle of 100 requests a second, burst 200 (a tenant's own
 * WAF and TenantKit's per-tenant limits come on top).
 */
public final class GatewayVerifiedFunction extends Construct {
  /** The environment variable the function reads to use {@code ApiGatewayJwtGuard}; always {@code true} here. */
  public static final String GATEWAY_VERIFIES_TOKENS = "TENANTKIT_API_GATEWAY_VERIFIES_TOKENS";

  private static final String ACCESS_LOG = "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
      + "\"requestTime\":\"$context.requestTime\",\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\","
      + "\"responseLength\":\"$context.responseLength\",\"authorizerError\":\"$context.authorizer.error\","
      + "\"integrationError\":\"$context.integrationErrorMessage\"}";

  private final Function function;
  private final Role role;
  private final HttpApi api;

  private GatewayVerifiedFunction(Construct scope, String id, Builder b) {
    super(scope, id);
    LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs").retention(RetentionDays.THREE_MONTHS)
        .removalPolicy(RemovalPolicy.RETAIN).build();
    Map<String, String> environment = new LinkedHashMap<>(b.environment);
    environment.put(GATEWAY_VERIFIES_TOKENS, "true");
    JavaFunctions.Parts parts = JavaFunctions.build(this, "Runs " + id + " behind its HTTP API: its own logs only",
        Objects.requireNonNull(b.code), Objects.requireNonNull(b.handler), b.memoryMb, b.timeoutSeconds, environment,
        b.description != null ? b.description : "TenantKit: function behind the HTTP API " + id, f -> { });
    this.function = parts.function();
    this.role = parts.role();
    HttpJwtAuthorizer tokens = HttpJwtAuthorizer.Builder.create("Tokens", Objects.requireNonNull(b.issuer))
        .identitySource(List.of("$request.header.Authorization"))
        .jwtAudience(b.audience)
        .build();
    this.api = HttpApi.Builder.create(this, "Api")
        .description("TenantKit: " + id + ", every route behind the JWT authorizer of " + b.issuer)
        .defaultAuthorizer(tokens)
        .defaultIntegration(HttpLambdaIntegration.Builder.create("Function", function).build())
        .createDefaultStage(false)
        .build();
    IAccessLogDestination destination = new LogGroupLogDestination(accessLogs);
    HttpStage.Builder.create(this, "Stage").httpApi(api).stageName("$default").autoDeploy(true)
        .accessLogSettings(new IAccessLogSettings() {
          @Override
          public IAccessLogDestination getDestination() {
            return destination;
          }

          @Override
          public AccessLogFormat getFormat() {
            return AccessLogFormat.custom(ACCESS_LOG);
          }
        })
        .throttle(ThrottleSettings.builder().rateLimit(b.rateLimit).burstLimit(b.burstLimit).build())
        .build();
  }

  /** A builder; {@code code}, {@code handler}, {@code issuer} and {@code audience} are required. */
  public static Builder builder(Construct scope, String id) {
    return new Builder(scope, id);
  }

  /** The function. */
  public Function function() {
    return function;
  }

  /** Its execution role. */
  public IRole role() {
    return role;
  }

  /** The HTTP API. */
  public HttpApi api() {
    return api;
  }

  /** Builds a {@link GatewayVerifiedFunction}. */
  public static final class Builder {
    private final Construct scope;
    private final String id;
    private @Nullable Code code;
    private @Nullable String handler;
    private @Nullable String description;
    private @Nullable String issuer;
    private List<String> audience = List.of();
    private Map<String, String> environment = Map.of();
    private int memoryMb = 1024;
    private int timeoutSeconds = 29;
    private double rateLimit = 100;
    private int burstLimit = 200;

    private Builder(Construct scope, String id) {
      this.scope = Objects.requireNonNull(scope, "scope");
      this.id = Objects.requireNonNull(id, "id");
    }

    /** The deployable package, such as {@code Code.fromAsset("target/app-lambda.jar")}. Required. */
    public Builder code(Code code) {
      this.code = Objects.requireNonNull(code, "code");
      return this;
    }

    /** {@code package.Class::method} or {@code package.Class}. Required. */
    public Builder handler(String handler) {
      this.handler = JavaFunctions.handler(handler);
      return this;
    }

    /**
     * The issuer whose tokens the authorizer accepts, exactly as the tokens' {@code iss} (a user
     * pool's {@code https://cognito-idp.<region>.amazonaws.com/<pool id>}). Required; https.
     */
    public Builder issuer(String issuer) {
      URI uri;
      try {
        uri = URI.create(Objects.requireNonNull(issuer, "issuer"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("issuer is not a URL: " + issuer);
      }
      if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getQuery() != null
          || uri.getFragment() != null) {
        throw new IllegalArgumentException("issuer must be an https URL without query or fragment, as the tokens'"
            + " iss (API Gateway requires it): " + issuer);
      }
      this.issuer = issuer;
      return this;
    }

    /**
     * The app client ids (Cognito access tokens carry one as {@code client_id}, ID tokens as
     * {@code aud}) or audiences the authorizer accepts. Required, at least one.
     */
    public Builder audience(List<String> audience) {
      if (audience == null || audience.isEmpty() || audience.stream().anyMatch(a -> a == null || a.isBlank())) {
        throw new IllegalArgumentException("audience must name at least one app client id or audience");
      }
      this.audience = List.copyOf(audience);
      return this;
    }

    /**
     * Environment variables (TenantKit's: {@code TENANTKIT_CATALOG}, ...). No secrets: use
     * Secrets Manager. {@value #GATEWAY_VERIFIES_TOKENS} is this construct's to set.
     */
    public Builder environment(Map<String, String> environment) {
      if (environment.containsKey(GATEWAY_VERIFIES_TOKENS)) {
        throw new IllegalArgumentException(GATEWAY_VERIFIES_TOKENS + " is set by GatewayVerifiedFunction (true);"
            + " a function that checks signatures itself is a TenantIsolatedFunction or your own");
      }
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** 128 to 10,240 MB; 1,024 by default. */
    public Builder memoryMb(int memoryMb) {
      this.memoryMb = JavaFunctions.memoryMb(memoryMb);
      return this;
    }

    /** 1 to 29 s (the HTTP API's integration limit); 29 by default. */
    public Builder timeoutSeconds(int timeoutSeconds) {
      this.timeoutSeconds = JavaFunctions.timeoutSeconds(timeoutSeconds, 29, "API Gateway's limit");
      return this;
    }

    /** The stage's throttle: steady requests a second and burst; 100 and 200 by default. */
    public Builder throttle(double rateLimit, int burstLimit) {
      if (!(rateLimit > 0) || burstLimit < 1) {
        throw new IllegalArgumentException("throttle needs a rate above 0 and a burst of at least 1");
      }
      this.rateLimit = rateLimit;
      this.burstLimit = burstLimit;
      return this;
    }

    /** The function's description. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** Builds it in the scope. */
    public GatewayVerifiedFunction build() {
      if (code == null || handler == null || issuer == null || audience.isEmpty()) {
        throw new IllegalStateException("a gateway-verified function needs its code, handler, issuer and audience");
      }
      return new GatewayVerifiedFunction(scope, id, this);
    }
  }
}
