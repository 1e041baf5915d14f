package dev.tenantkit.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One tenant floods the documents service (local mode, real PostgreSQL, S3 and issuer) past its
 * tier's limits while the other keeps working: the flood is refused with 429 problem+json and
 * Retry-After, every answer the flood does get is its own data, and the other tenant is served
 * throughout with its own data only. Counts, never timings.
 */
class NoisyTenantIntegrationTest {
  static {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
  }

  @Test
  void globexFloods_itsExcessGets429_andAcmeIsServedItsOwnDataThroughout() throws Exception {
    try (DemoService.Running app = DemoService.startLocal(0)) {
      HttpClient http = HttpClient.newHttpClient();
      String acme = app.local().accessToken("acme", "alice");
      String globex = app.local().accessToken("globex", "gina");
      assertThat(send(http, app, "acme", acme, "POST", "acme's own words").statusCode()).isEqualTo(201);
      assertThat(send(http, app, "globex", globex, "POST", "globex's own words").statusCode()).isEqualTo(201);

      // 150 requests at once: beyond globex's burst (basic: 40) and its 16 in flight.
      List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        flood.add(http.sendAsync(request(app, "globex", globex, "GET", null), HttpResponse.BodyHandlers.ofString()));
      }
      List<HttpResponse<String>> acmeAnswers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        acmeAnswers.add(send(http, app, "acme", acme, "GET", null));
      }
      int refused = 0;
      int served = 0;
      for (CompletableFuture<HttpResponse<String>> f : flood) {
        HttpResponse<String> r = f.get();
        if (r.statusCode() == 429) {
          refused++;
          assertThat(r.headers().firstValue("Retry-After")).isPresent();
          assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
              t -> assertThat(t).startsWith("application/problem+json"));
          assertThat(r.body()).containsAnyOf("urn:tenantkit:problem:rate-limited",
              "urn:tenantkit:problem:too-many-in-flight").doesNotContain("globex");
        } else if (r.statusCode() != 503) { // 503: a slow machine's connection-pool wait, also a clear answer
          served++;
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.body()).contains("globex-words.txt").doesNotContain("acme-words.txt");
        }
      }
      assertThat(refused).as("refused of the flood").isPositive();
      assertThat(served).as("served of the flood").isPositive();
      assertThat(acmeAnswers).allSatisfy(r -> {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("acme-words.txt").doesNotContain("globex-words.txt");
      });
    }
  }

  private static HttpRequest request(DemoService.Running app, String tenant, String token, String method, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/documents"
            + (body == null ? "" : "?name=" + tenant + "-words.txt")))
        .header("Host", tenant + ".localhost").header("Authorization", "Bearer " + token)
        .header("Content-Type", "text/plain")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static HttpResponse<String> send(HttpClient http, DemoService.Running app, String tenant, String token,
      String method, String body) throws Exception {
    return http.send(request(app, tenant, token, method, body), HttpResponse.BodyHandlers.ofString());
  }
}
