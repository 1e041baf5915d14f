package dev.tenantkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The loopback base: each protocol's request reading and answer shapes, the switches, the SDK client. */
class LoopbackAwsEndpointIntegrationTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Answers every operation by echoing it; "Boom" throws. */
  static final class Echo extends LoopbackAwsEndpoint {
    Echo(AwsWireProtocol protocol) {
      super(protocol);
    }

    @Override
    protected Reply answer(Call call) {
      if (call.operation().equals("Boom")) {
        throw new IllegalStateException("no model for Boom");
      }
      return ok(call, call.operation().equals("Echo") ? "{\"echo\":" + AwsWireProtocol.jsonString(call.body()) + "}"
          : "<Echo>" + AwsWireProtocol.xmlText(call.params().toString()) + "</Echo>");
    }
  }

  private static HttpResponse<String> postJson(LoopbackAwsEndpoint endpoint, String target, String body)
      throws Exception {
    return HTTP.send(HttpRequest.newBuilder(endpoint.endpoint()).header("X-Amz-Target", target)
        .header("Content-Type", "application/x-amz-json-1.1").POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> postForm(LoopbackAwsEndpoint endpoint, String form) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(endpoint.endpoint())
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void json11_readsTheTargetsOperation_recordsTheCall_answersInJson() throws Exception {
    try (Echo echo = new Echo(AwsWireProtocol.awsJson11())) {
      HttpResponse<String> r = postJson(echo, "secretsmanager.Echo", "{\"SecretId\":\"a\"}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
      assertThat(r.body()).isEqualTo("{\"echo\":\"{\\\"SecretId\\\":\\\"a\\\"}\"}");
      assertThat(echo.operations()).containsExactly("Echo");
      LoopbackAwsEndpoint.Call call = echo.calls().get(0);
      assertThat(call.header("x-amz-target")).isEqualTo("secretsmanager.Echo");
      assertThat(call.method()).isEqualTo("POST");
      assertThat(call.params()).isEmpty();
    }
  }

  @Test
  void json11_errorsCarryTheCodeInBodyAndHeader() throws Exception {
    try (Echo echo = new Echo(AwsWireProtocol.awsJson11())) {
      echo.failWith("NotAuthorizedException");
      HttpResponse<String> refused = postJson(echo, "Cognito.Echo", "{}");
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.headers().firstValue("x-amzn-ErrorType")).hasValue("NotAuthorizedException");
      assertThat(refused.body()).isEqualTo("{\"__type\":\"NotAuthorizedException\",\"message\":\"injected failure\"}");
      echo.failWith(null);
      HttpResponse<String> boom = postJson(echo, "Cognito.Boom", "{}");
      assertThat(boom.statusCode()).isEqualTo(500);
      assertThat(boom.body()).contains("InternalFailure").contains("no model for Boom");
      assertThat(echo.operations()).containsExactly("Echo", "Boom");
    }
  }

  @Test
  void query_readsTheFormsAction_andWrapsTheResult() throws Exception {
    try (Echo echo = new Echo(AwsWireProtocol.query("https://sts.amazonaws.com/doc/2011-06-15/"))) {
      HttpResponse<String> r = postForm(echo, "Action=AssumeRole&RoleSessionName=a%20b&Tags.member.1.Key=TenantId");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).startsWith("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
          + "<AssumeRoleResult><Echo>").contains("RoleSessionName=a b")
          .endsWith("</AssumeRoleResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
              + "</AssumeRoleResponse>");
      assertThat(echo.calls().get(0).params()).containsEntry("Action", "AssumeRole")
          .containsEntry("Tags.member.1.Key", "TenantId");
      echo.failWith("ValidationError");
      assertThat(postForm(echo, "Action=DescribeStacks").body()).contains("<ErrorResponse")
          .contains("<Type>Sender</Type><Code>ValidationError</Code><Message>injected failure</Message>");
    }
  }

  @Test
  void ec2_answersWithoutAResultElement_andErrorsInItsOwnShape() throws Exception {
    try (Echo echo = new Echo(AwsWireProtocol.ec2Query())) {
      assertThat(postForm(echo, "Action=DescribeVpcs&Version=2016-11-15").body())
          .startsWith("<DescribeVpcsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>req-1"
              + "</requestId><Echo>");
      echo.outage(true);
      HttpResponse<String> down = postForm(echo, "Action=DescribeVpcs");
      assertThat(down.statusCode()).isEqualTo(500);
      assertThat(down.body()).contains("<Response><Errors><Error><Code>InternalFailure</Code>");
      echo.outage(false);
      assertThat(postForm(echo, "Action=DescribeVpcs").statusCode()).isEqualTo(200);
      assertThat(echo.operations()).containsExactly("DescribeVpcs", "DescribeVpcs", "DescribeVpcs");
    }
  }

  @Test
  void delay_holdsEveryAnswerBack() throws Exception {
    try (Echo echo = new Echo(AwsWireProtocol.awsJson11())) {
      echo.delay(Duration.ofMillis(200));
      long start = System.nanoTime();
      postJson(echo, "X.Echo", "{}");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
      assertThatThrownBy(() -> echo.delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** S3 speaks REST-XML: the operation is the method and path, the answer a raw {@link LoopbackAwsEndpoint.Reply}. */
  static final class Buckets extends LoopbackAwsEndpoint {
    Buckets() {
      super(AwsWireProtocol.query("http://s3.amazonaws.com/doc/2006-03-01/"));
    }

    @Override
    protected Reply answer(Call call) {
      return Reply.of(200, "application/xml", "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
          + "<Buckets><Bucket><Name>tenantkit-acme</Name><CreationDate>2026-12-01T10:00:00.000Z</CreationDate></Bucket>"
          + "</Buckets><Owner><ID>owner</ID></Owner></ListAllMyBucketsResult>");
    }

    @Override
    protected String outageCode() {
      return "ServiceUnavailable";
    }
  }

  @Test
  void client_pointsARealSdkClientHere_signedWithTheTestCredentialsInTheRegion() {
    try (Buckets buckets = new Buckets(); S3Client s3 = buckets.client(S3Client.builder())) {
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("tenantkit-acme");
      LoopbackAwsEndpoint.Call call = buckets.calls().get(0);
      assertThat(call.operation()).isEqualTo("GET /");
      assertThat(call.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential="
          + LoopbackAwsEndpoint.ACCESS_KEY_ID + "/").contains("/" + LoopbackAwsEndpoint.REGION + "/s3/aws4_request");
      buckets.outage(true);
      assertThatThrownBy(s3::listBuckets).isInstanceOf(S3Exception.class)
          .hasMessageNotContaining(LoopbackAwsEndpoint.SECRET_ACCESS_KEY);
    }
  }

  @Test
  void endpoint_isLoopback() {
    try (Echo echo = new Echo(AwsWireProtocol.awsJson11())) {
      URI uri = echo.endpoint();
      assertThat(uri.getScheme()).isEqualTo("http");
      assertThat(uri.getHost()).isIn("127.0.0.1", "[0:0:0:0:0:0:0:1]");
      assertThat(uri.getPort()).isPositive();
    }
  }
}
