package dev.tenantkit.core.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LambdaHttpResponseTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void problem_isAnRfc9457Document_escaped_notCached_inEachEventsResponseType() throws Exception {
    LambdaHttpResponse p = LambdaHttpResponse.problem(404, "no such \"document\"", "line one\nline two \\ end");
    JsonNode body = JSON.readTree(p.body());
    assertThat(body.get("type").asText()).isEqualTo("about:blank");
    assertThat(body.get("status").asInt()).isEqualTo(404);
    assertThat(body.get("title").asText()).isEqualTo("no such \"document\"");
    assertThat(body.get("detail").asText()).isEqualTo("line one\nline two \\ end");

    APIGatewayV2HTTPResponse httpApi = p.toHttpApi();
    assertThat(httpApi.getStatusCode()).isEqualTo(404);
    assertThat(httpApi.getHeaders()).containsEntry("Content-Type", "application/problem+json")
        .containsEntry("Cache-Control", "no-store");
    APIGatewayProxyResponseEvent rest = p.toRestApi();
    assertThat(rest.getStatusCode()).isEqualTo(404);
    assertThat(rest.getBody()).isEqualTo(p.body());
    ApplicationLoadBalancerResponseEvent alb = p.toAlb();
    assertThat(alb.getStatusDescription()).isEqualTo("404 Not Found");
    assertThat(alb.getHeaders()).containsEntry("Content-Type", "application/problem+json");
  }

  @Test
  void json_carriesTheCallersBody_andAStatusOutsideHttpIsRefused() {
    LambdaHttpResponse ok = LambdaHttpResponse.json(200, "[]");
    assertThat(ok.toHttpApi().getHeaders()).containsEntry("Content-Type", "application/json");
    assertThat(ok.toAlb().getStatusDescription()).isEqualTo("200 OK");
    assertThat(ok.toRestApi().getIsBase64Encoded()).isFalse();
    assertThatThrownBy(() -> LambdaHttpResponse.json(99, "{}")).hasMessage("statusCode must be 100 to 599, was 99");
    assertThatThrownBy(() -> LambdaHttpResponse.json(600, "{}")).isInstanceOf(IllegalArgumentException.class);
  }
}
