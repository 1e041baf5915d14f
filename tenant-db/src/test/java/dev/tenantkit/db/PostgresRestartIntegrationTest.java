package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The database stops and starts again under load (its own server, not the shared one): the
 * pools recover by themselves, and no connection is ever handed to the wrong tenant, before,
 * during or after the outage.
 */
class PostgresRestartIntegrationTest {

  @Test
  void restartUnderLoad_poolsRecover_andNoConnectionReachesTheWrongTenant() throws Exception {
    try (LocalPostgres pg = LocalPostgres.start()) {
      pg.createRole("app", "pw");
      pg.createRole("migrator", "pw2");
      pg.createDatabase("shared", "migrator");
      pg.executeAsSuperuser("shared", "SET ROLE migrator",
          "CREATE TABLE notes (tenant_id text NOT NULL, body text)");
      try (Connection c = pg.superuserConnection("shared"); Statement s = c.createStatement()) {
        s.execute("SET ROLE migrator");
        RowLevelSecurity.enable(c, "notes", "tenant_id");
        s.execute("GRANT SELECT, INSERT ON notes TO app");
      }
      List<Tenant> tenants = new ArrayList<>();
      for (String id : new String[] {"acme", "globex", "initech", "umbrella"}) {
        pg.executeAsSuperuser("shared", "INSERT INTO notes VALUES ('" + id + "', 'x')");
        tenants.add(PgFixture.tenant(id, DatabaseConfig.builder().isolation(IsolationMode.POOL).host(pg.host())
            .port(pg.port()).database("shared").user("app").credentials(CredentialsSource.STATIC).password("pw")
            .build()));
      }
      pg.createRole("hooli_app", "pw"); // a silo tenant's user is its own
      pg.createDatabase("silo_hooli", "hooli_app");
      Tenant silo = PgFixture.tenant("hooli", DatabaseConfig.builder().isolation(IsolationMode.SILO)
          .host(pg.host()).port(pg.port()).database("silo_hooli").user("hooli_app")
          .credentials(CredentialsSource.STATIC).password("pw").build());
      tenants.add(silo);

      TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(TenantCatalog.inMemory(tenants))
          .sharedPoolSize(4).poolConnectionTimeout(Duration.ofSeconds(1))
          .defaultPoolSettings(new PoolSettings(3, 0, Duration.ofSeconds(2))).build();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong restartedAt = new AtomicLong(Long.MAX_VALUE);
      AtomicInteger wrong = new AtomicInteger();
      AtomicInteger failures = new AtomicInteger();
      AtomicInteger[] okAfterRestart = new AtomicInteger[tenants.size()];
      ConcurrentLinkedQueue<String> wrongSamples = new ConcurrentLinkedQueue<>();
      ExecutorService threads = Executors.newFixedThreadPool(tenants.size() * 2);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < tenants.size(); i++) {
        okAfterRestart[i] = new AtomicInteger();
        Tenant t = tenants.get(i);
        AtomicInteger ok = okAfterRestart[i];
        for (int copy = 0; copy < 2; copy++) {
          futures.add(threads.submit(() -> {
            while (!stop.get()) {
              long started = System.nanoTime();
              try (TenantScope s = TenantContext.open(t); Connection c = ds.getConnection();
                  Statement st = c.createStatement();
                  ResultSet rs = st.executeQuery(t == silo
                      ? "SELECT current_database(), 1"
                      : "SELECT current_setting('tenantkit.tenant_id', true), (SELECT count(*) FROM notes "
                          + "WHERE tenant_id <> current_setting('tenantkit.tenant_id', true))")) {
                rs.next();
                String expected = t == silo ? "silo_hooli" : t.id().value();
                if (!expected.equals(rs.getString(1)) || (t != silo && rs.getInt(2) != 0)) {
                  wrong.incrementAndGet();
                  wrongSamples.add(t.id() + " got " + rs.getString(1));
                } else if (started > restartedAt.get()) {
                  ok.incrementAndGet();
                }
              } catch (SQLException e) {
                failures.incrementAndGet(); // expected while the server is down
                sleepQuietly(20);
              }
            }
            return null;
          }));
        }
      }
      sleepQuietly(1_000);
      pg.stop();
      sleepQuietly(1_000);
      pg.restart();
      restartedAt.set(System.nanoTime());

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && !allAbove(okAfterRestart, 20)) {
        sleepQuietly(50);
      }
      stop.set(true);
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
      threads.shutdown();
      ds.close();

      assertThat(wrongSamples).isEmpty();
      assertThat(wrong.get()).isZero();
      assertThat(failures.get()).as("the outage was seen").isPositive();
      for (int i = 0; i < tenants.size(); i++) {
        assertThat(okAfterRestart[i].get()).as("successes after restart for " + tenants.get(i).id())
            .isGreaterThanOrEqualTo(20);
      }
    }
  }

  private static boolean allAbove(AtomicInteger[] counts, int min) {
    for (AtomicInteger c : counts) {
      if (c.get() < min) {
        return false;
      }
    }
    return true;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
