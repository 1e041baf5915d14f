package dev.tenantkit.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.db.DbCredentials;
import dev.tenantkit.db.IamAuthTokenFactory;
import dev.tenantkit.db.PoolSettings;
import dev.tenantkit.db.SessionReset;
import dev.tenantkit.db.RowLevelSecurity;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TlsMode;
import dev.tenantkit.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code getConnection()} + {@code close()} through {@link TenantDataSource} beside a plain {@link
 * HikariDataSource} to the same embedded PostgreSQL database with the same pool size, same run.
 * Every TenantKit borrow resets the session and, in pool mode, sets the RLS setting in the same
 * round trip (silo borrows with {@code SessionReset.EVERY_BORROW}: since 2026-12-06 the default
 * sends nothing on a silo borrow, which is what the plain pool's borrow measures); beside it: one
 * {@code SELECT 1} round trip on a plain pooled connection (the floor a one-round-trip borrow
 * cannot beat), and the hand-written set-and-clear a team would write (two round trips, what
 * TenantKit did before). Plus an IAM token cache hit.
 *
 * <p>The tenant scope is opened once per iteration on the benchmark thread, as a request filter
 * opens it once per request: what is measured is the data source, not the scope.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DbBenchmark {
  private LocalPostgres pg;
  Tenant silo;
  Tenant pooled;
  TenantDataSource tenantDs;
  HikariDataSource plainSilo;
  HikariDataSource plainPooled;
  IamAuthTokenFactory tokens;
  DatabaseConfig iamDb;

  @Setup
  public void setUp() throws SQLException {
    pg = LocalPostgres.start();
    createDatabases(pg);
    silo = tenant("acme", IsolationMode.SILO, "silo_acme", "acme_app");
    pooled = tenant("globex", IsolationMode.POOL, "pooled", "app");
    PoolSettings settings = PoolSettings.ofMaxConnections(5);
    tenantDs = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(TenantCatalog.inMemory(silo, pooled))
        .defaultPoolSettings(settings).sharedPoolSize(5).sessionReset(SessionReset.EVERY_BORROW).build();
    plainSilo = plain("silo_acme", "acme_app");
    plainPooled = plain("pooled", "app");
    tokens = IamAuthTokenFactory.builder()
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench")))
        .build();
    iamDb = DatabaseConfig.builder().isolation(IsolationMode.SILO).host("acme.abc.eu-west-1.rds.amazonaws.com")
        .database("app").user("app").credentials(CredentialsSource.IAM).region("eu-west-1").build();
    tokens.credentials(iamDb);
  }

  /**
   * The benchmarks' databases: {@code silo_acme} of the silo tenant's own role {@code acme_app},
   * and {@code pooled} with an RLS table {@code notes} owned by {@code migrator}, readable by
   * {@code app}. Password {@code bench} for both application roles.
   */
  static void createDatabases(LocalPostgres pg) throws SQLException {
    pg.createRole("app", "bench");
    pg.createRole("acme_app", "bench"); // a silo tenant's database user is its own
    pg.createRole("migrator", "bench2");
    pg.createDatabase("silo_acme", "acme_app");
    pg.createDatabase("pooled", "migrator");
    try (Connection c = pg.superuserConnection("pooled"); Statement s = c.createStatement()) {
      s.execute("SET ROLE migrator");
      s.execute("CREATE TABLE notes (tenant_id text NOT NULL, body text)");
      RowLevelSecurity.enable(c, "notes", "tenant_id");
      s.execute("GRANT SELECT ON notes TO app");
    }
  }

  private Tenant tenant(String id, IsolationMode mode, String database, String user) {
    return Tenant.builder().id(id).tier("standard").status(TenantStatus.ACTIVE)
        .database(DatabaseConfig.builder().isolation(mode).host(pg.host()).port(pg.port()).database(database)
            .user(user).credentials(CredentialsSource.STATIC).password("bench").build())
        .build();
  }

  private HikariDataSource plain(String database, String user) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(pg.jdbcUrl(database));
    c.setUsername(user);
    c.setPassword("bench");
    c.setMaximumPoolSize(5);
    c.setMinimumIdle(0);
    c.setPoolName("plain-" + database);
    return new HikariDataSource(c);
  }

  @TearDown
  public void tearDown() {
    tenantDs.close();
    plainSilo.close();
    plainPooled.close();
    pg.close();
  }

  /**
   * A tenant's scope, open on the benchmark thread for the iteration (JMH runs a thread-scoped
   * state's iteration set-up on that thread, inherited annotations included).
   */
  public abstract static class TenantInScope {
    TenantScope scope;

    abstract Tenant tenant(DbBenchmark b);

    @Setup(Level.Iteration)
    public void open(DbBenchmark b) {
      scope = TenantContext.open(tenant(b));
    }

    @TearDown(Level.Iteration)
    public void close() {
      scope.close();
    }
  }

  /** The silo tenant in scope. */
  @State(Scope.Thread)
  public static class SiloScope extends TenantInScope {
    @Override
    Tenant tenant(DbBenchmark b) {
      return b.silo;
    }
  }

  /** The pool-mode tenant in scope. */
  @State(Scope.Thread)
  public static class PooledScope extends TenantInScope {
    @Override
    Tenant tenant(DbBenchmark b) {
      return b.pooled;
    }
  }

  @Benchmark
  public void siloTenantDataSource(SiloScope scope) throws SQLException {
    tenantDs.getConnection().close();
  }

  @Benchmark
  public void siloPlainHikari() throws SQLException {
    plainSilo.getConnection().close();
  }

  @Benchmark
  public void poolTenantDataSource(PooledScope scope) throws SQLException {
    tenantDs.getConnection().close();
  }

  @Benchmark
  public void poolPlainHikari() throws SQLException {
    plainPooled.getConnection().close();
  }

  /** The floor: one round trip ({@code SELECT 1}) on a connection of a plain pool. */
  @Benchmark
  public void poolPlainHikariOneRoundTrip() throws SQLException {
    try (Connection c = plainPooled.getConnection(); PreparedStatement s = c.prepareStatement("SELECT 1")) {
      s.executeQuery().close();
    }
  }

  /** What a team writes by hand for pool mode: set the tenant, use, clear, return. */
  @Benchmark
  public void poolHandWrittenSetAndClear() throws SQLException {
    try (Connection c = plainPooled.getConnection()) {
      try (PreparedStatement s = c.prepareStatement("select set_config(?, ?, false)")) {
        s.setString(1, RowLevelSecurity.TENANT_SETTING);
        s.setString(2, "globex");
        s.executeQuery().close();
      }
      try (PreparedStatement s = c.prepareStatement("select set_config(?, ?, false)")) {
        s.setString(1, RowLevelSecurity.TENANT_SETTING);
        s.setString(2, "");
        s.executeQuery().close();
      }
    }
  }

  @Benchmark
  public DbCredentials iamTokenCacheHit() throws SQLException {
    return tokens.credentials(iamDb);
  }
}
