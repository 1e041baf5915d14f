package dev.tenantkit.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load harness, short and slow (seconds, a few dozen requests a second), in the build: it
 * asserts the correctness counts only (no answer carries another tenant's row, probes of a
 * neighbour's documents are 404, refusals have the right status, the faults end in recovery),
 * never a timing. The full run is {@link LoadHarness#main}; its numbers are in docs/benchmarks.md.
 */
class LoadHarnessIntegrationTest {
  static {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
  }

  /**
   * globex's tier: the harness's rate and burst (the floods below must be refused by the rate),
   * but room for 64 requests in flight rather than 16. These streams are open loop: a pause of
   * the JVM or the machine (a collection, a CI neighbour) of about a second piles 20 requests of
   * a 20-a-second stream up, and the in-flight bound would then refuse some with 429, correctly but
   * beside the point of a test that checks a fault's answers (CI saw exactly that once).
   */
  static final dev.tenantkit.core.RequestLimits BASIC = dev.tenantkit.core.RequestLimits.of(
      LoadHarness.BASIC.requestsPerSecond(), LoadHarness.BASIC.burst(), 64);

  private static LoadTarget target;
  private static LoadHarness harness;

  @BeforeAll
  static void start() throws Exception {
    target = LoadTarget.start(BASIC, LoadHarness.PREMIUM);
    harness = new LoadHarness(target);
  }

  @AfterAll
  static void stop() throws Exception {
    target.close();
  }

  private static OpenLoop.Summary summary(String stream, List<OpenLoop.Sample> samples) {
    return OpenLoop.Summary.of(stream, samples, 1);
  }

  @Test
  void noisyNeighbour_theFloodIsRefusedWith429_theOtherTenantIsServed_andNoAnswerCarriesAnotherTenantsRow()
      throws Exception {
    List<OpenLoop.Sample> samples = new OpenLoop().run(System.nanoTime(),
        harness.acme("acme", 10, Duration.ofSeconds(3), target.tenantKitPort()),
        harness.globex("globex", 150, Duration.ofSeconds(3)));
    OpenLoop.Summary acme = summary("acme", samples);
    OpenLoop.Summary globex = summary("globex", samples);
    assertThat(acme.sent()).isEqualTo(30);
    assertThat(acme.ok()).as(acme.toString()).isEqualTo(acme.sent());
    assertThat(globex.refused429()).as(globex.toString()).isPositive();
    // The flood: served, refused 429, or (a slow machine's pool wait) 503; nothing else.
    assertThat(samples).filteredOn(s -> s.stream().equals("globex") && !s.asExpected())
        .allSatisfy(s -> assertThat(s.status()).isIn(429, 503));
    // globex's probes of initech's documents (pooled beside it) were answered 404: RLS held.
    assertThat(samples).filteredOn(s -> s.stream().equals("globex") && s.probe() && s.asExpected()).isNotEmpty();
    assertThat(acme.wrongTenant() + globex.wrongTenant()).isZero();
  }

  @Test
  void onSpringBoot_theFloodIsRefusedWith429_theOtherTenantIsServed_andNoAnswerCarriesAnotherTenantsRow()
      throws Exception {
    // The documents example on the starter, its limits from the harness's tiers as properties.
    List<OpenLoop.Sample> samples = new OpenLoop().run(System.nanoTime(),
        harness.acme("acme", 10, Duration.ofSeconds(3), target.bootServicePort()),
        harness.globex("globex", 150, Duration.ofSeconds(3), target.bootServicePort()));
    OpenLoop.Summary acme = summary("acme", samples);
    OpenLoop.Summary globex = summary("globex", samples);
    assertThat(acme.ok()).as(acme.toString()).isEqualTo(30);
    assertThat(globex.refused429()).as(globex.toString()).isPositive();
    assertThat(samples).filteredOn(s -> s.stream().equals("globex") && !s.asExpected())
        .allSatisfy(s -> assertThat(s.status()).isIn(429, 503));
    assertThat(samples).filteredOn(s -> s.stream().equals("globex") && s.probe() && s.asExpected()).isNotEmpty();
    assertThat(samples).filteredOn(s -> s.stream().equals("globex") && s.status() == 201).isNotEmpty();
    assertThat(acme.wrongTenant() + globex.wrongTenant()).isZero();
  }

  @Test
  void theWrongTenantCheck_catchesABootServiceWithoutIsolation_andTheBootServiceGivesItNothingToCatch()
      throws Exception {
    // The Boot answers (the example's Document) name no tenant: the check goes by the document's
    // name, which must be the requester's. globex's probes here ask for acme's documents: the
    // baseline, on acme's database for anyone, answers them; the example on the starter does not.
    List<OpenLoop.Sample> samples = new OpenLoop().run(System.nanoTime(),
        harness.globexProbingAcme("globex via boot baseline", 20, Duration.ofSeconds(1), target.bootBaselinePort()),
        harness.acme("boot baseline", 20, Duration.ofSeconds(1), target.bootBaselinePort()),
        harness.globexProbingAcme("globex via boot tenantkit", 20, Duration.ofSeconds(1), target.bootServicePort()));
    assertThat(summary("globex via boot baseline", samples).wrongTenant()).isPositive();
    OpenLoop.Summary base = summary("boot baseline", samples);
    assertThat(base.ok()).as(base.toString()).isEqualTo(20);
    assertThat(base.wrongTenant()).isZero();
    OpenLoop.Summary tk = summary("globex via boot tenantkit", samples);
    assertThat(tk.ok()).as(tk.toString()).isEqualTo(20);
    assertThat(tk.wrongTenant()).isZero();
    assertThat(samples).filteredOn(s -> s.stream().equals("globex via boot tenantkit") && s.probe())
        .isNotEmpty().allSatisfy(s -> assertThat(s.status()).isEqualTo(404));
  }

  @Test
  void theBootService_runsOnTheHarnesssLimits_notOnItsApplicationYml() {
    // application.yml gives premium 200 a second: acme, premium, would be refused in the capacity runs.
    dev.tenantkit.core.TenantLimiter limiter = target.bootServiceContext().getBean(dev.tenantkit.core.TenantLimiter.class);
    assertThat(limiter.limitsFor(target.demo.catalog().require(dev.tenantkit.core.TenantId.of("acme"))))
        .isEqualTo(LoadHarness.PREMIUM);
    assertThat(limiter.limitsFor(target.demo.catalog().require(dev.tenantkit.core.TenantId.of("globex"))))
        .isEqualTo(BASIC);
  }

  @Test
  void theBootBaselines_runWithoutTenantKit_andOnlyTheSecuredOneWithSpringSecurity() {
    for (boolean secured : new boolean[] {false, true}) {
      var context = target.bootBaselineContext(secured);
      assertThat(context.getBeanNamesForType(dev.tenantkit.db.TenantDataSource.class)).isEmpty();
      assertThat(context.getBeanNamesForType(dev.tenantkit.core.TenantCatalog.class)).isEmpty();
      assertThat(context.getBeanNamesForType(org.springframework.boot.web.servlet.FilterRegistrationBean.class))
          .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("tenant"));
      assertThat(context.getBeanNamesForType(org.springframework.security.web.SecurityFilterChain.class))
          .hasSize(secured ? 1 : 0);
    }
    // And the example itself has all of them.
    assertThat(target.bootServiceContext().getBeanNamesForType(dev.tenantkit.db.TenantDataSource.class)).hasSize(1);
    assertThat(target.bootServiceContext().getBeanNamesForType(
        org.springframework.security.web.SecurityFilterChain.class)).hasSize(1);
  }

  @Test
  void theSecuredBootBaseline_refusesAnotherIssuersToken_andARequestWithout() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    UUID acmeDoc = target.seeded.get("acme").get(0);
    for (String token : new String[] {target.demo.accessToken("globex", "gina"), null}) {
      java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
          "http://127.0.0.1:" + target.bootSecuredPort() + "/documents/" + acmeDoc));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      assertThat(http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void theWrongTenantCheck_catchesAServiceWithoutIsolation() throws Exception {
    // The baseline serves acme's database to anyone: globex asking it for documents gets acme's
    // rows (its "probes" of initech's ids are 404, its reads of its own ids too), and its uploads
    // land as acme's. The check must see that.
    List<OpenLoop.Sample> samples = new OpenLoop().run(System.nanoTime(),
        harness.globex("globex via baseline", 20, Duration.ofSeconds(1), target.baselinePort()),
        harness.acme("baseline", 20, Duration.ofSeconds(1), target.baselinePort()));
    assertThat(summary("globex via baseline", samples).wrongTenant()).isPositive();
    OpenLoop.Summary base = summary("baseline", samples);
    assertThat(base.ok()).as(base.toString()).isEqualTo(20);
    assertThat(base.wrongTenant()).isZero();
  }

  @Test
  void capacity_closedLoop_servesEveryPath() throws Exception {
    OpenLoop load = new OpenLoop();
    for (int port : new int[] {target.tenantKitPort(), target.baselinePort(), target.filterOnlyPort(),
        target.dataOnlyPort(), target.bootBaselinePort(), target.bootServicePort(), target.bootSecuredPort()}) {
      List<OpenLoop.Sample> samples = load.closedLoop(4, harness.acme("c", 1, Duration.ofSeconds(1), port));
      assertThat(samples).isNotEmpty().allSatisfy(s -> {
        assertThat(s.asExpected()).as("status %d", s.status()).isTrue();
        assertThat(s.wrongTenant()).isFalse();
      });
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"jetty", "boot"})
  void faults_keysDown_suspension_s3Down_databaseRestart_failClearly_neverCrossTenants_andRecover(String service)
      throws Exception {
    // On the Jetty servlet (whose own code answers a failure 503) and on the documents example on
    // the starter (where TenantKit's problem handlers do).
    LoadHarness harness = new LoadHarness(target, service.equals("boot") ? target.bootServicePort()
        : target.tenantKitPort());
    // Keys down: verification goes on with the cached keys, every request answered as expected.
    LoadHarness.Fault keys = harness.jwksDown(20, Duration.ofSeconds(3));
    assertThat(keys.samples()).hasSize(120).allSatisfy(s -> {
      assertThat(s.asExpected()).as("status %d", s.status()).isTrue();
      assertThat(s.wrongTenant()).isFalse();
    });

    // globex suspended: its requests sent while suspended are refused 403, acme's all answered.
    LoadHarness.Fault suspended = harness.suspension(20, Duration.ofSeconds(3));
    assertThat(LoadHarness.servedWhileSuspended(suspended)).isZero();
    assertThat(suspended.samples()).filteredOn(s -> s.stream().equals("globex") && s.status() == 403).isNotEmpty();
    assertThat(suspended.samples()).allSatisfy(s -> {
      assertThat(s.wrongTenant()).isFalse();
      assertThat(s.asExpected() || s.status() == 403).as("status %d", s.status()).isTrue();
    });
    assertThat(suspended.samples()).filteredOn(s -> s.stream().equals("acme"))
        .allSatisfy(s -> assertThat(s.asExpected()).isTrue());

    // S3 down: uploads sent about then fail with 503, reads go on, and uploads work again after.
    LoadHarness.Fault s3 = harness.s3Down(20, Duration.ofSeconds(3));
    assertThat(s3.samples()).allSatisfy(s -> {
      assertThat(s.wrongTenant()).isFalse();
      assertThat(s.asExpected() || s.status() == 503).as("status %d", s.status()).isTrue();
    });
    // Each 503 was answered after S3 went down and its request was due before S3 came back (plus a
    // second for the fault thread's own scheduling); a request due earlier but sent late, after a
    // pause of the machine, may meet S3 down and is rightly refused.
    assertThat(s3.samples()).filteredOn(s -> s.status() == 503).isNotEmpty().allSatisfy(s -> {
      assertThat(s.intendedNanos() + s.latencyNanos()).isGreaterThanOrEqualTo(s3.markers()[0]);
      assertThat(s.intendedNanos()).isLessThanOrEqualTo(s3.markers()[2] + 1_000_000_000L);
    });
    assertThat(s3.samples()).filteredOn(s -> s.status() == 201 && s.intendedNanos() > s3.markers()[2]).isNotEmpty();

    // PostgreSQL restarted: 503 (unavailable) or 429 (requests piled up past the in-flight bound)
    // meanwhile, never anything else, never another tenant's row; all answered again 2 s after.
    LoadHarness.Fault restart = harness.databaseRestart(20, Duration.ofSeconds(8));
    assertThat(restart.samples()).allSatisfy(s -> {
      assertThat(s.wrongTenant()).isFalse();
      assertThat(s.asExpected() || s.status() == 503 || s.status() == 429).as("status %d", s.status()).isTrue();
    });
    assertThat(restart.samples().stream().filter(s -> s.intendedNanos() > restart.markers()[1] + 2_000_000_000L))
        .isNotEmpty().allSatisfy(s -> assertThat(s.asExpected()).as("status %d", s.status()).isTrue());
  }
}
