package dev.tenantkit.benchmarks;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.db.PoolSettings;
import dev.tenantkit.db.SessionReset;
import dev.tenantkit.db.RowLevelSecurity;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TlsMode;
import dev.tenantkit.testkit.LocalPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * How many network round trips a borrow costs, measured rather than argued: the database is
 * reached through a loopback TCP proxy that delays every chunk by a fixed time in each direction
 * (2 ms by default), so the time of an operation divided by one round trip (2 x the delay) is the
 * number of round trips it made. Loopback alone cannot show it: there the server's work per
 * statement and the context switches of a 2-core machine dominate.
 *
 * <p>Measured, each {@code n} times after a warm-up: one {@code SELECT 1} on a borrowed plain
 * connection (the floor: exactly one round trip), a TenantKit borrow in pool mode (the reset and
 * the tenant's setting in one statement), a TenantKit borrow in silo mode (the reset alone, with
 * {@code SessionReset.EVERY_BORROW}; by default a silo borrow sends nothing), and
 * the hand-written set-and-clear (the design before, two round trips). Not a JMH benchmark: the
 * delay makes every operation milliseconds long and the answer is a count. Run:
 * {@code java -cp tenant-benchmarks/target/benchmarks.jar dev.tenantkit.benchmarks.DbRoundTrips [n] [delayMillis]}.
 */
public final class DbRoundTrips {
  private DbRoundTrips() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    long delayMillis = args.length > 1 ? Long.parseLong(args[1]) : 2;
    try (LocalPostgres pg = LocalPostgres.start(); DelayProxy proxy = new DelayProxy(pg.port(), delayMillis)) {
      DbBenchmark.createDatabases(pg);
      Tenant silo = tenant("acme", IsolationMode.SILO, "silo_acme", "acme_app", proxy.port());
      Tenant pooled = tenant("globex", IsolationMode.POOL, "pooled", "app", proxy.port());
      try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)
          .catalog(TenantCatalog.inMemory(silo, pooled)).sharedPoolSize(1)
          .defaultPoolSettings(PoolSettings.ofMaxConnections(1)).sessionReset(SessionReset.EVERY_BORROW).build();
          Connection plain = plain(proxy.port())) {
        System.out.printf("one-way delay %d ms, so one round trip >= %d ms; %d operations each%n",
            delayMillis, 2 * delayMillis, n);
        double rtt = 2.0 * delayMillis;
        double floor = report("SELECT 1 on a plain connection (floor)", n, rtt, () -> selectOne(plain));
        report("TenantKit borrow, pool mode (reset + tenant)", n, rtt, () -> borrow(ds, pooled));
        report("TenantKit borrow, silo mode (reset)", n, rtt, () -> borrow(ds, silo));
        report("hand-written set + clear (before)", n, rtt, () -> setAndClear(plain));
        System.out.printf("(floor measured at %.2f round trips: the proxy's own overhead)%n", floor);
      }
    }
  }

  private interface Op {
    void run() throws SQLException;
  }

  private static double report(String name, int n, double rttMillis, Op op) throws SQLException {
    for (int i = 0; i < Math.max(20, n / 10); i++) {
      op.run();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      op.run();
    }
    double millis = (System.nanoTime() - t0) / 1e6 / n;
    double trips = millis / rttMillis;
    System.out.printf("%-48s %7.3f ms  = %.2f round trips%n", name, millis, trips);
    return trips;
  }

  private static void borrow(TenantDataSource ds, Tenant t) throws SQLException {
    try (TenantScope s = TenantContext.open(t); Connection c = ds.getConnection()) {
      // nothing: the borrow and return are what is measured
    }
  }

  private static void selectOne(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1")) {
      s.executeQuery().close();
    }
  }

  private static void setAndClear(Connection c) throws SQLException {
    for (String value : new String[] {"globex", ""}) {
      try (PreparedStatement s = c.prepareStatement("select set_config(?, ?, false)")) {
        s.setString(1, RowLevelSecurity.TENANT_SETTING);
        s.setString(2, value);
        s.executeQuery().close();
      }
    }
  }

  private static Connection plain(int port) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "app");
    p.setProperty("password", "bench");
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/pooled", p);
  }

  private static Tenant tenant(String id, IsolationMode mode, String database, String user, int port) {
    return Tenant.builder().id(id).tier("standard").status(TenantStatus.ACTIVE)
        .database(DatabaseConfig.builder().isolation(mode).host("localhost").port(port).database(database)
            .user(user).credentials(CredentialsSource.STATIC).password("bench").build())
        .build();
  }

  /**
   * A loopback TCP proxy that holds every chunk for a fixed time before passing it on, in both
   * directions; chunks are queued with their due time, so back-to-back chunks are not delayed
   * twice (pipelined messages cost one delay, as on a real link).
   */
  static final class DelayProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final long delayNanos;

    DelayProxy(int target, long delayMillis) throws IOException {
      this.server = new ServerSocket();
      this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      this.target = target;
      this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
      Thread accept = new Thread(this::accept, "delay-proxy-accept");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      try {
        while (!server.isClosed()) {
          Socket client = server.accept();
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
          client.setTcpNoDelay(true);
          upstream.setTcpNoDelay(true);
          pipe(client.getInputStream(), upstream.getOutputStream());
          pipe(upstream.getInputStream(), client.getOutputStream());
        }
      } catch (IOException e) {
        // closed
      }
    }

    private void pipe(InputStream in, OutputStream out) {
      LinkedBlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> {
        byte[] buffer = new byte[64 * 1024];
        try {
          int read;
          while ((read = in.read(buffer)) > 0) {
            queue.add(new Object[] {System.nanoTime() + delayNanos, Arrays.copyOf(buffer, read)});
          }
        } catch (IOException e) {
          // connection closed
        }
        queue.add(new Object[] {0L, null});
      }, "delay-proxy-read");
      Thread writer = new Thread(() -> {
        try {
          while (true) {
            Object[] chunk = queue.take();
            if (chunk[1] == null) {
              out.close();
              return;
            }
            long wait = (Long) chunk[0] - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait);
            }
            out.write((byte[]) chunk[1]);
            out.flush();
          }
        } catch (IOException | InterruptedException e) {
          // connection closed
        }
      }, "delay-proxy-write");
      reader.setDaemon(true);
      writer.setDaemon(true);
      reader.start();
      writer.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
