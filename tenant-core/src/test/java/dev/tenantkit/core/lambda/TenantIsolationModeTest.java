package dev.tenantkit.core.lambda;

import static dev.tenantkit.core.lambda.TenantLambdaTest.CATALOG;
import static dev.tenantkit.core.lambda.TenantLambdaTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.core.RequestLimits;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantLimiter;
import dev.tenantkit.core.TenantResolvers;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lambda's tenant isolation mode: the tenant the runtime hands the invocation
 * ({@code Context.getTenantId()}) against what the event names, and one tenant per execution
 * environment. Real event JSON read by the runtime's serializer; the {@code Context} is the
 * interface of aws-lambda-java-core 1.4.0, answering {@code getTenantId()} as the runtime does.
 */
class TenantIsolationModeTest {

  /** A Context whose getTenantId() answers {@code tenantId} (null: not in tenant isolation mode). */
  static Context context(@Nullable String tenantId) {
    return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getTenantId" -> tenantId;
          case "getAwsRequestId" -> "req-1";
          case "toString" -> "Context[" + tenantId + "]";
          default -> null;
        });
  }

  private static APIGatewayProxyResponseEvent served(APIGatewayProxyRequestEvent e) {
    return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody(TenantContext.require().id().value());
  }

  private static String problemType(APIGatewayProxyResponseEvent r) throws IOException {
    return new ObjectMapper().readTree(r.getBody()).get("type").asText();
  }

  @AfterEach
  void nothingLeaks() {
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void invocationTenant_agreeingWithThePath_isServed_andAPathNamingAnotherTenantIsRefused() throws IOException {
    TenantLambda lambda = TenantLambda.builder()
        .resolver(TenantResolvers.allAgree(TenantLambda.invocationTenant(), TenantResolvers.path("/t/{tenant}")))
        .catalog(CATALOG).build();
    APIGatewayProxyRequestEvent e = event("rest-api-v1.json", APIGatewayProxyRequestEvent.class); // /t/globex/...
    assertThat(lambda.handle(e, context("globex"), TenantIsolationModeTest::served).getBody()).isEqualTo("globex");

    // An environment routed for acme, a request naming globex: refused, the handler never runs.
    APIGatewayProxyResponseEvent refused = lambda.handle(e, context("acme"), ev -> {
      throw new AssertionError("handler must not run");
    });
    assertThat(refused.getStatusCode()).isEqualTo(403);
    assertThat(problemType(refused)).isEqualTo("urn:tenantkit:problem:tenant-mismatch");
    assertThat(refused.getBody()).doesNotContain("acme").doesNotContain("globex");
  }

  @Test
  void invocationTenant_isNeverReadFromTheEvent_evenFromLambdasOwnHeaderName() throws IOException {
    TenantLambda lambda = TenantLambda.builder().resolver(TenantLambda.invocationTenant()).catalog(CATALOG).build();
    APIGatewayProxyRequestEvent e = event("rest-api-v1.json", APIGatewayProxyRequestEvent.class);
    e.getHeaders().put("X-Amz-Tenant-Id", "acme");
    e.getHeaders().put("x-amz-tenant-id", "acme");
    // Without the Context, and with a Context of a function not in tenant isolation mode.
    for (APIGatewayProxyResponseEvent r : List.of(lambda.handle(e, TenantIsolationModeTest::served),
        lambda.handle(e, context(null), TenantIsolationModeTest::served))) {
      assertThat(r.getStatusCode()).isEqualTo(400);
      assertThat(problemType(r)).isEqualTo("urn:tenantkit:problem:tenant-required");
    }
    assertThat(lambda.handle(e, context("acme"), TenantIsolationModeTest::served).getBody()).isEqualTo("acme");
  }

  @Test
  void invocationTenant_thatIsNoValidTenantId_isABadRequest_andAnUnknownOneIsRefused() throws IOException {
    TenantLambda lambda = TenantLambda.builder().resolver(TenantLambda.invocationTenant()).catalog(CATALOG).build();
    APIGatewayProxyRequestEvent e = event("rest-api-v1.json", APIGatewayProxyRequestEvent.class);
    // Lambda accepts spaces, slashes and '=' in a tenant id; TenantKit's ids do not.
    APIGatewayProxyResponseEvent bad = lambda.handle(e, context("acme/../globex"), TenantIsolationModeTest::served);
    assertThat(bad.getStatusCode()).isEqualTo(400);
    assertThat(problemType(bad)).isEqualTo("urn:tenantkit:problem:invalid-tenant");
    assertThat(bad.getBody()).doesNotContain("globex");
    assertThat(lambda.handle(e, context("nosuchco"), TenantIsolationModeTest::served).getStatusCode()).isEqualTo(404);
    assertThat(lambda.handle(e, context("initech"), TenantIsolationModeTest::served).getStatusCode())
        .as("suspended").isEqualTo(403);
  }

  @Test
  void oneTenantPerEnvironment_afterTheFirstTenant_refusesAnyOther_beforeItsLimitsAreSpent() throws IOException {
    TenantLimiter limiter = TenantLimiter.builder().defaults(RequestLimits.of(100, 100, 10)).build();
    TenantLambda lambda = TenantLambda.builder().resolver(TenantResolvers.path("/t/{tenant}")).catalog(CATALOG)
        .limiter(limiter).oneTenantPerEnvironment().build();
    APIGatewayProxyRequestEvent globex = event("rest-api-v1.json", APIGatewayProxyRequestEvent.class);
    APIGatewayProxyRequestEvent acme = event("rest-api-v1.json", APIGatewayProxyRequestEvent.class);
    acme.setPath("/t/acme/documents");
    APIGatewayProxyRequestEvent unknown = event("rest-api-v1.json", APIGatewayProxyRequestEvent.class);
    unknown.setPath("/t/nosuchco/documents");

    assertThat(lambda.environmentTenant()).isEmpty();
    // A tenant that is not admitted does not claim the environment.
    assertThat(lambda.handle(unknown, TenantIsolationModeTest::served).getStatusCode()).isEqualTo(404);
    assertThat(lambda.environmentTenant()).isEmpty();
    assertThat(lambda.handle(acme, TenantIsolationModeTest::served).getBody()).isEqualTo("acme");
    assertThat(lambda.environmentTenant()).contains(TenantId.of("acme"));

    APIGatewayProxyResponseEvent refused = lambda.handle(globex, ev -> {
      throw new AssertionError("handler must not run");
    });
    assertThat(refused.getStatusCode()).isEqualTo(403);
    assertThat(problemType(refused)).isEqualTo("urn:tenantkit:problem:tenant-mismatch");
    assertThat(refused.getBody()).doesNotContain("acme");
    assertThat(limiter.stats(TenantId.of("globex")).admitted()).as("globex spent nothing here").isZero();
    assertThat(lambda.handle(acme, TenantIsolationModeTest::served).getBody()).isEqualTo("acme");
  }

  @Test
  void oneTenantPerEnvironment_underRacingInvocationsOfTwoTenants_onlyOneTenantIsEverServed() throws Exception {
    for (int round = 0; round < 20; round++) {
      TenantLambda lambda = TenantLambda.builder().resolver(TenantResolvers.path("/t/{tenant}")).catalog(CATALOG)
          .oneTenantPerEnvironment().build();
      Set<String> servedTenants = ConcurrentHashMap.newKeySet();
      List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(8);
      CountDownLatch go = new CountDownLatch(1);
      for (int i = 0; i < 16; i++) {
        String tenant = i % 2 == 0 ? "acme" : "globex";
        APIGatewayProxyRequestEvent e = event("rest-api-v1.json", APIGatewayProxyRequestEvent.class);
        e.setPath("/t/" + tenant + "/documents");
        pool.submit(() -> {
          go.await();
          APIGatewayProxyResponseEvent r = lambda.handle(e, ev -> {
            servedTenants.add(TenantContext.require().id().value());
            return served(ev);
          });
          statuses.add(r.getStatusCode());
          return null;
        });
      }
      go.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(servedTenants).hasSize(1);
      assertThat(statuses).hasSize(16).containsOnly(200, 403);
      assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(8);
      assertThat(servedTenants).containsExactly(lambda.environmentTenant().orElseThrow().value());
    }
  }

  @Test
  void sqs_withTheInvocationsTenant_aMessageOfAnotherTenantFailsAlone() throws IOException {
    SQSEvent e = event("sqs-batch.json", SQSEvent.class);
    List<String> processed = new ArrayList<>();
    SQSBatchResponse r = TenantLambda.builder().catalog(CATALOG).build()
        .handle(e, context("globex"), m -> processed.add(m.getMessageId() + "@" + TenantContext.require().id()));
    assertThat(processed).containsExactly("m-3@globex", "m-7@globex");
    assertThat(r.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("m-1", "m-2", "m-4", "m-5", "m-6");
  }

  @Test
  void sqs_oneTenantPerEnvironment_theFirstTenantsMessagesOnly() throws IOException {
    TenantLambda lambda = TenantLambda.builder().catalog(CATALOG).oneTenantPerEnvironment().build();
    List<String> processed = new ArrayList<>();
    SQSBatchResponse r = lambda.handle(event("sqs-batch.json", SQSEvent.class), m -> processed.add(m.getMessageId()));
    // m-1 (acme) claims the environment; acme's m-5 is handled too; globex's m-3 and m-7 fail.
    assertThat(processed).containsExactly("m-1", "m-5");
    assertThat(r.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("m-2", "m-3", "m-4", "m-6", "m-7");
    assertThat(lambda.environmentTenant()).contains(TenantId.of("acme"));
  }

  @Test
  void oneTenantPerEnvironment_isPinnedToTheRoutedTenant_notToWhicheverRequestIsAdmittedFirst() throws IOException {
    TenantLambda lambda = TenantLambda.builder().resolver(TenantResolvers.path("/t/{tenant}")).catalog(CATALOG)
        .oneTenantPerEnvironment().build();
    APIGatewayProxyRequestEvent globex = event("rest-api-v1.json", APIGatewayProxyRequestEvent.class);
    // The first invocation of acme's environment names globex in its path (a resolver chain
    // without invocationTenant(), say): refused, and the environment stays acme's.
    APIGatewayProxyResponseEvent refused = lambda.handle(globex, context("acme"), ev -> {
      throw new AssertionError("handler must not run");
    });
    assertThat(refused.getStatusCode()).isEqualTo(403);
    assertThat(lambda.environmentTenant()).contains(TenantId.of("acme"));
    APIGatewayProxyRequestEvent acme = event("rest-api-v1.json", APIGatewayProxyRequestEvent.class);
    acme.setPath("/t/acme/documents");
    assertThat(lambda.handle(acme, context("acme"), TenantIsolationModeTest::served).getBody()).isEqualTo("acme");
    assertThat(lambda.handle(globex, TenantIsolationModeTest::served).getStatusCode()).as("no Context").isEqualTo(403);
  }

  @Test
  void requireInvocationTenant_refusesAnInvocationWithoutOne_evenWhenItsPathNamesAValidTenant() throws IOException {
    TenantLambda lambda = TenantLambda.builder()
        .resolver(TenantResolvers.allAgree(TenantLambda.invocationTenant(), TenantResolvers.path("/t/{tenant}")))
        .catalog(CATALOG).requireInvocationTenant().build();
    APIGatewayProxyRequestEvent e = event("rest-api-v1.json", APIGatewayProxyRequestEvent.class); // /t/globex/...
    for (APIGatewayProxyResponseEvent r : List.of(lambda.handle(e, TenantIsolationModeTest::served),
        lambda.handle(e, context(null), TenantIsolationModeTest::served))) {
      assertThat(r.getStatusCode()).isEqualTo(400);
      assertThat(problemType(r)).isEqualTo("urn:tenantkit:problem:tenant-required");
    }
    assertThat(lambda.handle(e, context("globex"), TenantIsolationModeTest::served).getBody()).isEqualTo("globex");
    SQSBatchResponse sqs = TenantLambda.builder().catalog(CATALOG).requireInvocationTenant().build()
        .handle(event("sqs-batch.json", SQSEvent.class), m -> {
          throw new AssertionError("no message is handled without the invocation's tenant");
        });
    assertThat(sqs.getBatchItemFailures()).hasSize(7);
  }
}
