package dev.tenantkit.core.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.core.RequestLimits;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantLimiter;
import dev.tenantkit.core.TenantResolvers;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.core.TrustedProxies;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The Lambda helper with real event JSON, read by the serializer the Lambda Java runtime uses
 * (aws-lambda-java-serialization), not hand-built objects.
 */
class TenantLambdaTest {
  static final TenantCatalog CATALOG = TenantCatalog.inMemory(
      Tenant.builder().id("acme").tier("premium").build(),
      Tenant.builder().id("globex").tier("basic").build(),
      Tenant.builder().id("initech").tier("basic").status(TenantStatus.SUSPENDED).build());

  static <T> T event(String name, Class<T> type) throws IOException {
    try (InputStream in = TenantLambdaTest.class.getResourceAsStream("/events/" + name)) {
      return LambdaEventSerializers.serializerFor(type, TenantLambdaTest.class.getClassLoader()).fromJson(in);
    }
  }

  @AfterEach
  void nothingLeaks() {
    assertThat(TenantContext.current()).isEmpty();
    assertThat(MDC.get("tenant.id")).isNull();
  }

  @Test
  void httpApi_runsHandlerInTenantFromSubdomain() throws IOException {
    TenantLambda lambda = TenantLambda.builder()
        .resolver(TenantResolvers.subdomain("{tenant}.api.example.com")).catalog(CATALOG).build();
    APIGatewayV2HTTPEvent e = event("http-api-v2.json", APIGatewayV2HTTPEvent.class);
    APIGatewayV2HTTPResponse r = lambda.handle(e, ev -> APIGatewayV2HTTPResponse.builder()
        .withStatusCode(200).withBody(TenantContext.require().id() + "/" + MDC.get("tenant.tier")).build());
    assertThat(r.getStatusCode()).isEqualTo(200);
    assertThat(r.getBody()).isEqualTo("acme/premium");
    assertThat(TenantLambda.request(e).remoteAddress()).isEqualTo("203.0.113.10");
    assertThat(TenantLambda.request(e).method()).isEqualTo("GET");
  }

  @Test
  void httpApi_overTheTenantsLimit_problemJson429WithRetryAfter_handlerNotCalled_andAPermitIsFreedAfterEach()
      throws IOException {
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    TenantLimiter limiter = TenantLimiter.builder().tier("premium", RequestLimits.of(1, 3, 1)).nanoTime(clock::get)
        .build();
    TenantLambda lambda = TenantLambda.builder()
        .resolver(TenantResolvers.subdomain("{tenant}.api.example.com")).catalog(CATALOG).limiter(limiter).build();
    APIGatewayV2HTTPEvent e = event("http-api-v2.json", APIGatewayV2HTTPEvent.class);
    for (int i = 0; i < 3; i++) { // one in flight at most: each invocation frees its place when it ends
      assertThat(lambda.handle(e, ev -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).build())
          .getStatusCode()).isEqualTo(200);
    }
    boolean[] called = {false};
    APIGatewayV2HTTPResponse r = lambda.handle(e, ev -> {
      called[0] = true;
      return null;
    });
    assertThat(called[0]).isFalse();
    assertThat(r.getStatusCode()).isEqualTo(429);
    assertThat(r.getHeaders()).containsEntry("Retry-After", "1")
        .containsEntry("Content-Type", "application/problem+json");
    assertThat(new ObjectMapper().readTree(r.getBody()).get("type").asText())
        .isEqualTo("urn:tenantkit:problem:rate-limited");
    assertThat(limiter.stats(TenantId.of("acme"))).isEqualTo(new TenantLimiter.Stats(3, 1, 0, 0));
  }

  /** What tenant storage throws when S3 cannot be reached (tenant-storage's StorageException.Unavailable). */
  static final class S3Down extends dev.tenantkit.core.TenantKitException implements dev.tenantkit.core.HttpProblem {
    S3Down() {
      super("S3 put for tenant acme could not reach S3: ConnectException");
    }

    @Override
    public int httpStatus() {
      return 503;
    }

    @Override
    public String problemCode() {
      return "storage-unavailable";
    }

    @Override
    public String problemTitle() {
      return "Storage unavailable";
    }

    @Override
    public Map<String, String> problemHeaders() {
      return Map.of("Retry-After", "1");
    }
  }

  @Test
  void httpApi_anOutageBehindTheHandler_is503ProblemJson_otherExceptionsLeaveTheHandlerAsBefore() throws IOException {
    TenantLambda lambda = TenantLambda.builder()
        .resolver(TenantResolvers.subdomain("{tenant}.api.example.com")).catalog(CATALOG).build();
    APIGatewayV2HTTPEvent e = event("http-api-v2.json", APIGatewayV2HTTPEvent.class);
    Map<RuntimeException, String> outages = Map.of(
        new IllegalStateException("cannot read document", new java.sql.SQLException(
            "An I/O error occurred while sending to the backend.", "08006")), "database-unavailable",
        new java.io.UncheckedIOException(new java.io.IOException("wrapped", new java.sql.SQLException(
            "FATAL: terminating connection due to administrator command", "57P01"))), "database-unavailable",
        new S3Down(), "storage-unavailable");
    for (Map.Entry<RuntimeException, String> outage : outages.entrySet()) {
      APIGatewayV2HTTPResponse r = lambda.handle(e, ev -> {
        throw outage.getKey();
      });
      assertThat(r.getStatusCode()).isEqualTo(503);
      assertThat(r.getHeaders()).containsEntry("Retry-After", "1")
          .containsEntry("Content-Type", "application/problem+json");
      assertThat(new ObjectMapper().readTree(r.getBody()).get("type").asText())
          .isEqualTo("urn:tenantkit:problem:" + outage.getValue());
      assertThat(r.getBody()).doesNotContain("backend").doesNotContain("administrator").doesNotContain("acme");
    }
    // Not outages: the function's own errors, as before.
    RuntimeException constraint = new IllegalStateException("cannot record", new java.sql.SQLException(
        "duplicate key value", "23505"));
    RuntimeException mismatch = new dev.tenantkit.core.TenantMismatchException("another tenant's document");
    for (RuntimeException other : List.of(constraint, mismatch, new IllegalArgumentException("bug"))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> lambda.handle(e, ev -> {
        throw other;
      })).isSameAs(other);
    }
  }

  @Test
  void httpApi_unknownTenant_problemJson404_handlerNotCalled() throws IOException {
    TenantLambda lambda = TenantLambda.builder()
        .resolver(TenantResolvers.subdomain("{tenant}.api.example.com")).catalog(CATALOG).build();
    APIGatewayV2HTTPEvent e = event("http-api-v2.json", APIGatewayV2HTTPEvent.class);
    e.getHeaders().put("host", "nosuchco.api.example.com");
    boolean[] called = {false};
    APIGatewayV2HTTPResponse r = lambda.handle(e, ev -> {
      called[0] = true;
      return null;
    });
    assertThat(called[0]).isFalse();
    assertThat(r.getStatusCode()).isEqualTo(404);
    assertThat(r.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    assertThat(new ObjectMapper().readTree(r.getBody()).get("type").asText())
        .isEqualTo("urn:tenantkit:problem:unknown-tenant");
    assertThat(r.getBody()).doesNotContain("nosuchco");
  }

  @Test
  void restApi_pathTenant_andMismatchWithPinnedRefused() throws IOException {
    APIGatewayProxyRequestEvent e = event("rest-api-v1.json", APIGatewayProxyRequestEvent.class);
    TenantLambda byPath = TenantLambda.builder()
        .resolver(TenantResolvers.path("/t/{tenant}")).catalog(CATALOG).build();
    APIGatewayProxyResponseEvent ok = byPath.handle(e, ev ->
        new APIGatewayProxyResponseEvent().withStatusCode(200).withBody(TenantContext.require().id().value()));
    assertThat(ok.getStatusCode()).isEqualTo(200);
    assertThat(ok.getBody()).isEqualTo("globex");

    TenantLambda pinnedToAcme = TenantLambda.builder()
        .resolver(TenantResolvers.allAgree(TenantResolvers.pinnedFromEnvironment(Map.of("TENANTKIT_TENANT_ID", "acme")),
            TenantResolvers.path("/t/{tenant}")))
        .catalog(CATALOG).build();
    APIGatewayProxyResponseEvent refused = pinnedToAcme.handle(e, ev -> {
      throw new AssertionError("handler must not run");
    });
    assertThat(refused.getStatusCode()).isEqualTo(403);
    assertThat(refused.getBody()).contains("tenant-mismatch");
  }

  @Test
  void alb_headerFromClientNotTrusted_subdomainWins() throws IOException {
    ApplicationLoadBalancerRequestEvent e = event("alb.json", ApplicationLoadBalancerRequestEvent.class);
    // The event carries x-tenant-id: globex, set by the client. The ALB peer address is unknown,
    // so the header source never answers, even with a permissive trusted range.
    TenantLambda lambda = TenantLambda.builder()
        .resolver(TenantResolvers.allAgree(TenantResolvers.subdomain("{tenant}.api.example.com"),
            TenantResolvers.header("X-Tenant-Id", TrustedProxies.of("0.0.0.0/0", "::/0"))))
        .catalog(CATALOG).build();
    ApplicationLoadBalancerResponseEvent r = lambda.handle(e, ev -> {
      ApplicationLoadBalancerResponseEvent resp = new ApplicationLoadBalancerResponseEvent();
      resp.setStatusCode(200);
      resp.setBody(TenantContext.require().id().value());
      return resp;
    });
    assertThat(r.getStatusCode()).isEqualTo(200);
    assertThat(r.getBody()).isEqualTo("acme");
  }

  @Test
  void alb_suspendedTenant_403WithStatusDescription() throws IOException {
    ApplicationLoadBalancerRequestEvent e = event("alb.json", ApplicationLoadBalancerRequestEvent.class);
    e.getHeaders().put("host", "initech.api.example.com");
    TenantLambda lambda = TenantLambda.builder()
        .resolver(TenantResolvers.subdomain("{tenant}.api.example.com")).catalog(CATALOG).build();
    ApplicationLoadBalancerResponseEvent r = lambda.handle(e, ev -> {
      throw new AssertionError("handler must not run");
    });
    assertThat(r.getStatusCode()).isEqualTo(403);
    assertThat(r.getStatusDescription()).isEqualTo("403 Tenant not active");
  }

  @Test
  void sqs_eachMessageInItsTenant_badMessagesFailAlone() throws IOException {
    SQSEvent e = event("sqs-batch.json", SQSEvent.class);
    TenantLambda lambda = TenantLambda.builder().catalog(CATALOG).build();
    List<String> processed = new ArrayList<>();
    SQSBatchResponse r = lambda.handle(e, m -> {
      if (m.getBody().equals("poison")) {
        throw new IllegalArgumentException("cannot parse");
      }
      processed.add(m.getMessageId() + "@" + TenantContext.require().id() + "/" + MDC.get("tenant.id"));
    });
    // m-2: no attribute; m-4: suspended tenant; m-5: handler threw; m-6: invalid tenant id.
    assertThat(r.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("m-2", "m-4", "m-5", "m-6");
    assertThat(processed).containsExactly("m-1@acme/acme", "m-3@globex/globex", "m-7@globex/globex");
  }

  @Test
  void sqsFifo_stopsAtFirstFailureToKeepOrder() throws IOException {
    SQSEvent e = event("sqs-batch.json", SQSEvent.class);
    for (SQSEvent.SQSMessage m : e.getRecords()) {
      m.setEventSourceArn("arn:aws:sqs:eu-west-1:111122223333:documents.fifo");
    }
    List<String> processed = new ArrayList<>();
    SQSBatchResponse r = TenantLambda.builder().catalog(CATALOG).build()
        .handle(e, m -> processed.add(m.getMessageId()));
    assertThat(processed).containsExactly("m-1");
    assertThat(r.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("m-2", "m-3", "m-4", "m-5", "m-6", "m-7");
  }

  @Test
  void sqs_customAttributeName() throws IOException {
    SQSEvent e = event("sqs-batch.json", SQSEvent.class);
    List<String> processed = new ArrayList<>();
    SQSBatchResponse r = TenantLambda.builder().catalog(CATALOG).sqsTenantAttribute("tenant").build()
        .handle(e, m -> processed.add(m.getMessageId()));
    assertThat(processed).isEmpty();
    assertThat(r.getBatchItemFailures()).hasSize(7);
  }

  @Test
  void apiGatewayJwtClaims_comeOnlyFromAnHttpApiEventsJwtAuthorizer_readOnly_nullsLeftOut() throws IOException {
    APIGatewayV2HTTPEvent e = event("http-api-v2.json", APIGatewayV2HTTPEvent.class);
    assertThat(ApiGatewayJwtClaims.of(TenantLambda.request(e))).isEmpty();
    // A Lambda authorizer's context is whatever its code returned: never read as claims.
    e.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
        .withLambda(Map.of("sub", "alice", "iss", "https://idp.example")).build());
    assertThat(ApiGatewayJwtClaims.of(TenantLambda.request(e))).isEmpty();
    Map<String, String> claims = new java.util.HashMap<>(Map.of("sub", "alice", "iss", "https://idp.example"));
    claims.put("nothing", null);
    e.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build()).build());
    dev.tenantkit.core.TenantRequest view = TenantLambda.request(e);
    assertThat(ApiGatewayJwtClaims.of(view)).hasValueSatisfying(c -> {
      assertThat(c).containsOnly(Map.entry("sub", "alice"), Map.entry("iss", "https://idp.example"));
      assertThat(c).isUnmodifiable();
    });
    assertThat(view.toString()).doesNotContain("alice");
    assertThat(view.host()).isEqualTo(TenantLambda.request(event("http-api-v2.json", APIGatewayV2HTTPEvent.class))
        .host());
    // Through the handler, with the invocation's Context wrapped around the view, a guard sees them.
    List<Map<String, String>> seen = new ArrayList<>();
    TenantLambda lambda = TenantLambda.builder().resolver(TenantResolvers.subdomain("{tenant}.api.example.com"))
        .catalog(CATALOG).guard((request, tenant) -> {
          seen.add(ApiGatewayJwtClaims.of(request).orElseThrow());
          return null;
        }).build();
    lambda.handle(e, TenantIsolationModeTest.context(null),
        ev -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).build());
    assertThat(seen).singleElement().satisfies(c -> assertThat(c).containsEntry("sub", "alice"));
  }
}
