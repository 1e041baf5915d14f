package dev.tenantkit.core.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantResolvers;
import dev.tenantkit.core.TenantStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * Properties of the Lambda adapters on arbitrary event JSON, read by the Lambda runtime's own
 * serializer (aws-lambda-java-serialization), for API Gateway HTTP and REST APIs, ALB and SQS:
 * <ul>
 *   <li>the handler runs only in the scope of a servable tenant that the event names where the
 *       resolver looks (the Host), and otherwise is not called and the answer is a 4xx/5xx
 *       problem; never an exception out of the adapter;</li>
 *   <li>an SQS batch reports each record either processed, in the scope of its own tenant, or
 *       failed; none is both or neither;</li>
 *   <li>nothing of the tenant is left on the thread afterwards (scope, MDC).</li>
 * </ul>
 * JSON the serializer cannot read is not an event the runtime would hand over; it is skipped.
 * Regression mode runs the committed corpus in every build; fuzz with
 * {@code JAZZER_FUZZ=1 mvn -B -pl tenant-core test -Dtest=LambdaEventsFuzzTest}.
 */
class LambdaEventsFuzzTest {
  private static final TenantCatalog CATALOG = TenantCatalog.inMemory(
      Tenant.builder().id("acme").tier("premium").build(),
      Tenant.builder().id("globex").tier("basic").build(),
      Tenant.builder().id("initech").tier("basic").status(TenantStatus.SUSPENDED).build());
  private static final TenantLambda LAMBDA = TenantLambda.builder()
      .resolver(TenantResolvers.subdomain("{tenant}.api.example.com")).catalog(CATALOG).build();

  @FuzzTest(maxDuration = "5m")
  void fuzz_lambdaEvents(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, 3);
    String json = data.consumeRemainingAsString();
    switch (kind) {
      case 0 -> http(json, APIGatewayV2HTTPEvent.class,
          e -> LAMBDA.handle(e, ev -> APIGatewayV2HTTPResponse.builder().withStatusCode(200)
              .withBody(scopedOk(TenantLambda.request(e).host())).build()),
          APIGatewayV2HTTPResponse::getStatusCode, APIGatewayV2HTTPResponse::getBody);
      case 1 -> http(json, APIGatewayProxyRequestEvent.class,
          e -> LAMBDA.handle(e, ev -> new APIGatewayProxyResponseEvent().withStatusCode(200)
              .withBody(scopedOk(TenantLambda.request(e).host()))),
          APIGatewayProxyResponseEvent::getStatusCode, APIGatewayProxyResponseEvent::getBody);
      case 2 -> http(json, ApplicationLoadBalancerRequestEvent.class, e -> {
        ApplicationLoadBalancerResponseEvent r = LAMBDA.handle(e, ev -> {
          ApplicationLoadBalancerResponseEvent ok = new ApplicationLoadBalancerResponseEvent();
          ok.setStatusCode(200);
          ok.setBody(scopedOk(TenantLambda.request(e).host()));
          return ok;
        });
        return r;
      }, ApplicationLoadBalancerResponseEvent::getStatusCode, ApplicationLoadBalancerResponseEvent::getBody);
      default -> sqs(json);
    }
    assertThat(TenantContext.current()).isEmpty();
    assertThat(MDC.get("tenant.id")).isNull();
  }

  /** What the handler answers: proof it ran in the scope of the tenant the Host names. */
  private static String scopedOk(String host) {
    Tenant t = TenantContext.require();
    assertThat(t.status().isServing()).isTrue();
    assertThat(host).isEqualTo(t.id().value() + ".api.example.com");
    assertThat(MDC.get("tenant.id")).isEqualTo(t.id().value());
    return "ok:" + t.id();
  }

  private static <E, R> void http(String json, Class<E> type, Function<E, R> handle, Function<R, Integer> status,
      Function<R, String> body) {
    E event = read(json, type);
    if (event == null) {
      return;
    }
    R response = handle.apply(event);
    int code = status.apply(response);
    if (code == 200) {
      assertThat(body.apply(response)).startsWith("ok:");
    } else {
      assertThat(code).isBetween(400, 599);
    }
  }

  private static void sqs(String json) {
    SQSEvent event = read(json, SQSEvent.class);
    if (event == null) {
      return;
    }
    Set<String> processed = new HashSet<>();
    if (event.getRecords() != null && event.getRecords().contains(null)) {
      // No id to fail a null record by: the whole batch is refused before any message is handled.
      assertThatThrownBy(() -> LAMBDA.handle(event, m -> processed.add(m.getMessageId())))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Records[");
      assertThat(processed).isEmpty();
      return;
    }
    SQSBatchResponse r = LAMBDA.handle(event, m -> {
      Tenant t = TenantContext.require();
      SQSEvent.MessageAttribute a = m.getMessageAttributes() == null ? null : m.getMessageAttributes().get("tenantId");
      assertThat(a).isNotNull();
      assertThat(TenantId.of(a.getStringValue())).isEqualTo(t.id());
      assertThat(t.status().isServing()).isTrue();
      processed.add(m.getMessageId());
    });
    List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
    Set<String> failed = new HashSet<>();
    r.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
    for (SQSEvent.SQSMessage m : records) {
      if (m.getMessageId() == null) {
        continue; // two null ids cannot be told apart; the runtime always sets one
      }
      assertThat(processed.contains(m.getMessageId()) || failed.contains(m.getMessageId()))
          .as("message %s neither processed nor failed", m.getMessageId()).isTrue();
    }
  }

  private static <E> E read(String json, Class<E> type) {
    try {
      return LambdaEventSerializers.serializerFor(type, LambdaEventsFuzzTest.class.getClassLoader())
          .fromJson(json);
    } catch (RuntimeException notAnEvent) {
      return null;
    }
  }
}
