package dev.tenantkit.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load harness, short and slow (seconds, a few dozen requests a second), in the build: it
 * asserts the correctness counts only (no response carries the other tenant's data, refusals
 * have the right status, the faults end in recovery), never a timing. The full run is
 * {@link LoadHarness#main}; its numbers are in docs/benchmarks.md.
 */
class LoadHarnessIntegrationTest {
  static {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
  }

  private static LoadTarget target;
  private static LoadHarness harness;

  @BeforeAll
  static void start() throws Exception {
    target = LoadTarget.start(LoadHarness.BASIC, LoadHarness.PREMIUM);
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
  void noisyNeighbour_theFloodIsRefusedWith429_theOtherTenantIsServed_andNoAnswerCarriesTheOtherTenantsData()
      throws Exception {
    List<OpenLoop.Sample> samples = new OpenLoop().run(System.nanoTime(),
        harness.acme("acme", 10, Duration.ofSeconds(3), target.tenantKitPort()),
        harness.globex("globex", 150, Duration.ofSeconds(3)));
    OpenLoop.Summary acme = summary("acme", samples);
    OpenLoop.Summary globex = summary("globex", samples);
    assertThat(acme.sent()).isEqualTo(30);
    assertThat(acme.ok()).as(acme.toString()).isEqualTo(acme.sent());
    assertThat(globex.refused429()).as(globex.toString()).isPositive();
    assertThat(globex.ok() + globex.refused429()).as(globex.toString()).isEqualTo(globex.sent());
    assertThat(acme.wrongTenant() + globex.wrongTenant()).isZero();
  }

  @Test
  void baseline_servesTheSameRequests() throws Exception {
    List<OpenLoop.Sample> samples = new OpenLoop().run(System.nanoTime(),
        harness.acme("baseline", 20, Duration.ofSeconds(1), target.baselinePort()));
    OpenLoop.Summary base = summary("baseline", samples);
    assertThat(base.ok()).as(base.toString()).isEqualTo(20);
    assertThat(base.wrongTenant()).isZero();
  }

  @Test
  void faults_keysDown_suspension_databaseRestart_failClearly_neverCrossTenants_andRecover() throws Exception {
    // Keys down: verification goes on with the cached keys, every request served.
    LoadHarness.Fault keys = harness.jwksDown(20, Duration.ofSeconds(3));
    assertThat(keys.samples()).hasSize(120).allSatisfy(s -> {
      assertThat(s.status()).isIn(200, 201);
      assertThat(s.wrongTenant()).isFalse();
    });

    // globex suspended: its requests sent while suspended are refused 403, acme's all served.
    LoadHarness.Fault suspended = harness.suspension(20, Duration.ofSeconds(3));
    assertThat(LoadHarness.servedWhileSuspended(suspended)).isZero();
    assertThat(suspended.samples()).filteredOn(s -> s.stream().equals("globex") && s.status() == 403).isNotEmpty();
    assertThat(suspended.samples()).allSatisfy(s -> {
      assertThat(s.wrongTenant()).isFalse();
      assertThat(s.status()).isIn(200, 201, 403);
    });
    assertThat(suspended.samples()).filteredOn(s -> s.stream().equals("acme"))
        .allSatisfy(s -> assertThat(s.status()).isIn(200, 201));

    LoadHarness.Fault restart = harness.databaseRestart(20, Duration.ofSeconds(6));
    assertThat(restart.samples()).allSatisfy(s -> {
      assertThat(s.wrongTenant()).isFalse();
      assertThat(s.status()).isIn(200, 201, 503);
    });
    // Recovered: everything sent in the last second was served.
    long end = restart.samples().stream().mapToLong(OpenLoop.Sample::intendedNanos).max().orElseThrow();
    assertThat(restart.samples().stream().filter(s -> s.intendedNanos() > end - 1_000_000_000L))
        .isNotEmpty().allSatisfy(s -> assertThat(s.status()).isIn(200, 201));
  }
}
