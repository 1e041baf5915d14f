package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.db.IamAuthTokenFactoryTest.MovableClock;
import dev.tenantkit.db.TenantDbException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets Manager outages against the real SDK client and a loopback endpoint in the service's
 * wire format (no local Secrets Manager exists): the cached secret keeps serving for a bounded
 * staleness while fetches back off, a refused secret is never served stale, and concurrent misses
 * cost one call.
 */
class SecretsManagerOutageIntegrationTest {
  private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tenantkit/outage-AbCdEf";

  private LoopbackSecretsManager secrets;
  private final MovableClock clock = new MovableClock();

  @BeforeEach
  void start() throws Exception {
    secrets = new LoopbackSecretsManager();
    secrets.secrets.put(ARN, LoopbackSecretsManager.rdsSecret("rot_user", "cached-password", 5432));
  }

  @AfterEach
  void stop() {
    secrets.close();
  }

  private SecretsManagerCredentialsFactory factory() {
    return SecretsManagerCredentialsFactory.builder().client(secrets.clientWithoutRetries()).clock(clock)
        .ttl(Duration.ofMinutes(1)).maxStaleness(Duration.ofMinutes(10)).minRefetchInterval(Duration.ZERO).build();
  }

  private static DatabaseConfig db() {
    return DatabaseConfig.builder().isolation(IsolationMode.SILO).host("db.internal").database("app")
        .user("rot_user").credentials(CredentialsSource.SECRET).secretArn(ARN).region("eu-west-1").build();
  }

  @Test
  void outage_cachedSecretKeepsServingWithinMaxStaleness_andFetchesBackOff() throws Exception {
    SecretsManagerCredentialsFactory factory = factory();
    assertThat(factory.credentials(db()).password()).isEqualTo("cached-password");
    assertThat(secrets.calls()).hasSize(1);

    secrets.outage(true);
    clock.advance(Duration.ofMinutes(2)); // past the ttl: a refresh is due, and fails
    assertThat(factory.credentials(db()).password()).isEqualTo("cached-password");
    assertThat(secrets.calls()).hasSize(2);
    // Every connection attempt in the back-off window is served from the cache, with no call.
    for (int i = 0; i < 200; i++) {
      assertThat(factory.credentials(db()).password()).isEqualTo("cached-password");
    }
    assertThat(secrets.calls()).hasSize(2);
    clock.advance(Duration.ofMillis(1_100)); // first back-off (1 s) over: one more attempt
    factory.credentials(db());
    factory.credentials(db());
    assertThat(secrets.calls()).hasSize(3);
    clock.advance(Duration.ofMillis(1_100)); // second back-off is 2 s: still none
    factory.credentials(db());
    assertThat(secrets.calls()).hasSize(3);
    clock.advance(Duration.ofMillis(1_000));
    factory.credentials(db());
    assertThat(secrets.calls()).hasSize(4);

    // Past ttl + maxStaleness, the cached secret is no longer served.
    clock.advance(Duration.ofMinutes(10));
    assertThatThrownBy(() -> factory.credentials(db())).isInstanceOfSatisfying(TenantDbException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS_FAILED);
      assertThat(e.getMessage()).contains(ARN).contains("older than ttl + maxStaleness")
          .doesNotContain("cached-password");
    });

    // The service is back: the next attempt after the back-off fetches, and all is fresh again.
    secrets.outage(false);
    secrets.secrets.put(ARN, LoopbackSecretsManager.rdsSecret("rot_user", "fresh-password", 5432));
    clock.advance(Duration.ofMinutes(2));
    assertThat(factory.credentials(db()).password()).isEqualTo("fresh-password");
  }

  @Test
  void outage_afterTheDatabaseRefusedTheSecret_neverServesItStale() throws Exception {
    SecretsManagerCredentialsFactory factory = factory();
    factory.credentials(db());
    secrets.outage(true);
    factory.authenticationFailed(db()); // a rotation happened: the cached password is wrong
    assertThatThrownBy(() -> factory.credentials(db())).isInstanceOfSatisfying(TenantDbException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS_FAILED);
      assertThat(e.getMessage()).contains("refused the cached secret");
    });
    int calls = secrets.calls().size();
    // Refusals in the back-off window fail at once, without a call.
    for (int i = 0; i < 50; i++) {
      assertThatThrownBy(() -> factory.credentials(db())).isInstanceOf(TenantDbException.class);
    }
    assertThat(secrets.calls()).hasSize(calls);
    secrets.outage(false);
    secrets.secrets.put(ARN, LoopbackSecretsManager.rdsSecret("rot_user", "rotated-password", 5432));
    clock.advance(Duration.ofSeconds(2));
    assertThat(factory.credentials(db()).password()).isEqualTo("rotated-password");
  }

  @Test
  void concurrentMissesOnAColdCache_costOneCall_andAllGetTheSecret() throws Exception {
    SecretsManagerCredentialsFactory factory = factory();
    secrets.delay(Duration.ofMillis(300));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return factory.credentials(db()).password();
        }));
      }
      go.countDown();
      for (Future<String> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo("cached-password");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(secrets.calls()).hasSize(1);
    assertThat(factory.fetches()).isEqualTo(1);
  }

  @Test
  void concurrentMissesDuringAnOutageWithNothingCached_allFail_afterOneCall() throws Exception {
    SecretsManagerCredentialsFactory factory = factory();
    secrets.outage(true);
    secrets.delay(Duration.ofMillis(300));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Reason>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> {
          go.await();
          try {
            factory.credentials(db());
            return null;
          } catch (TenantDbException e) {
            return e.reason();
          }
        }));
      }
      go.countDown();
      for (Future<Reason> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(Reason.CREDENTIALS_FAILED);
      }
    } finally {
      pool.shutdownNow();
    }
    // Threads that arrived while the one fetch was under way waited for it; later ones found its
    // failure and back-off in the cache. Either way, one call.
    assertThat(secrets.calls()).hasSize(1);
    // Until the back-off passes, a cold cache refuses at once too.
    assertThatThrownBy(() -> factory.credentials(db())).isInstanceOfSatisfying(TenantDbException.class,
        e -> assertThat(e.getMessage()).contains("none is cached"));
    assertThat(secrets.calls()).hasSize(1);
  }

  @Test
  void maxStaleness_outOfRange_isRefusedNamingTheOption() {
    assertThatThrownBy(() -> SecretsManagerCredentialsFactory.builder().maxStaleness(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxStaleness");
  }
}
