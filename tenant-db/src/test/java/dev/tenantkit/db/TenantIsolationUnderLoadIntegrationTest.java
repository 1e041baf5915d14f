package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.db.TenantDbException.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many tenants through few shared connections, on a real PostgreSQL: no tenant ever sees another
 * tenant's setting or rows, whatever the previous borrower left behind; and a tenant that holds
 * all its connections does not hold up its neighbours.
 */
class TenantIsolationUnderLoadIntegrationTest {
  private static final int TENANTS = 20;
  private static final int THREADS = 16;
  private static final int BORROWS = 100_000;
  private static final long SEED = Long.getLong("tenantkit.seed", 20261201L);

  private static final List<Tenant> LEAK_TENANTS = new ArrayList<>();

  @BeforeAll
  static void seed() {
    var pg = PgFixture.pg();
    for (int k = 0; k < TENANTS; k++) {
      String id = String.format("leak-%02d", k);
      LEAK_TENANTS.add(PgFixture.pooled(id));
      pg.executeAsSuperuser("pooled", "DELETE FROM notes WHERE tenant_id = '" + id + "'");
      for (int n = 0; n <= k; n++) {
        pg.executeAsSuperuser("pooled", "INSERT INTO notes (tenant_id, body) VALUES ('" + id + "', 'row " + n + "')");
      }
    }
  }

  private static int expectedRows(Tenant t) {
    return Integer.parseInt(t.id().value().substring(5)) + 1;
  }

  @Test
  void interleavedBorrowsOverASmallSharedPool_neverLeakATenant() throws Exception {
    TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(TenantCatalog.inMemory(LEAK_TENANTS))
        .sharedPoolSize(4).poolConnectionTimeout(Duration.ofSeconds(60))
        .defaultPoolSettings(new PoolSettings(4, 0, Duration.ofSeconds(60))).build();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger leaks = new AtomicInteger();
    AtomicInteger misbehaved = new AtomicInteger();
    ConcurrentLinkedQueue<String> firstLeaks = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int th = 0; th < THREADS; th++) {
        Random random = new Random(SEED + th);
        futures.add(pool.submit(() -> {
          for (int i = 0; i < BORROWS / THREADS; i++) {
            Tenant t = LEAK_TENANTS.get(random.nextInt(TENANTS));
            int misbehaviour = random.nextInt(40); // 0..2: leave the connection dirty
            try (TenantScope s = TenantContext.open(t); Connection c = ds.getConnection()) {
              try (Statement st = c.createStatement();
                  ResultSet rs = st.executeQuery("SELECT current_setting('tenantkit.tenant_id', true), "
                      + "(SELECT count(*) FROM notes), (SELECT count(*) FROM notes WHERE tenant_id <> "
                      + "current_setting('tenantkit.tenant_id', true))")) {
                rs.next();
                String seen = rs.getString(1);
                int rows = rs.getInt(2);
                int foreign = rs.getInt(3);
                if (!t.id().value().equals(seen) || rows != expectedRows(t) || foreign != 0) {
                  leaks.incrementAndGet();
                  if (firstLeaks.size() < 5) {
                    firstLeaks.add(t.id() + " saw setting=" + seen + " rows=" + rows + " foreign=" + foreign);
                  }
                }
              }
              if (misbehaviour < 3) {
                misbehave(c, misbehaviour);
                misbehaved.incrementAndGet();
              }
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
            done.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      ds.close();
    }
    assertThat(done.get()).isEqualTo(BORROWS);
    assertThat(misbehaved.get()).isGreaterThan(1_000);
    assertThat(firstLeaks).isEmpty();
    assertThat(leaks.get()).isZero();
    // Nothing a misbehaving borrower wrote without committing survived.
    for (Tenant t : LEAK_TENANTS) {
      assertThat(PgFixture.pg().queryAsSuperuser("pooled", "SELECT count(*) FROM notes WHERE tenant_id = ?",
          t.id().value())).isEqualTo(Integer.toString(expectedRows(t)));
    }
  }

  /** Leaves the connection dirty in one of three ways, then the caller closes it. */
  private static void misbehave(Connection c, int how) throws SQLException {
    switch (how) {
      case 0: // uncommitted write, returned without commit or rollback
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          st.executeUpdate("INSERT INTO notes (body) VALUES ('uncommitted')");
        }
        break;
      case 1: // an exception in the middle of a transaction: the transaction is aborted
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          st.executeUpdate("INSERT INTO notes (body) VALUES ('doomed')");
          st.executeQuery("SELECT 1 / 0");
        } catch (SQLException expected) {
          // division by zero; the transaction is now failed
        }
        break;
      default: // a transaction opened in raw SQL, behind the pool's back
        try (Statement st = c.createStatement()) {
          st.execute("BEGIN");
          st.executeUpdate("INSERT INTO notes (body) VALUES ('raw begin')");
        }
        break;
    }
  }

  /**
   * Borrowers that attack the next borrower of their connection: a temporary {@code notes} that
   * shadows the shared table with another tenant's rows, another tenant's id in the RLS setting,
   * a changed role or search path, a prepared statement, and transactions left open. Each
   * borrow first checks what it sees and what it would write: only its own tenant's rows, its own
   * tenant on an inserted row (rolled back), its own role. 16 threads, 20 tenants, 4 connections.
   */
  @Test
  void borrowersThatPlantSessionState_neverMakeTheNextBorrowerSeeOrWriteAnotherTenantsRows() throws Exception {
    int borrows = 20_000;
    TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)
        .catalog(TenantCatalog.inMemory(LEAK_TENANTS)).sharedPoolSize(4).poolConnectionTimeout(Duration.ofSeconds(60))
        .defaultPoolSettings(new PoolSettings(4, 0, Duration.ofSeconds(60))).build();
    AtomicInteger wrong = new AtomicInteger();
    AtomicInteger attacks = new AtomicInteger();
    ConcurrentLinkedQueue<String> firstWrong = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int th = 0; th < THREADS; th++) {
        Random random = new Random(SEED * 31 + th);
        futures.add(pool.submit(() -> {
          for (int i = 0; i < borrows / THREADS; i++) {
            Tenant t = LEAK_TENANTS.get(random.nextInt(TENANTS));
            Tenant victim = LEAK_TENANTS.get(random.nextInt(TENANTS));
            int attack = random.nextInt(16); // 0..7: leave something behind
            try (TenantScope s = TenantContext.open(t); Connection c = ds.getConnection()) {
              String problem = check(c, t);
              if (problem != null) {
                wrong.incrementAndGet();
                if (firstWrong.size() < 5) {
                  firstWrong.add(problem);
                }
              }
              if (attack < 8) {
                plant(c, attack, victim);
                attacks.incrementAndGet();
              }
            } catch (SQLException e) {
              wrong.incrementAndGet();
              if (firstWrong.size() < 5) {
                firstWrong.add(t.id() + ": " + e.getMessage());
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      ds.close();
    }
    assertThat(firstWrong).isEmpty();
    assertThat(wrong.get()).isZero();
    assertThat(attacks.get()).isGreaterThan(borrows / 3);
    for (Tenant t : LEAK_TENANTS) {
      assertThat(PgFixture.pg().queryAsSuperuser("pooled", "SELECT count(*) FROM notes WHERE tenant_id = ?",
          t.id().value())).isEqualTo(Integer.toString(expectedRows(t)));
    }
  }

  /** What a borrower of {@code t} sees and would write; null when all of it is {@code t}'s. */
  private static String check(Connection c, Tenant t) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('tenantkit.tenant_id', true), current_user, "
            + "(SELECT count(*) FROM notes), (SELECT count(*) FROM notes WHERE tenant_id <> "
            + "current_setting('tenantkit.tenant_id', true)), to_regclass('pg_temp.notes') IS NULL")) {
      rs.next();
      if (!t.id().value().equals(rs.getString(1)) || !"app".equals(rs.getString(2))
          || rs.getInt(3) != expectedRows(t) || rs.getInt(4) != 0 || !rs.getBoolean(5)) {
        return t.id() + " saw setting=" + rs.getString(1) + " role=" + rs.getString(2) + " rows=" + rs.getInt(3)
            + " foreign=" + rs.getInt(4) + " noTempTable=" + rs.getBoolean(5);
      }
    }
    c.setAutoCommit(false);
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("INSERT INTO notes (body) VALUES ('probe') RETURNING tenant_id")) {
      rs.next();
      String written = rs.getString(1);
      if (!t.id().value().equals(written)) {
        return t.id() + " would have written a row of " + written;
      }
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
    return null;
  }

  /** Leaves the connection set up to mislead its next borrower towards {@code victim}. */
  private static void plant(Connection c, int how, Tenant victim) throws SQLException {
    String v = victim.id().value();
    try (Statement st = c.createStatement()) {
      switch (how) {
        case 0: // a temporary table that shadows the shared one, full of the victim's rows
          st.execute("CREATE TEMP TABLE IF NOT EXISTS notes (id int, tenant_id text, body text)");
          st.execute("INSERT INTO notes SELECT g, '" + v + "', 'planted' FROM generate_series(1, 50) g");
          break;
        case 1: // the victim's id in the RLS setting
          st.execute("SELECT set_config('tenantkit.tenant_id', '" + v + "', false)");
          break;
        case 2:
          st.execute("SET ROLE app_helper");
          break;
        case 3:
          st.execute("SET search_path = pg_temp, public");
          break;
        case 4:
          st.execute("PREPARE planted" + Math.abs(v.hashCode()) + " AS SELECT 1");
          break;
        case 5: // an uncommitted write under the victim's id, left open through JDBC
          c.setAutoCommit(false);
          st.execute("SELECT set_config('tenantkit.tenant_id', '" + v + "', false)");
          st.executeUpdate("INSERT INTO notes (body) VALUES ('planted for " + v + "')");
          break;
        case 6: // a transaction opened in raw SQL, with a row lock
          st.execute("BEGIN");
          st.execute("UPDATE notes SET body = body WHERE false");
          break;
        default: // a failed transaction
          c.setAutoCommit(false);
          try {
            st.executeQuery("SELECT 1 / 0");
          } catch (SQLException expected) {
            // the transaction is now aborted
          }
          break;
      }
    }
  }

  @Test
  void sharedPool_saturatedTenantWaitsAndFails_whileItsNeighbourIsServedAtOnce() throws Exception {
    noisyNeighbour(PgFixture.pooled("acme").toBuilder().tier("basic").build(), PgFixture.pooled("globex"));
  }

  @Test
  void siloPools_saturatedTenantWaitsAndFails_whileItsNeighbourIsServedAtOnce() throws Exception {
    noisyNeighbour(PgFixture.silo("acme").toBuilder().tier("basic").build(), PgFixture.silo("globex"));
  }

  private void noisyNeighbour(Tenant noisy, Tenant quiet) throws Exception {
    Duration noisyWait = Duration.ofSeconds(4);
    TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(TenantCatalog.inMemory(noisy, quiet))
        .tier("basic", new PoolSettings(3, 0, noisyWait)).sharedPoolSize(10).build();
    List<Connection> held = new ArrayList<>();
    ExecutorService waiters = Executors.newFixedThreadPool(50);
    try {
      try (TenantScope s = TenantContext.open(noisy)) {
        for (int i = 0; i < 3; i++) {
          held.add(ds.getConnection());
        }
      }
      CountDownLatch started = new CountDownLatch(50);
      List<Future<Reason>> outcomes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        outcomes.add(waiters.submit(() -> {
          started.countDown();
          try (TenantScope s = TenantContext.open(noisy); Connection c = ds.getConnection()) {
            return null;
          } catch (TenantDbException e) {
            assertThat(e.getMessage()).contains(noisy.id().value());
            return e.reason();
          }
        }));
      }
      started.await();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (ds.stats(noisy.id()).orElseThrow().waiting() < 50 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      TenantPoolStats busy = ds.stats(noisy.id()).orElseThrow();
      assertThat(busy.active()).isEqualTo(3);
      assertThat(busy.waiting()).isEqualTo(50);

      long t0 = System.nanoTime();
      try (TenantScope s = TenantContext.open(quiet); Connection c = ds.getConnection();
          PreparedStatement p = c.prepareStatement("SELECT 1"); ResultSet rs = p.executeQuery()) {
        assertThat(rs.next()).isTrue();
      }
      long quietWaitNanos = System.nanoTime() - t0;
      // The neighbour's wait is small next to the noisy tenant's timeout (not an absolute time).
      assertThat(quietWaitNanos).isLessThan(noisyWait.toNanos() / 4);

      for (Future<Reason> f : outcomes) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(Reason.TENANT_SATURATED);
      }
      assertThat(ds.stats(noisy.id()).orElseThrow().saturations()).isEqualTo(50);
      assertThat(ds.stats(quiet.id()).orElseThrow().saturations()).isZero();
    } finally {
      for (Connection c : held) {
        c.close();
      }
      waiters.shutdownNow();
      ds.close();
    }
  }
}
