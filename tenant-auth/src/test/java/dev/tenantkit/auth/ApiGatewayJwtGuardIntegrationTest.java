package dev.tenantkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantRequest;
import dev.tenantkit.core.TenantResolvers;
import dev.tenantkit.core.lambda.ApiGatewayJwtClaims;
import dev.tenantkit.core.lambda.TenantLambda;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiGatewayJwtGuard} in the Lambda helper, on HTTP API (payload 2.0) event JSON read by
 * the Lambda runtime's serializer, with real tokens of the local issuer. No API Gateway runs here:
 * each event carries the claims the way API Gateway's JWT authorizer writes them after verifying
 * the token (every value a string, arrays as {@code [a b]}); what API Gateway itself checks (the
 * signature, the issuer and audience it is configured with) is not under test. Every issuer's key
 * endpoint is down throughout: the guard never fetches keys.
 */
class ApiGatewayJwtGuardIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  AuthFixtures f;
  TenantLambda lambda;

  @BeforeEach
  void start() {
    f = new AuthFixtures();
    for (var pool : List.of(f.acmePool, f.globexPool, f.sharedPool, f.hooliPool, f.attackerPool)) {
      pool.setAvailable(false);
    }
    lambda = lambda(ApiGatewayJwtGuard.of(f.verifier().build()));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private TenantLambda lambda(ApiGatewayJwtGuard guard) {
    return TenantLambda.builder().resolver(TenantResolvers.subdomain("{tenant}.api.example.com"))
        .catalog(f.catalog).guard(guard).build();
  }

  /** The claims as the JWT authorizer passes them on: the token's payload, every value a string. */
  static Map<String, String> gatewayClaims(String token) throws Exception {
    Map<?, ?> payload = JSON.readValue(Base64.getUrlDecoder().decode(token.split("\\.")[1]), Map.class);
    Map<String, String> out = new LinkedHashMap<>();
    payload.forEach((k, v) -> out.put((String) k, v instanceof List
        ? ((List<?>) v).stream().map(String::valueOf).collect(Collectors.joining(" ", "[", "]"))
        : String.valueOf(v)));
    return out;
  }

  /** An HTTP API event for {@code host} with this Authorization header and authorizer section. */
  APIGatewayV2HTTPEvent event(String host, @Nullable String authorization, @Nullable Map<String, String> jwtClaims,
      @Nullable Map<String, Object> lambdaContext) throws Exception {
    ObjectNode e;
    try (InputStream in = getClass().getResourceAsStream("/events/http-api-v2.json")) {
      e = (ObjectNode) JSON.readTree(in);
    }
    ObjectNode headers = (ObjectNode) e.get("headers");
    headers.put("host", host);
    if (authorization != null) {
      headers.put("authorization", authorization);
    }
    ObjectNode authorizer = ((ObjectNode) e.get("requestContext")).putObject("authorizer");
    if (jwtClaims != null) {
      ObjectNode jwt = authorizer.putObject("jwt");
      jwt.set("claims", JSON.valueToTree(jwtClaims));
      jwt.putNull("scopes");
    }
    if (lambdaContext != null) {
      authorizer.set("lambda", JSON.valueToTree(lambdaContext));
    }
    return LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, getClass().getClassLoader())
        .fromJson(new ByteArrayInputStream(JSON.writeValueAsBytes(e)));
  }

  /** The event API Gateway hands over for a request with {@code token}, which it verified. */
  APIGatewayV2HTTPEvent verified(String host, String token) throws Exception {
    return event(host, "Bearer " + token, gatewayClaims(token), null);
  }

  APIGatewayV2HTTPResponse call(TenantLambda l, APIGatewayV2HTTPEvent e) {
    return l.handle(e, (ev, principal) -> APIGatewayV2HTTPResponse.builder().withStatusCode(200)
        .withBody(TenantContext.require().id() + "/" + ((VerifiedPrincipal) principal).subject()).build());
  }

  APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent e) {
    return call(lambda, e);
  }

  static void refused(APIGatewayV2HTTPResponse r, int status, String code) {
    assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
    assertThat(r.getBody()).contains("\"type\":\"urn:tenantkit:problem:" + code + "\"");
  }

  @Test
  void aTokenTheAuthorizerVerified_isBoundToTheTenant_withoutFetchingAnyKey() throws Exception {
    APIGatewayV2HTTPResponse r = call(verified("acme.api.example.com",
        f.acmePool.accessToken().subject("alice").groups("editors").sign()));
    assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
    assertThat(r.getBody()).isEqualTo("acme/alice");
    // A shared pool's token, bound by its tenant claim.
    assertThat(call(verified("initech.api.example.com", f.sharedPool.accessToken().tenant("initech")
        .subject("ian").sign())).getBody()).isEqualTo("initech/ian");
    assertThat(f.acmePool.jwksFetches() + f.sharedPool.jwksFetches()).isZero();
  }

  @Test
  void aRouteWithoutAJwtAuthorizer_isRefused_evenWithAValidToken_andALambdaAuthorizersContextIsNotTrusted()
      throws Exception {
    String token = f.acmePool.accessToken().sign();
    refused(call(event("acme.api.example.com", "Bearer " + token, null, null)), 401, "not-gateway-verified");
    // A Lambda authorizer returning the very claims as its context: whatever its code returns.
    refused(call(event("acme.api.example.com", "Bearer " + token, null, Map.copyOf(gatewayClaims(token)))), 401,
        "not-gateway-verified");
    // And no token at all.
    refused(call(event("acme.api.example.com", null, gatewayClaims(token), null)), 401, "token-required");
  }

  @Test
  void aTokenOtherThanTheOneTheAuthorizerVerified_isRefused() throws Exception {
    String alices = f.acmePool.accessToken().subject("alice").sign();
    String bobs = f.acmePool.accessToken().subject("bob").sign();
    // Alice's verified claims, Bob's token in the header: Bob must not pass on Alice's check.
    refused(call(event("acme.api.example.com", "Bearer " + bobs, gatewayClaims(alices), null)), 401,
        "not-gateway-verified");
    // Claims changed after the fact: another expiry, or no issuer or expiry at all.
    for (String claim : List.of("exp", "iss")) {
      Map<String, String> changed = new LinkedHashMap<>(gatewayClaims(alices));
      changed.put(claim, claim.equals("exp") ? "4102444800" : "https://cognito-idp.eu-west-1.amazonaws.com/other");
      refused(call(event("acme.api.example.com", "Bearer " + alices, changed, null)), 401, "not-gateway-verified");
      Map<String, String> without = new LinkedHashMap<>(gatewayClaims(alices));
      without.remove(claim);
      refused(call(event("acme.api.example.com", "Bearer " + alices, without, null)), 401, "not-gateway-verified");
    }
    // A claim the authorizer verified that the token lacks.
    Map<String, String> more = new LinkedHashMap<>(gatewayClaims(alices));
    more.put("custom:tenant_id", "acme");
    refused(call(event("acme.api.example.com", "Bearer " + alices, more, null)), 401, "not-gateway-verified");
  }

  /** The token's payload. */
  static Map<String, Object> claims(String token) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> payload = JSON.readValue(Base64.getUrlDecoder().decode(token.split("\\.")[1]), Map.class);
    return payload;
  }

  /** A token of these claims (plus {@code more}) that nobody signed: what a caller without the issuer's key can make. */
  static String unsigned(Map<String, Object> claims, Map<String, Object> more) throws Exception {
    Map<String, Object> all = new LinkedHashMap<>(claims);
    all.putAll(more);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"x\"}".getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(JSON.writeValueAsBytes(all)) + ".AAAA";
  }

  @Test
  void aCopyOfTheVerifiedTokenWithAClaimAdded_isRefused() throws Exception {
    // Were the authorizer reading its token from elsewhere (a query parameter, another header),
    // the Authorization header could carry a copy of the verified token's claims with one added:
    // a group the user is not in, or the tenant claim a shared pool's token lacks.
    TenantLambda admins = lambda(ApiGatewayJwtGuard.of(f.verifier().build())
        .requiring(TokenRequirements.groups("admin")));
    String alices = f.acmePool.accessToken().subject("alice").sign();
    refused(call(admins, event("acme.api.example.com", "Bearer " + unsigned(claims(alices),
        Map.of("cognito:groups", List.of("admin"))), gatewayClaims(alices), null)), 401, "not-gateway-verified");
    String noTenant = f.sharedPool.accessToken().sign();
    assertThat(claims(noTenant)).doesNotContainKey("custom:tenant_id");
    refused(call(event("initech.api.example.com", "Bearer " + unsigned(claims(noTenant),
        Map.of("custom:tenant_id", "initech")), gatewayClaims(noTenant), null)), 401, "not-gateway-verified");
    // Its own claims, unchanged, but an element of an array changed in kind: [null] or an object.
    String editor = f.acmePool.accessToken().groups("editors").sign();
    for (Object odd : new Object[] {java.util.Arrays.asList((Object) null), List.of(Map.of("a", "b"), "admin")}) {
      refused(call(admins, event("acme.api.example.com", "Bearer " + unsigned(claims(editor),
          Map.of("cognito:groups", odd)), gatewayClaims(editor), null)), 401, "not-gateway-verified");
    }
    // The unchanged copy passes (the trust this guard rests on, see below), with its one group.
    assertThat(call(event("acme.api.example.com", "Bearer " + unsigned(claims(editor), Map.of()),
        gatewayClaims(editor), null)).getStatusCode()).isEqualTo(200);
  }

  @Test
  void anAuthorizerOfAnotherTenantsOrAnUnknownIssuer_orOfAnotherAppClientOrTokenKind_letsNothingThrough()
      throws Exception {
    // An authorizer configured with globex's pool, on acme's host: globex's token is globex's.
    refused(call(verified("acme.api.example.com", f.globexPool.accessToken().sign())), 403, "tenant-mismatch");
    // A shared pool's token claiming a silo tenant.
    refused(call(verified("acme.api.example.com", f.sharedPool.accessToken().tenant("acme").sign())), 403,
        "tenant-mismatch");
    // A pool in no tenant's record.
    refused(call(verified("acme.api.example.com", f.attackerPool.accessToken().sign())), 401, "unknown-issuer");
    // Another app client of acme's pool, and an ID token where access tokens are expected.
    refused(call(verified("acme.api.example.com", f.acmePool.accessToken().clientId("someotherclient").sign())),
        401, "wrong-audience");
    refused(call(verified("acme.api.example.com", f.acmePool.idToken().sign())), 401, "wrong-token-use");
    // A suspended tenant.
    refused(call(verified("hooli.api.example.com", f.hooliPool.accessToken().sign())), 403, "tenant-not-active");
  }

  @Test
  void timesAreTheVerifiersOwn_notOnlyTheAuthorizers() throws Exception {
    // Verified when it was still valid, replayed after: expiry is checked again here.
    String expired = f.acmePool.accessToken().expiresIn(Duration.ofMinutes(-5)).sign();
    refused(call(verified("acme.api.example.com", expired)), 401, "token-expired");
    String early = f.acmePool.accessToken().notBefore(Duration.ofMinutes(10)).sign();
    refused(call(verified("acme.api.example.com", early)), 401, "token-not-yet-valid");
  }

  @Test
  void groupsAndScopesAreReadFromTheToken_neverFromTheAuthorizersStrings() throws Exception {
    TenantLambda admins = lambda(ApiGatewayJwtGuard.of(f.verifier().build())
        .requiring(TokenRequirements.groups("admin")));
    // One group named "admin ops" (an Okta group may be; a Cognito group cannot): the authorizer
    // writes it "[admin ops]", which split on spaces would read as the groups admin and ops. Such
    // a token is refused outright: the authorizer's string does not say which of the two it was.
    String adminOps = f.acmePool.accessToken().groups("admin ops").sign();
    assertThat(gatewayClaims(adminOps)).containsEntry("cognito:groups", "[admin ops]");
    refused(call(admins, verified("acme.api.example.com", adminOps)), 401, "not-gateway-verified");
    assertThat(call(admins, verified("acme.api.example.com", f.acmePool.accessToken().groups("ops", "admin").sign()))
        .getStatusCode()).isEqualTo(200);
    TenantLambda writers = lambda(ApiGatewayJwtGuard.of(f.verifier().build())
        .requiring(TokenRequirements.scopes("documents/write")));
    refused(call(writers, verified("acme.api.example.com", f.acmePool.accessToken().scopes("documents/read").sign())),
        403, "insufficient-scope");
  }

  @Test
  void aForgedTokenWithClaimsToMatch_passes_whichIsWhyOnlyApiGatewayMayInvokeTheFunction() throws Exception {
    // The trust this guard rests on, shown: an event built by someone allowed to invoke the
    // function directly, with a token signed by nobody (a valid one's header and payload, a
    // garbage signature) and claims copied from it. BearerTokenGuard refuses it; this guard
    // cannot tell, so the deployment must let nothing but API Gateway invoke the function.
    String valid = f.acmePool.accessToken().subject("mallory-as-alice").sign();
    String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA";
    APIGatewayV2HTTPEvent e = event("acme.api.example.com", "Bearer " + forged, gatewayClaims(valid), null);
    assertThat(call(e).getStatusCode()).isEqualTo(200);
    f.acmePool.setAvailable(true);
    TenantLambda checking = TenantLambda.builder().resolver(TenantResolvers.subdomain("{tenant}.api.example.com"))
        .catalog(f.catalog).guard(BearerTokenGuard.of(f.verifier().build())).build();
    refused(call(checking, e), 401, "bad-signature");
  }

  @Test
  void theClaimsAreReadOnlyFromAnHttpApiEventsJwtAuthorizer() throws Exception {
    String token = f.acmePool.accessToken().sign();
    TenantRequest request = TenantLambda.request(verified("acme.api.example.com", token));
    String sub = gatewayClaims(token).get("sub");
    assertThat(ApiGatewayJwtClaims.of(request)).hasValueSatisfying(c -> assertThat(c).containsEntry("sub", sub)
        .isUnmodifiable());
    assertThat(ApiGatewayJwtClaims.of(TenantLambda.request(event("acme.api.example.com", "Bearer " + token, null,
        Map.of("sub", "x"))))).isEmpty();
    assertThat(ApiGatewayJwtClaims.of(TenantRequest.builder().header("authorization", "Bearer " + token).build()))
        .isEmpty();
    TenantTokenVerifier another = new TenantTokenVerifier() {
      @Override
      public VerifiedPrincipal verify(String t, dev.tenantkit.core.@Nullable TenantId resolved,
          TokenRequirements requirements) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void warmUp() {}
    };
    assertThatThrownBy(() -> ApiGatewayJwtGuard.of(another)).isInstanceOf(IllegalArgumentException.class);
  }
}
