package dev.tenantkit.core.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantResolvers;
import dev.tenantkit.core.TenantStatus;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The filter in a real Jetty 12 servlet container, driven over HTTP on loopback. */
class TenantFilterIntegrationTest {
  static Server server;
  static int port;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    TenantCatalog catalog = TenantCatalog.inMemory(
        Tenant.builder().id("acme").tier("premium").build(),
        Tenant.builder().id("globex").tier("basic").build(),
        Tenant.builder().id("initech").tier("basic").status(TenantStatus.SUSPENDED).build());
    TenantFilter filter = TenantFilter.builder()
        .resolver(TenantResolvers.allAgree(
            TenantResolvers.subdomain("{tenant}.app.test"), TenantResolvers.path("/t/{tenant}")))
        .catalog(catalog)
        .guard((request, tenant) -> "user-of-" + tenant.id()) // what a token guard's principal stands for
        .skipPaths("/health", "/probe")
        .build();

    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getRequestURI().endsWith("/boom")) {
          throw new IllegalStateException("handler failed inside tenant " + TenantContext.require().id());
        }
        String body = req.getRequestURI().equals("/health") || req.getRequestURI().equals("/probe")
            ? "tenant=" + TenantContext.currentId().map(Object::toString).orElse("none")
                + " mdc=" + MDC.get("tenant.id") + " principal=" + TenantFilter.principal(req, String.class).orElse("none")
            : "tenant=" + TenantContext.require().id() + " mdc=" + MDC.get("tenant.id")
                + " attr=" + TenantFilter.tenant(req).orElseThrow().id()
                + " principal=" + TenantFilter.principal(req, String.class).orElse("none")
                + " asNumber=" + TenantFilter.principal(req, Integer.class).isPresent();
        resp.setContentType("text/plain");
        resp.getWriter().write(body);
      }
    }), "/*");
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  /** A raw HTTP/1.1 exchange, so the test controls the Host header exactly. */
  record Response(int status, String contentType, String cacheControl, String body) {}

  static Response get(String host, String path) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      String raw = buf.toString(StandardCharsets.UTF_8);
      int split = raw.indexOf("\r\n\r\n");
      String head = raw.substring(0, split);
      String body = raw.substring(split + 4);
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      String contentType = "";
      String cacheControl = "";
      boolean chunked = false;
      for (String line : lines) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-type:")) {
          contentType = line.substring(13).trim();
        } else if (lower.startsWith("cache-control:")) {
          cacheControl = line.substring(14).trim();
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      if (chunked) {
        body = dechunk(body);
      }
      return new Response(status, contentType, cacheControl, body);
    }
  }

  /** The body of a chunked HTTP/1.1 response, its chunks joined. */
  static String dechunk(String chunked) {
    StringBuilder sb = new StringBuilder();
    String rest = chunked;
    while (true) {
      int nl = rest.indexOf("\r\n");
      int size = Integer.parseInt(rest.substring(0, nl).trim(), 16);
      if (size == 0) {
        return sb.toString();
      }
      sb.append(rest, nl + 2, nl + 2 + size);
      rest = rest.substring(nl + 2 + size + 2);
    }
  }

  static void assertProblem(Response r, int status, String code) throws IOException {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.cacheControl()).isEqualTo("no-store");
    JsonNode problem = JSON.readTree(r.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("type").asText()).isEqualTo("urn:tenantkit:problem:" + code);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).isNotBlank();
  }

  @Test
  void knownTenant_runsHandlerInItsScopeWithMdc() throws IOException {
    Response r = get("acme.app.test", "/documents");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("tenant=acme mdc=acme attr=acme principal=user-of-acme asNumber=false");
  }

  @Test
  void hostWithPortAndUpperCase_stillResolves() throws IOException {
    assertThat(get("GLOBEX.app.test:" + port, "/").body()).startsWith("tenant=globex");
  }

  @Test
  void refusals_answerProblemJsonWithTheRightStatus() throws IOException {
    assertProblem(get("localhost", "/documents"), 400, "tenant-required");
    assertProblem(get("ac_me.app.test", "/documents"), 400, "invalid-tenant");
    assertProblem(get("nosuchco.app.test", "/documents"), 404, "unknown-tenant");
    assertProblem(get("initech.app.test", "/documents"), 403, "tenant-not-active");
    assertProblem(get("acme.app.test", "/t/globex/documents"), 403, "tenant-mismatch");
  }

  @Test
  void refusals_neverEchoRequestInput() throws IOException {
    Response r = get("evil-payload-xyz.app.test", "/t/evil-payload-xyz/%3Cscript%3E");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).doesNotContain("evil-payload-xyz").doesNotContain("script");
  }

  @Test
  void skippedPath_servedWithoutTenant() throws IOException {
    Response r = get("localhost", "/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("tenant=none mdc=null principal=none");
  }

  @Test
  void handlerThrows_scopeStillClosed_containerThreadsStayClean() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(get("acme.app.test", "/boom").status()).isEqualTo(500);
    }
    for (int i = 0; i < 50; i++) {
      assertThat(get("localhost", "/probe").body()).isEqualTo("tenant=none mdc=null principal=none");
    }
  }

  @Test
  void concurrentRequestsForTwoTenants_eachAnsweredInItsOwnTenant() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String tenant = i % 2 == 0 ? "acme" : "globex";
        results.add(clients.submit(() -> {
          Response r = get(tenant + ".app.test", "/documents");
          String expected = "tenant=" + tenant + " mdc=" + tenant + " attr=" + tenant + " principal=user-of-" + tenant
              + " asNumber=false";
          return r.status() == 200 && r.body().equals(expected) ? "" : r.status() + " " + r.body();
        }));
      }
      for (Future<String> f : results) {
        assertThat(f.get()).isEmpty();
      }
      for (int i = 0; i < 50; i++) {
        assertThat(get("localhost", "/probe").body()).isEqualTo("tenant=none mdc=null principal=none");
      }
    } finally {
      clients.shutdownNow();
    }
  }
}
