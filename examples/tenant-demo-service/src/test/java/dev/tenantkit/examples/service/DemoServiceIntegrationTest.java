package dev.tenantkit.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo service in local mode on a random port (real PostgreSQL, in-process S3, local issuer),
 * driven over HTTP with real tokens.
 */
class DemoServiceIntegrationTest {
  static {
    // The tests address tenants by Host header on 127.0.0.1 (see Scenario).
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
  }

  private static DemoService.Running app;

  @BeforeAll
  static void start() {
    app = DemoService.startLocal(0);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void scenario_everyIsolationCheckHolds() {
    Scenario.Result result = Scenario.run(app);
    assertThat(result.checks()).hasSize(22);
    assertThat(result.failed()).as(result.table()).isZero();
  }

  @Test
  void tooLargeUpload_isRefusedWith413AsProblemJson() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + app.port() + "/documents?name=big.txt"))
        .header("Host", "acme.localhost").header("Authorization", "Bearer " + app.local().accessToken("acme", "alice"))
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024 * 1024 + 1])).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(r.body()).contains("1048576");
  }

  @Test
  void healthIsServedWithoutATenant() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + app.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
  }
}
