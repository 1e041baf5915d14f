package dev.tenantkit.testkit.tenants.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.spring.TenantKitConnectionDetails;
import dev.tenantkit.testkit.tenants.LocalTenantKit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * A Spring Boot test as a team writes it: the tenants of each isolation mode in a line each, the
 * starter wired to them by {@code @TenantKitConnection} (no tenantkit.* properties, no beans), and
 * every tenant reaching only its own rows and objects over a real port through Spring Security.
 */
@SpringBootTest(classes = NotesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Testcontainers
class TenantKitConnectionIntegrationTest {
  static {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host"); // tenants by Host on 127.0.0.1
  }

  static final List<String> TENANTS = List.of("acme", "initech", "globex", "hooli");

  @Container
  @TenantKitConnection
  static LocalTenantKit tenants = LocalTenantKit.create()
      .flyway("classpath:db/tenant") // the application's migrations, in every tenant's database or schema
      .rowLevelSecurity("notes", "tenant_id")
      .silo("acme").bridge("initech").pooled("globex").pooled("hooli");

  static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Autowired
  TenantCatalog catalog;

  @Autowired
  TenantKitConnectionDetails details;

  @Test
  void theStarterServesTheKitsTenants() {
    assertThat(catalog).isSameAs(tenants.catalog());
    assertThat(details).isInstanceOf(LocalTenantKitConnectionDetails.class);
    assertThat(catalog.all()).hasSize(4);
  }

  @Test
  void eachTenant_readsOnlyItsOwnNotesAndFiles() throws Exception {
    for (String t : TENANTS) {
      assertThat(send(t, token(t), "POST", "/notes", "note of " + t).statusCode()).isEqualTo(200);
      assertThat(send(t, token(t), "POST", "/files?name=a.txt", "file of " + t).statusCode()).isEqualTo(200);
    }
    for (String t : TENANTS) {
      HttpResponse<String> notes = send(t, token(t), "GET", "/notes", null);
      assertThat(notes.statusCode()).isEqualTo(200);
      assertThat(notes.body()).contains("note of " + t);
      HttpResponse<String> file = send(t, token(t), "GET", "/files?name=a.txt", null);
      assertThat(file.body()).isEqualTo("file of " + t);
      for (String other : TENANTS) {
        if (!other.equals(t)) {
          assertThat(notes.body()).doesNotContain("note of " + other);
        }
      }
    }
  }

  @Test
  void aVerifiedPrincipalParameter_isTheTokenOfTheRequestsTenant() throws Exception {
    for (String t : TENANTS) {
      HttpResponse<String> me = send(t, token(t), "GET", "/me", null);
      assertThat(me.statusCode()).isEqualTo(200);
      assertThat(me.body()).isEqualTo(t + ":" + t + "-user");
    }
  }

  @Test
  void anotherTenantsToken_isRefused_evenFromTheSameSharedPool() throws Exception {
    assertThat(send("globex", token("globex"), "POST", "/notes", "secret of globex").statusCode()).isEqualTo(200);
    // hooli's token (same shared pool as globex, other tenant claim) and acme's token on globex's host.
    for (String intruder : List.of("hooli", "acme")) {
      HttpResponse<String> r = send("globex", token(intruder), "GET", "/notes", null);
      assertThat(r.statusCode()).as(intruder + " on globex").isIn(401, 403);
      assertThat(r.body()).doesNotContain("secret of globex");
    }
    // And through the tenant's own host, the intruder's own data only.
    assertThat(send("hooli", token("hooli"), "GET", "/notes", null).body()).doesNotContain("secret of globex");
    assertThat(send("globex", null, "GET", "/notes", null).statusCode()).isEqualTo(401);
  }

  static String token(String tenant) {
    return tenants.accessToken(tenant, tenant + "-user", "notes/read");
  }

  HttpResponse<String> send(String tenant, String token, String method, String path, String body) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Host", tenant + ".localhost")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      r.header("Content-Type", "text/plain");
    }
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }
}
