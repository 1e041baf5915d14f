package dev.tenantkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.auth.VerifiedPrincipal;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.testkit.LocalTokenIssuer;
import dev.tenantkit.testkit.LocalUserPool;
import dev.tenantkit.testkit.TestTenants;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.AbstractFilterRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application whose only TenantKit configuration is {@code tenantkit.*} properties,
 * on a real port (Tomcat), with two tenants of a real local issuer: each tenant reaches only its
 * own scope, and the ways around the filter (another tenant's token, no token, a host naming no
 * tenant, a management path the container would normalise elsewhere) are refused.
 */
class TenantKitStarterIntegrationTest {
  static {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    // S3Proxy refuses the SDK's default request checksums; the SDK's own setting (also
    // AWS_REQUEST_CHECKSUM_CALCULATION or the profile file) reaches the clients the starter builds.
    System.setProperty("aws.requestChecksumCalculation", "when_required");
  }

  static LocalTokenIssuer issuer;
  static dev.tenantkit.testkit.LocalS3 s3;
  static LocalUserPool acmePool;
  static LocalUserPool globexPool;
  static ConfigurableApplicationContext app;
  static int port;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The application a team writes: controllers, nothing of TenantKit's but the properties. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableMethodSecurity
  @org.springframework.scheduling.annotation.EnableAsync
  @org.springframework.scheduling.annotation.EnableScheduling
  @org.springframework.context.annotation.Import(Work.class)
  @RestController
  static class App {
    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;

    @org.springframework.beans.factory.annotation.Autowired
    Work work;

    @GetMapping("/async")
    String async() throws Exception {
      return work.tenantNow().get();
    }

    @org.springframework.beans.factory.annotation.Autowired
    dev.tenantkit.storage.TenantStorageClient storage;

    @org.springframework.web.bind.annotation.PutMapping("/files/{name}")
    String putFile(@org.springframework.web.bind.annotation.PathVariable("name") String name,
        @org.springframework.web.bind.annotation.RequestBody String body) {
      storage.current().put("files/" + name, body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          dev.tenantkit.storage.PutOptions.contentType("text/plain"));
      return "stored";
    }

    @GetMapping("/files/{name}")
    org.springframework.http.ResponseEntity<String> getFile(
        @org.springframework.web.bind.annotation.PathVariable("name") String name) {
      var files = storage.current();
      return files.head("files/" + name).isEmpty() ? org.springframework.http.ResponseEntity.notFound().build()
          : org.springframework.http.ResponseEntity.ok(new String(files.get("files/" + name),
              java.nio.charset.StandardCharsets.UTF_8));
    }

    @GetMapping("/objects")
    String objects(@org.springframework.web.bind.annotation.RequestParam("key") String key) {
      dev.tenantkit.storage.ObjectKeys.check(key, 0);
      return "ok";
    }

    @GetMapping("/cross")
    String cross() {
      throw new dev.tenantkit.core.CrossTenantAccessException(TenantContext.require().id(),
          dev.tenantkit.core.TenantId.of("globex"));
    }

    @GetMapping("/db")
    String db() throws java.sql.SQLException {
      try (java.sql.Connection c = dataSource.getConnection()) {
        return "connected";
      }
    }

    /** What a database or S3 outage throws through application code (the outages themselves: LoadHarness). */
    @GetMapping("/fail/{what}")
    String fail(@org.springframework.web.bind.annotation.PathVariable("what") String what) throws Exception {
      switch (what) {
        case "db-lost" -> throw new IllegalStateException("cannot read document", new java.sql.SQLException(
            "An I/O error occurred while sending to the backend.", "08006"));
        case "db-shutdown" -> throw new java.sql.SQLException(
            "FATAL: terminating connection due to administrator command", "57P01");
        case "db-wrapped" -> throw new IllegalStateException("cannot read document", new java.sql.SQLException(
            "could not execute statement", "S1000", new java.sql.SQLException("Connection reset", "08006")));
        case "db-other" -> throw new IllegalStateException("cannot record document", new java.sql.SQLException(
            "ERROR: duplicate key value violates unique constraint \"documents_pkey\"", "23505"));
        case "s3" -> throw new dev.tenantkit.storage.StorageException.Unavailable(
            "S3 put for tenant acme could not reach S3: ConnectException", new java.net.ConnectException("refused"));
        default -> {
          return "no such failure";
        }
      }
    }

    @GetMapping("/whoami")
    String whoami() {
      return TenantContext.current().map(t -> t.id().value()).orElse("none");
    }

    @GetMapping("/me")
    String me(@AuthenticationPrincipal VerifiedPrincipal user) {
      return user.tenant().id().value() + " " + user.subject() + " "
          + SecurityContextHolder.getContext().getAuthentication().getAuthorities();
    }

    @GetMapping("/reports")
    @PreAuthorize("hasAuthority('SCOPE_reports/read') and hasRole('auditors')")
    String reports() {
      return "reports of " + TenantContext.require().id().value();
    }

    @GetMapping("/actuator/ping")
    String ping() {
      return "pong " + TenantContext.current().map(t -> t.id().value()).orElse("none");
    }

    /** The S3 stand-in's keys (on AWS: the SDK's default chain, the instance's role; no bean). */
    @Bean
    static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider localS3Credentials() {
      return dev.tenantkit.testkit.LocalS3.credentials();
    }

    /**
     * A plain servlet: the container maps it by the normalised path (as it would a servlet of a
     * library), so {@code /actuator/..;/raw} reaches it, unlike Spring MVC's handlers, which match
     * the raw path.
     */
    @Bean
    ServletRegistrationBean<HttpServlet> rawServlet() {
      return new ServletRegistrationBean<>(new HttpServlet() {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
          resp.getWriter().write("raw " + TenantContext.current().map(t -> t.id().value()).orElse("none"));
        }
      }, "/raw");
    }
  }

  /** {@code @Async} work, on Boot's executor (one thread, so tenants follow each other on it). */
  static class Work {
    @org.springframework.scheduling.annotation.Async
    public java.util.concurrent.CompletableFuture<String> tenantNow() {
      return java.util.concurrent.CompletableFuture.completedFuture(state());
    }

    /** The tenant and the authenticated user on this thread now. */
    static String state() {
      var auth = SecurityContextHolder.getContext().getAuthentication();
      return TenantContext.current().map(t -> t.id().value()).orElse("none") + "/"
          + (auth == null ? "anonymous" : auth.getName());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    issuer = LocalTokenIssuer.start();
    acmePool = issuer.pool("eu-west-1_Acme");
    globexPool = issuer.pool("eu-west-1_Globex");
    s3 = dev.tenantkit.testkit.LocalS3.start();
    s3.createBucket("starter-acme");
    s3.createBucket("starter-globex");
    Path file = Files.createTempDirectory("starter").resolve("tenants.json");
    TenantCatalog.writeFile(file, List.of(tenant("acme", acmePool), tenant("globex", globexPool)));
    app = new SpringApplicationBuilder(App.class).properties(
        "tenantkit.storage.endpoint=" + s3.endpoint(), "tenantkit.storage.path-style=true",
        "tenantkit.storage.region=" + TestTenants.REGION,
        "server.port=0",
        "tenantkit.catalog.file=" + file,
        "tenantkit.resolver.subdomain={tenant}.localhost",
        "spring.task.execution.pool.core-size=1", "spring.task.execution.pool.max-size=1",
        "management.endpoint.health.show-details=always").run();
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  static Tenant tenant(String id, LocalUserPool pool) {
    return TestTenants.tenant(id).identity(pool.identity().build())
        .storage(dev.tenantkit.core.StorageConfig.builder().layout(dev.tenantkit.core.StorageConfig.StorageLayout.BUCKET)
            .bucket("starter-" + id).region(TestTenants.REGION).build())
        .build();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (issuer != null) {
      issuer.close();
    }
    if (s3 != null) {
      s3.close();
    }
    System.clearProperty("aws.requestChecksumCalculation");
  }

  static HttpResponse<String> get(String host, String path, @Nullable String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Host", host);
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void request_withItsTenantsToken_servedInThatTenantsScope() throws Exception {
    HttpResponse<String> acme = get("acme.localhost", "/whoami", acmePool.accessToken().subject("alice").sign());
    assertThat(acme.statusCode()).isEqualTo(200);
    assertThat(acme.body()).isEqualTo("acme");
    HttpResponse<String> globex = get("globex.localhost", "/whoami", globexPool.accessToken().subject("bob").sign());
    assertThat(globex.body()).isEqualTo("globex");
  }

  @Test
  void request_withAnotherTenantsToken_refusedAsProblemJson() throws Exception {
    HttpResponse<String> r = get("acme.localhost", "/whoami", globexPool.accessToken().subject("bob").sign());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
    assertThat(r.body()).doesNotContain("acme\"").doesNotContain("eyJ");
  }

  @Test
  void refusedTokens_counted_andPoolGaugesByTenant() throws Exception {
    io.micrometer.core.instrument.MeterRegistry registry = app.getBean(io.micrometer.core.instrument.MeterRegistry.class);
    java.util.function.DoubleSupplier mismatches = () -> {
      var c = registry.find("tenantkit.token.rejections").tags("reason", "tenant_mismatch", "tier", "standard",
          "tenant", "acme").counter();
      return c == null ? 0 : c.count();
    };
    double before = mismatches.getAsDouble();
    assertThat(get("acme.localhost", "/whoami", globexPool.accessToken().sign()).statusCode()).isEqualTo(403);
    assertThat(mismatches.getAsDouble()).isEqualTo(before + 1);
    assertThat(registry.get("tenantkit.db.connections.active").tags("tier", "standard", "tenant", "acme").gauge()
        .value()).isZero();
    assertThat(registry.get("tenantkit.db.pools").gauge().value()).isZero();
  }

  @Test
  void request_withoutToken_orForNoTenant_refused() throws Exception {
    assertThat(get("acme.localhost", "/whoami", null).statusCode()).isEqualTo(401);
    HttpResponse<String> unknown = get("initech.localhost", "/whoami", acmePool.accessToken().sign());
    assertThat(unknown.statusCode()).isBetween(400, 404);
    assertThat(unknown.body()).doesNotContain("acme");
    HttpResponse<String> noTenant = get("localhost", "/whoami", acmePool.accessToken().sign());
    assertThat(noTenant.statusCode()).isBetween(400, 404);
  }

  @Test
  void authenticatedUser_isTheVerifiedPrincipalOfTheRequestsTenant_withScopeAndGroupAuthorities() throws Exception {
    HttpResponse<String> r = get("acme.localhost", "/me",
        acmePool.accessToken().subject("alice").scopes("reports/read").groups("auditors").sign());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("acme alice [SCOPE_reports/read, ROLE_auditors]");
  }

  @Test
  void methodSecurity_missingScopeOrGroup_403ProblemJson_andBothPresent_served() throws Exception {
    HttpResponse<String> noScope = get("acme.localhost", "/reports",
        acmePool.accessToken().groups("auditors").sign());
    assertThat(noScope.statusCode()).isEqualTo(403);
    assertThat(noScope.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
    assertThat(noScope.body()).contains("access-denied").doesNotContain("Exception").doesNotContain("at org.");
    HttpResponse<String> noGroup = get("acme.localhost", "/reports",
        acmePool.accessToken().scopes("reports/read").sign());
    assertThat(noGroup.statusCode()).isEqualTo(403);
    // The same scope and group, but in another tenant's token: refused before any of it counts.
    HttpResponse<String> otherTenant = get("acme.localhost", "/reports",
        globexPool.accessToken().scopes("reports/read").groups("auditors").sign());
    assertThat(otherTenant.statusCode()).isEqualTo(403);
    assertThat(otherTenant.body()).doesNotContain("reports of");
    HttpResponse<String> ok = get("acme.localhost", "/reports",
        acmePool.accessToken().scopes("reports/read").groups("auditors").sign());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("reports of acme");
  }

  @Test
  void tenantFilter_runsBeforeSpringSecuritysChain() {
    FilterRegistrationBean<?> tenant = app.getBean("tenantFilterRegistration", FilterRegistrationBean.class);
    AbstractFilterRegistrationBean<?> security = app.getBean("securityFilterChainRegistration",
        AbstractFilterRegistrationBean.class);
    assertThat(tenant.getOrder()).isLessThan(security.getOrder());
  }

  @Test
  void managementPaths_healthOpenWithoutTenant_othersClosed_andNoWayAroundTheFilter() throws Exception {
    // Actuator's health, no tenant: UP, with TenantKit's database check in place of Boot's (which
    // would call getConnection() outside a tenant, be refused, and report DOWN, 503).
    HttpResponse<String> health = get("localhost", "/actuator/health", null);
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"db\"").contains("tenantsWithConnections")
        .contains("\"tenantkit\"").contains("\"activeTenants\":2")
        // The catalog's source, and both issuers' keys fetched at start (warm-up), by state only.
        .contains("\"catalog\":{\"type\":\"file\"}").contains("\"keySources\":{\"states\":{\"FETCHED\":2}}")
        .doesNotContain("acme").doesNotContain("globex").doesNotContain("eu-west-1_Acme").doesNotContain("DOWN");
    // Skipped by the tenant filter, but closed by the default security chain, with or without a
    // token (a token is accepted only on a request admitted to its tenant).
    for (String token : java.util.Arrays.asList(null, acmePool.accessToken().sign())) {
      HttpResponse<String> ping = get("localhost", "/actuator/ping", token);
      assertThat(ping.statusCode()).isIn(401, 403);
      assertThat(ping.body()).doesNotContain("pong").contains("problem");
    }
    HttpResponse<String> raw = get("acme.localhost", "/raw", acmePool.accessToken().sign());
    assertThat(raw.body()).isEqualTo("raw acme");
    // Tomcat serves /actuator/..;/raw as /raw: it must go through tenant admission, not skip it.
    // The tenant filter answers them itself (401, no token): skipped, they would reach Spring
    // Security's firewall instead (400), or the servlet.
    for (String sneaky : List.of("/actuator/..;/raw", "/actuator/;x=1/../raw", "/actuator/%2e%2e/raw",
        "/actuator/../raw", "/actuator/..;/whoami", "/actuator/health/..;/raw", "/actuator//raw")) {
      HttpResponse<String> r = get("acme.localhost", sneaky, null);
      assertThat(r.statusCode()).as(sneaky).isEqualTo(401);
      assertThat(r.body()).as(sneaky).contains("urn:tenantkit:problem:token-required").doesNotContain("none");
    }
  }

  @Test
  void tenantKitRefusalsInControllers_problemJsonWithTheirStatus_noMessageOrStackTrace() throws Exception {
    String token = acmePool.accessToken().sign();
    HttpResponse<String> key = get("acme.localhost", "/objects?key=..%2Fglobex%2Fsecret", token);
    assertThat(key.statusCode()).isEqualTo(400);
    assertThat(key.body()).contains("urn:tenantkit:problem:invalid-object-key");
    HttpResponse<String> cross = get("acme.localhost", "/cross", token);
    assertThat(cross.statusCode()).isEqualTo(403);
    assertThat(cross.body()).contains("urn:tenantkit:problem:cross-tenant-access").doesNotContain("globex");
    // The tenant's record has no database section: refused, not a connection to some default.
    HttpResponse<String> db = get("acme.localhost", "/db", token);
    assertThat(db.statusCode()).isEqualTo(500);
    assertThat(db.body()).contains("urn:tenantkit:problem:database-refused").doesNotContain("connected");
    for (HttpResponse<String> r : List.of(key, cross, db)) {
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("TK00").doesNotContain("\tat ");
    }
  }

  @Test
  void outagesThroughApplicationCode_503ProblemJsonWithRetryAfter_otherSqlErrorsLeftToSpring() throws Exception {
    String token = acmePool.accessToken().sign();
    for (String what : List.of("db-lost", "db-shutdown", "db-wrapped", "s3")) {
      HttpResponse<String> r = get("acme.localhost", "/fail/" + what, token);
      assertThat(r.statusCode()).as(what).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).as(what).hasValue("1");
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
      assertThat(r.body()).contains(what.equals("s3") ? "urn:tenantkit:problem:storage-unavailable"
          : "urn:tenantkit:problem:database-unavailable")
          .doesNotContain("Exception").doesNotContain("backend").doesNotContain("administrator").doesNotContain("acme");
    }
    // Not an outage: not answered as one (Spring's own 500), and the driver's text is not in it.
    HttpResponse<String> other = get("acme.localhost", "/fail/db-other", token);
    assertThat(other.statusCode()).isEqualTo(500);
    assertThat(other.body()).doesNotContain("database-unavailable").doesNotContain("documents_pkey");
  }

  @Test
  void asyncWork_runsInTheSubmittersTenantAndUser_andThePooledThreadKeepsNeither() throws Exception {
    for (String t : List.of("acme", "globex", "acme")) {
      LocalUserPool pool = t.equals("acme") ? acmePool : globexPool;
      HttpResponse<String> r = get(t + ".localhost", "/async", pool.accessToken().subject(t + "-user").sign());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(t + "/" + t + "-user");
    }
    // Submitted with no tenant, on the same single thread that just ran acme's task.
    assertThat(app.getBean(Work.class).tenantNow().get()).isEqualTo("none/anonymous");
    // And straight on that thread, past the decorator: nothing of acme's was left on it.
    var executor = app.getBean("applicationTaskExecutor",
        org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor.class);
    assertThat(executor.getThreadPoolExecutor().submit(Work::state).get()).isEqualTo("none/anonymous");
  }

  @Test
  void scheduledWork_withoutTenant_refusedByTheDataSource_notServedFromADefault() throws Exception {
    java.util.concurrent.CompletableFuture<Throwable> outcome = new java.util.concurrent.CompletableFuture<>();
    app.getBean(org.springframework.scheduling.TaskScheduler.class).schedule(() -> {
      try (java.sql.Connection c = app.getBean(javax.sql.DataSource.class).getConnection()) {
        outcome.complete(null);
      } catch (Throwable e) {
        outcome.complete(e);
      }
    }, java.time.Instant.now());
    Throwable e = outcome.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(e).isInstanceOfSatisfying(dev.tenantkit.db.TenantDbException.class,
        x -> assertThat(x.reason()).isEqualTo(dev.tenantkit.db.TenantDbException.Reason.NO_TENANT));
  }

  @Test
  void storage_fromPropertiesOnly_eachTenantInItsOwnBucket_noReadAcross() throws Exception {
    String acme = acmePool.accessToken().sign();
    String globex = globexPool.accessToken().sign();
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/files/plan.txt"))
        .header("Host", "acme.localhost").header("Authorization", "Bearer " + acme)
        .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("acme's plan")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(get("acme.localhost", "/files/plan.txt", acme).body()).isEqualTo("acme's plan");
    // The same name in globex's scope is globex's bucket: nothing there.
    assertThat(get("globex.localhost", "/files/plan.txt", globex).statusCode()).isEqualTo(404);
    assertThat(s3.keys("starter-acme")).containsExactly("files/plan.txt");
    assertThat(s3.keys("starter-globex")).isEmpty();
  }
}
