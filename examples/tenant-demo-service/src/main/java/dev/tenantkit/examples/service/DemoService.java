package dev.tenantkit.examples.service;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.db.TlsMode;
import dev.tenantkit.examples.documents.LocalDemo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Runs the documents service.
 *
 * <ul>
 *   <li>no arguments or {@code --scenario}: local mode, then the scripted isolation tour
 *       ({@link Scenario}); prints a table and exits 0 only if every check held;</li>
 *   <li>{@code --serve [--port N]}: local mode, serving on port N (8080) with ready-to-paste
 *       {@code curl} commands for both tenants;</li>
 *   <li>AWS mode, when {@code TENANTKIT_CATALOG} names a catalog file: the catalog from that file,
 *       S3 from the default AWS configuration, tenants from subdomains of
 *       {@code TENANTKIT_SUBDOMAIN} (e.g. {@code {tenant}.app.example.com}).</li>
 * </ul>
 */
public final class DemoService {
  private DemoService() {}

  /** A running service and, in local mode, its stand-ins. */
  public record Running(ConfigurableApplicationContext context, int port, LocalDemo local) implements AutoCloseable {
    @Override
    public void close() {
      context.close();
      if (local != null) {
        local.close();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    // The scenario addresses tenants by Host header ({tenant}.localhost) on 127.0.0.1, which the
    // JDK HTTP client allows only when told to; set before any client class loads.
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    List<String> a = Arrays.asList(args);
    boolean serve = a.contains("--serve");
    int port = a.contains("--port") ? Integer.parseInt(a.get(a.indexOf("--port") + 1)) : (serve ? 8080 : 0);
    String catalogFile = System.getenv("TENANTKIT_CATALOG");
    if (catalogFile != null) {
      String pattern = System.getenv().getOrDefault("TENANTKIT_SUBDOMAIN", "{tenant}.localhost");
      // Verified TLS to RDS (the default) needs the RDS CA bundle: refused at start without one.
      String caBundle = System.getenv("TENANTKIT_RDS_CA_BUNDLE");
      if (caBundle == null || caBundle.isBlank()) {
        throw new IllegalStateException("TENANTKIT_RDS_CA_BUNDLE is not set: the path of the RDS CA bundle "
            + "(global-bundle.pem from https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) that "
            + "verifies the tenants' databases");
      }
      DemoApplication.Backends aws = new DemoApplication.Backends(TenantCatalog.fromFile(Path.of(catalogFile)),
          S3Client.create(), S3Presigner.create(), pattern, db -> db.rdsCaBundle(Path.of(caBundle)));
      start(aws, port == 0 ? 8080 : port, null);
      new CountDownLatch(1).await(); // serve until the process is stopped
      return;
    }
    Scenario.Result result;
    try (Running app = startLocal(port)) {
      if (serve) {
        printCurlCommands(app);
        new CountDownLatch(1).await();
      }
      result = Scenario.run(app);
    }
    System.out.println(result.table());
    System.out.println(result.allHeld()
        ? "All " + result.checks().size() + " isolation checks held."
        : "FAILED: " + result.failed() + " of " + result.checks().size() + " checks did not hold.");
    System.exit(result.allHeld() ? 0 : 1);
  }

  /** Local mode: starts the stand-ins, seeds acme and globex, starts the service on {@code port} (0: any). */
  public static Running startLocal(int port) {
    LocalDemo local = LocalDemo.start();
    try {
      return start(new DemoApplication.Backends(local.catalog(), local.s3().client(), local.s3().presigner(),
          "{tenant}.localhost", db -> db.tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)), port, local);
    } catch (RuntimeException e) {
      local.close();
      throw e;
    }
  }

  private static Running start(DemoApplication.Backends backends, int port, LocalDemo local) {
    ConfigurableApplicationContext context = new SpringApplicationBuilder(DemoApplication.class)
        .initializers(ctx -> ctx.getBeanFactory().registerSingleton("backends", backends))
        .properties(Map.of("server.port", Integer.toString(port), "spring.main.banner-mode", "off",
            "server.error.whitelabel.enabled", "false"))
        .run();
    int actual = Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1"));
    return new Running(context, actual, local);
  }

  private static void printCurlCommands(Running app) {
    int port = app.port();
    StringBuilder out = new StringBuilder("\nTenantKit documents service on port " + port
        + " (local mode: embedded PostgreSQL, in-process S3, local Cognito-shaped issuer).\n"
        + "Tokens are valid for an hour. Try:\n");
    for (String tenant : List.of("acme", "globex")) {
      String token = app.local().accessToken(tenant, tenant + "-user");
      String base = "curl -s --resolve " + tenant + ".localhost:" + port + ":127.0.0.1 -H 'Authorization: Bearer "
          + token + "' http://" + tenant + ".localhost:" + port;
      out.append("\n# ").append(tenant).append(": upload, then list\n")
          .append(base.replace("curl -s", "curl -s -X POST -H 'Content-Type: text/plain' --data-binary 'hello from "
              + tenant + "'")).append("/documents?name=hello.txt\n")
          .append(base).append("/documents\n");
    }
    out.append("\n# acme's token on globex's subdomain is refused (403):\n")
        .append("curl -s -i --resolve globex.localhost:").append(port).append(":127.0.0.1 -H 'Authorization: Bearer ")
        .append(app.local().accessToken("acme", "acme-user")).append("' http://globex.localhost:").append(port)
        .append("/documents\n");
    System.out.println(out);
  }
}
