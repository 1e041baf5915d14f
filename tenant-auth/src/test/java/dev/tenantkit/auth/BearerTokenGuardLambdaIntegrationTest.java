package dev.tenantkit.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantResolvers;
import dev.tenantkit.core.lambda.TenantLambda;
import java.io.InputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard in the Lambda helper: a real HTTP API event JSON and real tokens from the local issuer. */
class BearerTokenGuardLambdaIntegrationTest {
  AuthFixtures f;
  TenantLambda lambda;

  @BeforeEach
  void start() {
    f = new AuthFixtures();
    lambda = TenantLambda.builder().resolver(TenantResolvers.subdomain("{tenant}.api.example.com"))
        .catalog(f.catalog).guard(BearerTokenGuard.of(f.verifier().build())).build();
  }

  @AfterEach
  void stop() {
    f.close();
  }

  APIGatewayV2HTTPEvent event(String host, String authorization) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/events/http-api-v2.json")) {
      APIGatewayV2HTTPEvent e = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class,
          getClass().getClassLoader()).fromJson(in);
      e.getHeaders().put("host", host);
      if (authorization != null) {
        e.getHeaders().put("authorization", authorization);
      }
      return e;
    }
  }

  APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent e) {
    return lambda.handle(e, (ev, principal) -> APIGatewayV2HTTPResponse.builder().withStatusCode(200)
        .withBody(TenantContext.require().id() + "/" + ((VerifiedPrincipal) principal).subject()).build());
  }

  @Test
  void validToken_handlerGetsPrincipalInTenantScope() throws Exception {
    APIGatewayV2HTTPResponse r = call(event("acme.api.example.com",
        "Bearer " + f.acmePool.accessToken().subject("alice").sign()));
    assertThat(r.getStatusCode()).isEqualTo(200);
    assertThat(r.getBody()).isEqualTo("acme/alice");
  }

  @Test
  void otherTenantsToken_403_noToken_401WithChallenge() throws Exception {
    APIGatewayV2HTTPResponse mismatch = call(event("globex.api.example.com", "Bearer " + f.acmePool.accessToken().sign()));
    assertThat(mismatch.getStatusCode()).isEqualTo(403);
    assertThat(mismatch.getBody()).contains("tenant-mismatch");
    APIGatewayV2HTTPResponse none = call(event("acme.api.example.com", null));
    assertThat(none.getStatusCode()).isEqualTo(401);
    assertThat(none.getHeaders()).containsEntry("WWW-Authenticate", "Bearer")
        .containsEntry("Content-Type", "application/problem+json");
  }
}
