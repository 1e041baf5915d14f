package dev.tenantkit.testkit.tenants;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.WritableTenantCatalog;
import dev.tenantkit.testkit.LocalPostgres;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.LocalTokenIssuer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.testcontainers.lifecycle.Startable;

/**
 * The local stand-ins (PostgreSQL, S3, a Cognito-shaped issuer) with tenants seeded on them, as a
 * Testcontainers {@link Startable}: a {@code @Container} field of a {@code @Testcontainers} class
 * starts it before the tests and stops it after, the way a team's containers are; where Docker
 * exists, a real container can take a stand-in's place behind the same tests. Declare the tenants,
 * then start:
 *
 * <pre>{@code
 * @Container
 * static LocalTenantKit tenants = LocalTenantKit.create()
 *     .flyway("classpath:db/tenant").rowLevelSecurity("notes", "tenant_id")
 *     .silo("acme").bridge("initech").pooled("globex");
 * }</pre>
 *
 * {@link #create()} starts servers of its own (a few seconds, mostly PostgreSQL) and stops them;
 * {@link #on} seeds on servers the caller runs (tenant-testkit's {@code LocalServices}) and leaves
 * them running. Either way the names are unique ({@link LocalTenants}). Starting again is a no-op.
 * In a Spring Boot test, {@code @TenantKitConnection} on the field wires the starter to it.
 */
public final class LocalTenantKit implements Startable {
  private final @Nullable LocalPostgres givenPostgres;
  private final @Nullable LocalS3 givenS3;
  private final @Nullable LocalTokenIssuer givenIssuer;
  private final List<String> schema = new ArrayList<>();
  private final List<String> flyway = new ArrayList<>();
  private final List<String[]> rowLevelSecurity = new ArrayList<>();
  private final List<Consumer<LocalTenants>> seeds = new ArrayList<>();
  private @Nullable Running running;

  private record Running(LocalPostgres postgres, LocalS3 s3, LocalTokenIssuer issuer, LocalTenants tenants,
      boolean owned) {}

  private LocalTenantKit(@Nullable LocalPostgres postgres, @Nullable LocalS3 s3, @Nullable LocalTokenIssuer issuer) {
    this.givenPostgres = postgres;
    this.givenS3 = s3;
    this.givenIssuer = issuer;
  }

  /** A kit that starts its own servers on {@link #start()} and stops them on {@link #stop()}. */
  public static LocalTenantKit create() {
    return new LocalTenantKit(null, null, null);
  }

  /** A kit that seeds on these running servers; {@link #stop()} leaves them running. */
  public static LocalTenantKit on(LocalPostgres postgres, LocalS3 s3, LocalTokenIssuer issuer) {
    return new LocalTenantKit(Objects.requireNonNull(postgres, "postgres"), Objects.requireNonNull(s3, "s3"),
        Objects.requireNonNull(issuer, "issuer"));
  }

  /** The application's tables ({@link LocalTenants#schema}). */
  public synchronized LocalTenantKit schema(String... statements) {
    requireNotStarted();
    schema.addAll(List.of(statements));
    return this;
  }

  /** The application's Flyway migrations ({@link LocalTenants#flyway}). */
  public synchronized LocalTenantKit flyway(String... locations) {
    requireNotStarted();
    flyway.addAll(List.of(locations));
    return this;
  }

  /** A shared table of pooled tenants ({@link LocalTenants#rowLevelSecurity}). */
  public synchronized LocalTenantKit rowLevelSecurity(String table, String tenantColumn) {
    requireNotStarted();
    rowLevelSecurity.add(new String[] {table, tenantColumn});
    return this;
  }

  /** A silo tenant, seeded on start ({@link LocalTenants#silo}). */
  public synchronized LocalTenantKit silo(String id) {
    return seed(t -> t.silo(id));
  }

  /** A bridge tenant, seeded on start ({@link LocalTenants#bridge}). */
  public synchronized LocalTenantKit bridge(String id) {
    return seed(t -> t.bridge(id));
  }

  /** A pooled tenant, seeded on start ({@link LocalTenants#pooled}). */
  public synchronized LocalTenantKit pooled(String id) {
    return seed(t -> t.pooled(id));
  }

  private LocalTenantKit seed(Consumer<LocalTenants> seed) {
    requireNotStarted();
    seeds.add(seed);
    return this;
  }

  private void requireNotStarted() {
    if (running != null) {
      throw new IllegalStateException("declare schema and tenants before start(); seed more with tenants()");
    }
  }

  /** Starts the servers (unless given) and seeds the declared tenants; again: nothing. */
  @Override
  public synchronized void start() {
    if (running != null) {
      return;
    }
    boolean owned = givenPostgres == null;
    LocalPostgres postgres = null;
    LocalS3 s3 = null;
    LocalTokenIssuer issuer = null;
    try {
      LocalPostgres pg = owned ? LocalPostgres.start() : Objects.requireNonNull(givenPostgres);
      postgres = pg;
      LocalS3 objects = owned ? LocalS3.start() : Objects.requireNonNull(givenS3);
      s3 = objects;
      LocalTokenIssuer tokens = owned ? LocalTokenIssuer.start() : Objects.requireNonNull(givenIssuer);
      issuer = tokens;
      LocalTenants tenants = LocalTenants.on(pg, objects, tokens).schema(schema.toArray(String[]::new))
          .flyway(flyway.toArray(String[]::new));
      rowLevelSecurity.forEach(r -> tenants.rowLevelSecurity(r[0], r[1]));
      seeds.forEach(s -> s.accept(tenants));
      running = new Running(pg, objects, tokens, tenants, owned);
    } catch (RuntimeException e) {
      if (owned) {
        closeQuietly(issuer, e);
        closeQuietly(s3, e);
        closeQuietly(postgres, e);
      }
      throw e;
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable server, RuntimeException failure) {
    if (server != null) {
      try {
        server.close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }

  /** Stops the servers it started (not those it was given); {@link #start()} then seeds anew. */
  @Override
  public synchronized void stop() {
    Running r = running;
    running = null;
    if (r != null && r.owned()) {
      r.issuer().close();
      r.s3().close();
      r.postgres().close();
    }
  }

  /** Whether {@link #start()} has run (and {@link #stop()} has not since). */
  public synchronized boolean isRunning() {
    return running != null;
  }

  private synchronized Running running() {
    Running r = running;
    if (r == null) {
      throw new IllegalStateException("LocalTenantKit is not started: call start(), or declare it as a @Container"
          + " field of a @Testcontainers class");
    }
    return r;
  }

  /** The seeded tenants, to seed more or to mint tokens. */
  public LocalTenants tenants() {
    return running().tenants();
  }

  /** The seeded tenants' catalog. */
  public WritableTenantCatalog catalog() {
    return tenants().catalog();
  }

  /** The seeded tenant {@code id}. */
  public Tenant tenant(String id) {
    return tenants().tenant(id);
  }

  /** An access token of {@code tenant}'s user pool ({@link LocalTenants#accessToken}). */
  public String accessToken(String tenant, String user, String... scopes) {
    return tenants().accessToken(tenant, user, scopes);
  }

  public LocalPostgres postgres() {
    return running().postgres();
  }

  public LocalS3 s3() {
    return running().s3();
  }

  public LocalTokenIssuer issuer() {
    return running().issuer();
  }
}
