package dev.tenantkit.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantResolvers;
import dev.tenantkit.core.servlet.TenantFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The guard in tenant-core's filter, in Jetty, driven over HTTP with real tokens. */
class BearerTokenGuardIntegrationTest {
  static AuthFixtures f;
  static Server server;
  static int port;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    f = new AuthFixtures();
    TenantTokenVerifier verifier = f.verifier().build();
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(TenantFilter.builder()
        .resolver(TenantResolvers.subdomain("{tenant}.app.test")).catalog(f.catalog)
        .guard(BearerTokenGuard.of(verifier)).build()), "/docs/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(TenantFilter.builder()
        .resolver(TenantResolvers.subdomain("{tenant}.app.test")).catalog(f.catalog)
        .guard(BearerTokenGuard.of(verifier).requiring(TokenRequirements.scopes("documents/write")))
        .build()), "/admin/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        VerifiedPrincipal p = (VerifiedPrincipal) req.getAttribute(TenantFilter.PRINCIPAL_ATTRIBUTE);
        resp.getWriter().write("tenant=" + TenantContext.require().id() + " user=" + p.subject());
      }
    }), "/*");
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    f.close();
  }

  static HttpResponse<String> get(String host, String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Host", host);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void validToken_ofTheRequestsTenant_servedWithPrincipal() throws Exception {
    HttpResponse<String> r = get("acme.app.test", "/docs/1", "Bearer " + f.acmePool.accessToken().subject("alice").sign());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("tenant=acme user=alice");
  }

  @Test
  void noToken_401WithBearerChallenge() throws Exception {
    HttpResponse<String> r = get("acme.app.test", "/docs/1", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
  }

  @Test
  void badToken_401InvalidToken_bodyNeverEchoesTheToken() throws Exception {
    String expired = f.acmePool.accessToken().expiresIn(java.time.Duration.ofMinutes(-10)).sign();
    HttpResponse<String> r = get("acme.app.test", "/docs/1", "Bearer " + expired);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
    assertThat(r.body()).contains("token-expired").doesNotContain(expired.substring(0, 20));
  }

  @Test
  void otherTenantsToken_403Mismatch() throws Exception {
    HttpResponse<String> r = get("globex.app.test", "/docs/1", "Bearer " + f.acmePool.accessToken().sign());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("tenant-mismatch");
    HttpResponse<String> shared = get("umbrella.app.test", "/docs/1",
        "Bearer " + f.sharedPool.accessToken().tenant("initech").sign());
    assertThat(shared.statusCode()).isEqualTo(403);
  }

  @Test
  void missingScope_403InsufficientScope() throws Exception {
    HttpResponse<String> r = get("acme.app.test", "/admin/x", "Bearer " + f.acmePool.accessToken().scopes("documents/read").sign());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer error=\"insufficient_scope\"");
    assertThat(get("acme.app.test", "/admin/x", "Bearer " + f.acmePool.accessToken().scopes("documents/write").sign())
        .statusCode()).isEqualTo(200);
  }

  @Test
  void notABearerScheme_401() throws Exception {
    assertThat(get("acme.app.test", "/docs/1", "Basic YWxpY2U6cHc=").statusCode()).isEqualTo(401);
  }
}
