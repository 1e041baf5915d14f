package dev.tenantkit.examples.tour;

import dev.tenantkit.core.FileTenantCatalog;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantResolver;
import dev.tenantkit.core.TenantResolvers;
import dev.tenantkit.core.TrustedProxies;
import dev.tenantkit.core.servlet.TenantFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A tour of tenant-core: a service in Jetty whose tenants come from a JSON catalog file, the
 * tenant filter resolving each request from its subdomain (and path, and a proxy header that is
 * only believed from trusted proxies), work handed to a thread pool keeping its tenant, and every
 * refusal. It runs a scripted set of requests, prints what happened, and exits 0 only when every
 * isolation check held.
 *
 * <pre>
 *   mvn -B -q -pl examples/tenant-core-tour -am -DskipTests package exec:java
 *   ... -Dexec.args=--serve     keep serving on port 8080 and print curl commands
 * </pre>
 */
public final class CoreTour {
  private static final Logger LOG = LoggerFactory.getLogger(CoreTour.class);

  private CoreTour() {}

  /** Runs the tour (or, with {@code --serve}, serves until stopped). */
  public static void main(String[] args) throws Exception {
    // java.net.http refuses to set Host unless told; the tour needs it to address subdomains of
    // localhost without DNS. Set before the first HttpClient is created.
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    boolean serve = List.of(args).contains("--serve");
    if (serve) {
      serve(System.out);
      return;
    }
    boolean held = run(System.out);
    System.exit(held ? 0 : 1);
  }

  /** A running tour service: Jetty, its catalog file and its worker pool. */
  static final class Service implements AutoCloseable {
    final Server server;
    final FileTenantCatalog catalog;
    final ExecutorService workers;
    final Path catalogFile;
    final int port;

    Service(int port) throws Exception {
      Path dir = Files.createTempDirectory("tenantkit-tour");
      catalogFile = dir.resolve("catalog.json");
      try (InputStream in = CoreTour.class.getResourceAsStream("/tour-catalog.json")) {
        Files.copy(in, catalogFile);
      }
      catalog = FileTenantCatalog.builder().path(catalogFile).pollInterval(Duration.ofMillis(200)).build();
      // Work handed to this pool runs in the submitting request's tenant.
      workers = TenantContext.wrap(Executors.newFixedThreadPool(4));

      TenantResolver resolver = TenantResolvers.allAgree(
          TenantResolvers.subdomain("{tenant}.localhost"),
          TenantResolvers.path("/t/{tenant}"),
          // Believed only from the load balancer's subnet; the tour's client is not in it.
          TenantResolvers.header("X-Tenant-Id", TrustedProxies.of("10.0.0.0/16")));
      TenantFilter filter = TenantFilter.builder().resolver(resolver).catalog(catalog)
          .skipPaths("/health").build();

      server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(port);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(new ServletHolder(new WhoAmI(workers)), "/*");
      server.setHandler(context);
      server.start();
      this.port = connector.getLocalPort();
    }

    /** Rewrites the catalog file atomically with {@code edit} applied. */
    void editCatalog(java.util.function.UnaryOperator<String> edit) throws IOException {
      String json = Files.readString(catalogFile);
      Path tmp = catalogFile.resolveSibling("catalog.json.tmp");
      Files.writeString(tmp, edit.apply(json));
      Files.move(tmp, catalogFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      catalog.reload(); // the watcher would pick it up within 200 ms; the tour does not wait
    }

    @Override
    public void close() throws Exception {
      server.stop();
      workers.shutdownNow();
      workers.awaitTermination(5, TimeUnit.SECONDS);
      catalog.close();
    }
  }

  /** Answers who the request's tenant is, on the request thread and on a pool thread. */
  static final class WhoAmI extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient ExecutorService workers;

    WhoAmI(ExecutorService workers) {
      this.workers = workers;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      if (req.getRequestURI().equals("/health")) {
        resp.getWriter().write("ok");
        return;
      }
      Tenant tenant = TenantContext.require();
      LOG.info("serving path={}", req.getRequestURI()); // the log line carries tenant and tier
      String onWorker;
      try {
        onWorker = workers.submit(() -> TenantContext.require().id().value()
            + "/" + MDC.get(TenantContext.MDC_TENANT_ID)).get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        onWorker = "error " + e.getClass().getSimpleName();
      }
      resp.getWriter().write("tenant=" + tenant.id() + " tier=" + tenant.tier() + " worker=" + onWorker);
    }
  }

  /** One scripted request and what must happen. */
  record Check(String what, String host, String path, String header, int expectStatus, String expectBody) {}

  record Outcome(Check check, int status, String body, boolean held) {}

  static Outcome perform(HttpClient http, int port, Check c) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + c.path()))
        .header("Host", c.host()).timeout(Duration.ofSeconds(10)).GET();
    if (!c.header().isEmpty()) {
      b.header("X-Tenant-Id", c.header());
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    boolean held = r.statusCode() == c.expectStatus() && r.body().contains(c.expectBody());
    return new Outcome(c, r.statusCode(), r.body(), held);
  }

  /** Runs every check against a fresh service on a free port; prints a table; true if all held. */
  public static boolean run(PrintStream out) throws Exception {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    List<Outcome> outcomes = new ArrayList<>();
    try (Service service = new Service(0)) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      List<Check> checks = List.of(
          new Check("acme reads as acme; pool thread too", "acme.localhost", "/whoami", "", 200,
              "tenant=acme tier=premium worker=acme/acme"),
          new Check("globex reads as globex; pool thread too", "globex.localhost", "/whoami", "", 200,
              "tenant=globex tier=basic worker=globex/globex"),
          new Check("client-set X-Tenant-Id: globex is ignored", "acme.localhost", "/whoami", "globex", 200,
              "tenant=acme"),
          new Check("path claims globex on acme's host", "acme.localhost", "/t/globex/whoami", "", 403,
              "tenant-mismatch"),
          new Check("suspended tenant initech refused", "initech.localhost", "/whoami", "", 403,
              "tenant-not-active"),
          new Check("unknown tenant refused", "nosuchco.localhost", "/whoami", "", 404, "unknown-tenant"),
          new Check("malformed tenant label refused", "ac_me.localhost", "/whoami", "", 400, "invalid-tenant"),
          new Check("no tenant named: refused", "localhost", "/whoami", "", 400, "tenant-required"),
          new Check("health check needs no tenant", "localhost", "/health", "", 200, "ok"));
      for (Check c : checks) {
        outcomes.add(perform(http, service.port, c));
      }
      service.editCatalog(json -> json.replaceFirst("\"tier\": \"premium\",",
          "\"tier\": \"premium\", \"status\": \"SUSPENDED\","));
      outcomes.add(perform(http, service.port, new Check("acme suspended in the catalog file: refused",
          "acme.localhost", "/whoami", "", 403, "tenant-not-active")));
      service.editCatalog(json -> json.replace("\"status\": \"SUSPENDED\",\n", "")
          .replaceFirst(" \"status\": \"SUSPENDED\",", ""));
      outcomes.add(perform(http, service.port, new Check("acme reactivated: served again",
          "acme.localhost", "/whoami", "", 200, "tenant=acme")));
    }
    return print(out, outcomes);
  }

  static boolean print(PrintStream out, List<Outcome> outcomes) {
    out.println();
    out.println("TenantKit core tour");
    out.printf("%-3s %-46s %-8s %-6s %s%n", "#", "check", "expect", "got", "held");
    int n = 0;
    boolean all = true;
    for (Outcome o : outcomes) {
      all &= o.held();
      out.printf("%-3d %-46s %-8d %-6d %s%n", ++n, o.check().what(), o.check().expectStatus(), o.status(),
          o.held() ? "yes" : "NO  body=" + o.body());
    }
    out.println(all ? "All " + n + " isolation checks held." : "SOME CHECKS FAILED.");
    return all;
  }

  static void serve(PrintStream out) throws Exception {
    Service service = new Service(8080);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        service.close();
      } catch (Exception e) {
        LOG.warn("shutdown failed", e);
      }
    }));
    out.println("Serving on http://127.0.0.1:" + service.port + " ; catalog file: " + service.catalogFile);
    out.println("Edit the catalog file and the change is served within 200 ms. Try:");
    for (String host : new String[] {"acme", "globex", "initech", "nosuchco"}) {
      out.println("  curl -s -H 'Host: " + host + ".localhost' http://127.0.0.1:" + service.port + "/whoami; echo");
    }
    out.println("Ctrl-C stops it.");
    service.server.join();
  }
}
