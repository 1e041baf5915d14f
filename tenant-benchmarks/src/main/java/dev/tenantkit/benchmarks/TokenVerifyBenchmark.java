package dev.tenantkit.benchmarks;

import com.nimbusds.jose.util.Base64URL;
import dev.tenantkit.auth.TenantTokenVerifier;
import dev.tenantkit.auth.TokenUse;
import dev.tenantkit.auth.VerifiedPrincipal;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.testkit.LocalTokenIssuer;
import dev.tenantkit.testkit.LocalUserPool;
import dev.tenantkit.testkit.TestTenants;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifying one RS256 Cognito access token with the issuer's keys already in memory, full
 * checks: TenantKit's verifier (without and with its verified-token cache) beside Spring
 * Security's {@code NimbusJwtDecoder} configured with the same key and equivalent validators
 * (exp/nbf with skew, issuer, token_use, client_id, and the tenant claim against the expected
 * tenant). Same token, same JVM, same run. And {@code tenantkitBehindApiGateway}: the guard for a
 * Lambda behind an HTTP API JWT authorizer ({@code ApiGatewayJwtGuard}), which checks the same
 * token on an event carrying the authorizer's claims, every check but the signature's.
 *
 * <p>The floor, {@code floorBareSignature}, is what no verifier can go below: a bare
 * {@code java.security.Signature} RS256 verify (getInstance, initVerify, update, verify, as a
 * thread-safe verifier must do per call) of the same token's signing input and signature, decoded
 * once in set-up; no parsing, no claims, no checks. Run the pairs in ABBA order
 * ({@code tenant-benchmarks/abba.sh}) so the drift of a shared 2-core machine cancels out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenVerifyBenchmark {
  private LocalTokenIssuer issuer;
  private String token;
  private TenantId tenant;
  private TenantTokenVerifier tenantkit;
  private TenantTokenVerifier tenantkitCached;
  private NimbusJwtDecoder spring;
  private RSAPublicKey publicKey;
  private byte[] signingInput;
  private byte[] signature;
  private dev.tenantkit.auth.ApiGatewayJwtGuard gateway;
  private dev.tenantkit.core.TenantRequest gatewayRequest;
  private dev.tenantkit.core.Tenant tenantRecord;

  @Setup
  public void setUp() throws Exception {
    issuer = LocalTokenIssuer.start();
    LocalUserPool pool = issuer.pool("eu-west-1_Bench");
    tenant = TenantId.of("acme");
    TenantCatalog catalog = TestTenants.catalog(TestTenants.tenant("acme").identity(pool.identity().build()).build());
    token = pool.accessToken().groups("users").scopes("documents/read").sign();
    // Keys given as a document: no network in the measured loop, for either side.
    tenantkit = TenantTokenVerifier.builder().catalog(catalog).tokenUse(TokenUse.ACCESS)
        .jwks(pool.issuer(), pool.jwksJson()).verifiedTokenCacheSize(0).build();
    tenantkitCached = TenantTokenVerifier.builder().catalog(catalog).tokenUse(TokenUse.ACCESS)
        .jwks(pool.issuer(), pool.jwksJson()).verifiedTokenCacheSize(10_000).build();

    publicKey = pool.signingKey().toRSAPublicKey();
    signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    signature = new Base64URL(token.substring(token.lastIndexOf('.') + 1)).decode();
    if (!floorBareSignature()) {
      throw new IllegalStateException("the floor does not verify the token");
    }

    String clientId = pool.clientId();
    spring = NimbusJwtDecoder.withPublicKey((RSAPublicKey) pool.signingKey().toRSAPublicKey())
        .signatureAlgorithm(SignatureAlgorithm.RS256).build();
    OAuth2TokenValidator<Jwt> claims = jwt -> {
      boolean ok = "access".equals(jwt.getClaimAsString("token_use"))
          && clientId.equals(jwt.getClaimAsString("client_id"))
          && (jwt.getClaimAsString("custom:tenant_id") == null
              || "acme".equals(jwt.getClaimAsString("custom:tenant_id")));
      return ok ? OAuth2TokenValidatorResult.success()
          : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token"));
    };
    spring.setJwtValidator(new DelegatingOAuth2TokenValidator<>(List.of(
        JwtValidators.createDefaultWithIssuer(pool.issuer()), claims)));
    // Behind an HTTP API JWT authorizer: the request view of an event carrying the authorizer's
    // claims (every value a string, as API Gateway writes them).
    java.util.Map<String, String> gatewayClaims = new java.util.LinkedHashMap<>();
    com.nimbusds.jwt.SignedJWT.parse(token).getPayload().toJSONObject().forEach((k, v) -> gatewayClaims.put(k,
        v instanceof List ? ((List<?>) v).stream().map(String::valueOf)
            .collect(java.util.stream.Collectors.joining(" ", "[", "]")) : String.valueOf(v)));
    var event = new com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent();
    event.setHeaders(java.util.Map.of("authorization", "Bearer " + token, "host", "acme.api.example.com"));
    event.setRequestContext(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext
        .builder().withAuthorizer(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext
            .Authorizer.builder().withJwt(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent
                .RequestContext.Authorizer.JWT.builder().withClaims(gatewayClaims).build()).build()).build());
    gatewayRequest = dev.tenantkit.core.lambda.TenantLambda.request(event);
    gateway = dev.tenantkit.auth.ApiGatewayJwtGuard.of(TenantTokenVerifier.builder().catalog(catalog).build());
    tenantRecord = catalog.require(tenant);
    // All must accept the token before anything is measured.
    tenantkit.verify(token, tenant);
    spring.decode(token);
    tenantkitBehindApiGateway();
  }

  @TearDown
  public void tearDown() {
    issuer.close();
  }

  @Benchmark
  public VerifiedPrincipal tenantkit() {
    return tenantkit.verify(token, tenant);
  }

  @Benchmark
  public VerifiedPrincipal tenantkitWithVerifiedTokenCache() {
    return tenantkitCached.verify(token, tenant);
  }

  /** {@code ApiGatewayJwtGuard}: every check but the signature's (API Gateway made it), no cache. */
  @Benchmark
  public VerifiedPrincipal tenantkitBehindApiGateway() {
    return gateway.check(gatewayRequest, tenantRecord);
  }

  @Benchmark
  public Jwt springNimbusJwtDecoder() {
    return spring.decode(token);
  }

  @Benchmark
  public boolean floorBareSignature() throws Exception {
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(publicKey);
    verifier.update(signingInput);
    return verifier.verify(signature);
  }
}
