package dev.tenantkit.core.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.core.HttpProblem;
import dev.tenantkit.core.RequestLimits;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantKitException;
import dev.tenantkit.core.TenantLimiter;
import dev.tenantkit.core.TenantResolvers;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The filter with a token guard and the per-tenant limiter in a real Jetty 12 container, over
 * HTTP: refusals are 429 problem+json with Retry-After, one tenant at its limits leaves the others
 * served, a request without a valid token spends nothing of its tenant's budget, and an
 * asynchronous request holds its place until it completes. The buckets' clock stands still (no
 * refill during a test), so every count is exact.
 */
class TenantLimiterFilterIntegrationTest {
  static Server server;
  static TenantLimiter limiter;
  static int port;
  static final AtomicLong CLOCK = new AtomicLong();
  static final ObjectMapper JSON = new ObjectMapper();
  /** Requests the servlet holds until the test releases them, by tenant. */
  static final Map<String, CountDownLatch> HOLD = new ConcurrentHashMap<>();
  static final Map<String, AsyncContext> ASYNC = new ConcurrentHashMap<>();
  static final AtomicInteger ASYNC_SEQUENCE = new AtomicInteger();

  /** What a token guard throws: 401 problem. */
  static final class NoToken extends TenantKitException implements HttpProblem {
    NoToken() {
      super("no token");
    }

    @Override
    public int httpStatus() {
      return 401;
    }

    @Override
    public String problemCode() {
      return "invalid-token";
    }

    @Override
    public String problemTitle() {
      return "Invalid token";
    }
  }

  @BeforeAll
  static void start() throws Exception {
    List<Tenant> tenants = List.of("acme", "globex", "initech", "hooli", "wonka").stream()
        .map(id -> Tenant.builder().id(id).tier("basic").build()).toList();
    limiter = TenantLimiter.builder().tier("basic", RequestLimits.of(1, 3, 2)).nanoTime(CLOCK::get)
        .build();
    TenantFilter filter = TenantFilter.builder().resolver(TenantResolvers.path("/t/{tenant}"))
        .catalog(TenantCatalog.inMemory(tenants))
        .guard((request, tenant) -> {
          if (!"Bearer ok".equals(request.header("Authorization"))) {
            throw new NoToken();
          }
          return null;
        })
        .limiter(limiter).build();

    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder servlet = new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String tenant = TenantContext.require().id().value();
        if (req.getRequestURI().endsWith("/hold")) {
          try {
            HOLD.get(tenant).await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        } else if (req.getRequestURI().endsWith("/async")) {
          AsyncContext async = req.startAsync();
          async.setTimeout(30_000);
          // A sequence, not ASYNC.size(): two requests arriving together would share a key, and
          // the one overwritten would never be completed.
          ASYNC.put(tenant + "-" + ASYNC_SEQUENCE.incrementAndGet(), async);
          return; // completed by the test
        }
        resp.setContentType("text/plain");
        resp.getWriter().write("ok " + tenant);
      }
    });
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, "/*");
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  /** A response read off the socket: status, headers (lower-case names), body. */
  record HttpResponse<T>(int statusCode, Map<String, String> headerMap, String body) {
    java.util.Optional<String> header(String name) {
      return java.util.Optional.ofNullable(headerMap.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  /** A raw HTTP/1.1 GET (the module path keeps java.net.http out of this module's tests). */
  static HttpResponse<String> get(String tenant, String path, boolean token) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /t/" + tenant + path + " HTTP/1.1\r\nHost: app.test\r\n"
          + (token ? "Authorization: Bearer ok\r\n" : "") + "Connection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      String raw = buf.toString(StandardCharsets.UTF_8);
      int split = raw.indexOf("\r\n\r\n");
      String[] lines = raw.substring(0, split).split("\r\n");
      String body = raw.substring(split + 4);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
        body = TenantFilterIntegrationTest.dechunk(body);
      }
      return new HttpResponse<>(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }
  }

  static void assertTooMany(HttpResponse<String> r, String code) throws Exception {
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(r.header("Retry-After")).contains("1");
    JsonNode problem = JSON.readTree(r.body());
    assertThat(problem.get("type").asText()).isEqualTo("urn:tenantkit:problem:" + code);
    assertThat(problem.get("status").asInt()).isEqualTo(429);
    assertThat(r.body()).doesNotContain("acme").doesNotContain("limit=");
  }

  @Test
  void aTenantBeyondItsBurst_gets429WithRetryAfter_whileAnotherIsServed() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(get("acme", "/documents", true).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 5; i++) {
      assertTooMany(get("acme", "/documents", true), "rate-limited");
      HttpResponse<String> other = get("globex", "/documents", true);
      assertThat(other.statusCode()).isEqualTo(i < 3 ? 200 : 429);
      if (i < 3) {
        assertThat(other.body()).isEqualTo("ok globex");
      }
    }
  }

  @Test
  void requestsWithoutAValidToken_areRefusedFirst_andSpendNothingOfTheTenantsBudget() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(get("initech", "/documents", false).statusCode()).isEqualTo(401);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(get("initech", "/documents", true).body()).isEqualTo("ok initech");
    }
  }

  @Test
  void requestsInFlight_atTheBound_refuseTheNext_untilOneFinishes() throws Exception {
    HOLD.put("hooli", new CountDownLatch(1));
    CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> call("hooli", "/hold"));
    CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> call("hooli", "/hold"));
    awaitInFlight("hooli", 2);
    assertTooMany(get("hooli", "/documents", true), "too-many-in-flight");
    assertThat(get("globex-two", "/documents", true).statusCode()).isEqualTo(404); // unknown: refused before
    assertThat(limiter.stats(TenantId.of("hooli")).refusedByRate()).isZero();
    HOLD.get("hooli").countDown();
    assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(second.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void anAsynchronousRequest_holdsItsPlaceUntilItCompletes() throws Exception {
    CompletableFuture<HttpResponse<String>> a = CompletableFuture.supplyAsync(() -> call("wonka", "/async"));
    CompletableFuture<HttpResponse<String>> b = CompletableFuture.supplyAsync(() -> call("wonka", "/async"));
    awaitInFlight("wonka", 2);
    for (int i = 0; i < 3000 && ASYNC.keySet().stream().filter(k -> k.startsWith("wonka-")).count() < 2; i++) {
      Thread.sleep(10);
    }
    // Both returned from the filter, still open: the bound of two is reached.
    assertTooMany(get("wonka", "/documents", true), "too-many-in-flight");
    for (Map.Entry<String, AsyncContext> e : ASYNC.entrySet()) {
      if (e.getKey().startsWith("wonka-")) {
        e.getValue().getResponse().getWriter().write("done");
        e.getValue().complete();
      }
    }
    assertThat(a.get(30, TimeUnit.SECONDS).body()).isEqualTo("done");
    assertThat(b.get(30, TimeUnit.SECONDS).body()).isEqualTo("done");
    // Both places are free again (the burst of 3 had one token left after the two).
    assertThat(get("wonka", "/documents", true).body()).isEqualTo("ok wonka");
  }

  private static void awaitInFlight(String tenant, int n) throws InterruptedException {
    for (int i = 0; i < 3000 && limiter.stats(TenantId.of(tenant)).inFlight() < n; i++) {
      Thread.sleep(10);
    }
    assertThat(limiter.stats(TenantId.of(tenant)).inFlight()).isEqualTo(n);
  }

  private static HttpResponse<String> call(String tenant, String path) {
    try {
      return get(tenant, path, true);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
