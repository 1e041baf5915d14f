package dev.tenantkit.examples.service;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.db.DatabaseBootstrap;
import dev.tenantkit.db.DbCredentials;
import dev.tenantkit.db.DbCredentialsFactory;
import dev.tenantkit.db.SecretsManagerCredentialsFactory;
import dev.tenantkit.db.TlsMode;
import dev.tenantkit.examples.documents.DocumentStore;
import dev.tenantkit.examples.documents.LocalDemo;
import dev.tenantkit.spring.TenantKitConnectionDetails;
import dev.tenantkit.testkit.LocalS3;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Runs the documents service.
 *
 * <ul>
 *   <li>no arguments or {@code --scenario}: local mode, then the scripted isolation tour
 *       ({@link Scenario}); prints a table and exits 0 only if every check held;</li>
 *   <li>{@code --serve [--port N]}: local mode, serving on port N (8080) with ready-to-paste
 *       {@code curl} commands for both tenants;</li>
 *   <li>AWS mode, when {@code TENANTKIT_REGISTRY_TABLE} (the DynamoDB tenant registry) or
 *       {@code TENANTKIT_CATALOG} (a catalog file) is set: the settings a tenant stack's
 *       instances boot with ({@link AwsSettings}), every one checked at start; S3 and DynamoDB
 *       from the default AWS configuration.</li>
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
    if (AwsSettings.requested(System.getenv())) {
      // Every setting checked before anything starts; the message names each variable to set.
      AwsSettings settings = AwsSettings.from(System.getenv());
      bootstrapDatabase(settings, SecretsManagerCredentialsFactory.create(), TlsMode.VERIFY_FULL)
          .ifPresent(r -> System.out.println("tenant database ready: " + String.join(", ", r.steps())));
      startAws(settings, Map.of(), Map.of());
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

  /**
   * AWS mode: the tenants from the registry (or catalog file) the settings name, verified TLS to
   * the databases with the settings' RDS CA bundle, all as the starter's properties; the SDK
   * clients the starter makes from the default AWS configuration, unless {@code beans} gives some
   * (tests: a DynamoDB client on the local registry, S3 clients on the local S3).
   *
   * @param extraProperties more properties, which win (tests: plaintext to the local PostgreSQL)
   */
  public static Running startAws(AwsSettings settings, Map<String, Object> extraProperties, Map<String, Object> beans) {
    Map<String, Object> properties = new java.util.LinkedHashMap<>(settings.springProperties());
    properties.putAll(extraProperties);
    return start(properties, beans, null);
  }

  /**
   * First boot of a silo stack's instance, when the settings name the master secret: the
   * tenant's database gets its roles ({@link DatabaseBootstrap}) and the documents table (its
   * Flyway migrations, as the owner role); idempotent, so every boot runs it. The database exists before the instances boot; the
   * tenant's record turns ACTIVE only once the whole stack is, and is served from then on.
   *
   * @param master reads the master user's credentials (the secret's {@code username} and
   *     {@code password}) for a database config whose secret ARN is the master secret
   */
  static Optional<DatabaseBootstrap.Report> bootstrapDatabase(AwsSettings settings, DbCredentialsFactory master,
      TlsMode tls) throws SQLException {
    if (settings.bootstrapDatabase().isEmpty() || settings.masterSecretArn().isEmpty()) {
      return Optional.empty();
    }
    DatabaseConfig db = settings.bootstrapDatabase().get();
    DbCredentials credentials = master.credentials(db.toBuilder().credentials(DatabaseConfig.CredentialsSource.SECRET)
        .secretArn(settings.masterSecretArn().get()).build());
    return Optional.of(DatabaseBootstrap.forTenant(db).flyway(DocumentStore.MIGRATIONS)
        .flywayBaseline("1") // stacks first booted before the table was Flyway's already have V1's table
        .build()
        .run(db, credentials, tls, settings.rdsCaBundle()));
  }

  /** Local mode: starts the stand-ins, seeds acme and globex, starts the service on {@code port} (0: any). */
  public static Running startLocal(int port) {
    LocalDemo local = LocalDemo.start();
    try {
      Running app = serve(local, Map.of("server.port", Integer.toString(port)), Map.of());
      return new Running(app.context(), app.port(), local);
    } catch (RuntimeException e) {
      local.close();
      throw e;
    }
  }

  /**
   * Local mode on stand-ins someone else started and closes (the load harness): the service on
   * {@code local}'s tenants, any port unless {@code properties} names one; closing the returned
   * service leaves the stand-ins running.
   *
   * @param properties more properties, which win (the harness: its tiers' limits)
   * @param beans ready-made beans the starter uses (the harness: its S3 client, to take S3 down)
   */
  public static Running serve(LocalDemo local, Map<String, Object> properties, Map<String, Object> beans) {
    Map<String, Object> all = new java.util.LinkedHashMap<>(Map.of("server.port", "0",
        "tenantkit.resolver.subdomain", "{tenant}.localhost"));
    all.putAll(properties);
    Map<String, Object> withDetails = new java.util.LinkedHashMap<>(beans);
    withDetails.put("tenantKitConnectionDetails", connectionDetails(local));
    return start(all, withDetails, null);
  }

  /**
   * Local mode's stand-ins as the starter's connection details: the two seeded tenants, the
   * in-process S3 server, plaintext to the embedded PostgreSQL on loopback.
   */
  static TenantKitConnectionDetails connectionDetails(LocalDemo local) {
    return TenantKitConnectionDetails.of(local.catalog(), new TenantKitConnectionDetails.S3Endpoint(
        local.s3().endpoint(), LocalDemo.REGION, LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY, true), true);
  }

  /**
   * Starts the service with these properties, which win over application.yml (and over the
   * environment: the mode decides), and ready-made beans, which the starter backs off for or uses
   * (connection details, SDK clients); whoever made the beans closes them.
   */
  static Running start(Map<String, Object> properties, Map<String, Object> beans, LocalDemo local) {
    ConfigurableApplicationContext context = new SpringApplicationBuilder(DemoApplication.class)
        .initializers(ctx -> {
          // Not SpringApplicationBuilder.properties: those are defaults, below application.yml.
          ctx.getEnvironment().getPropertySources().addFirst(new MapPropertySource("tenantkit-demo", properties));
          beans.forEach(ctx.getBeanFactory()::registerSingleton);
        })
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
