package dev.tenantkit.testkit.tenants;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.StorageConfig.StorageLayout;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.core.WritableTenantCatalog;
import dev.tenantkit.db.DatabaseBootstrap;
import dev.tenantkit.testkit.LocalPostgres;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.LocalTokenIssuer;
import dev.tenantkit.testkit.LocalUserPool;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Seeds tenants of each isolation mode on running stand-ins, one line each, set up the way
 * production's are ({@link DatabaseBootstrap}: an owner role, a login role that owns nothing, the
 * application's tables, row-level security in pool mode):
 *
 * <pre>{@code
 * LocalTenants tenants = LocalTenants.on(postgres, s3, issuer)
 *     .schema("CREATE TABLE notes (id bigserial PRIMARY KEY, tenant_id text NOT NULL, body text NOT NULL)")
 *     .rowLevelSecurity("notes", "tenant_id");
 * Tenant acme = tenants.silo("acme");        // its own database, bucket and user pool
 * Tenant initech = tenants.bridge("initech"); // its own schema and role in a shared database
 * Tenant globex = tenants.pooled("globex");   // shared tables under RLS, a shared pool with a tenant claim
 * // or the application's Flyway migrations in place of schema(...): .flyway("classpath:db/tenant")
 * String token = tenants.accessToken("acme", "alice", "notes/read");
 * }</pre>
 *
 * <p>Every database, schema, role, bucket and user pool gets a prefix of its kind and a suffix of
 * this set ({@code t3}), unique in the JVM, so no tenant's name can be another's or a shared one's: two test classes that each seed "acme" on the same shared servers (tenant-testkit's
 * {@code LocalServices}) get two separate tenants, neither of which reaches the other's data, where
 * fixed names collided. Tenant ids stay as given: each set has its own {@link #catalog()}.
 *
 * <ul>
 *   <li>silo: tier {@code premium}; database {@code silo_<id>_<set>}, login role
 *       {@code silo_<id>_<set>_app}, bucket {@code silo-<id>-<set>}, its own user pool;</li>
 *   <li>bridge: tier {@code standard}; schema {@code tenant_<id>} of database {@code bridge_<set>},
 *       login role {@code bridge_<id>_<set>_app}, prefix {@code tenants/<id>/} of the set's shared
 *       bucket {@code shared-<set>}, its own user pool;</li>
 *   <li>pooled: tier {@code basic}; the set's shared database {@code pool_<set>} (login role
 *       {@code pool_<set>_app}, under row-level security), prefix {@code tenants/<id>/} of the shared
 *       bucket, the set's shared user pool (tokens carry {@code custom:tenant_id}).</li>
 * </ul>
 *
 * Not thread-safe: seed from one thread, then share the catalog.
 */
public final class LocalTenants {
  /** The Region of the seeded records and user pools. */
  public static final String REGION = "eu-west-1";
  private static final AtomicInteger SETS = new AtomicInteger();

  private final LocalPostgres postgres;
  private final LocalS3 s3;
  private final LocalTokenIssuer issuer;
  private final String set;
  private final String password;
  private final List<String> schema = new ArrayList<>();
  private final List<String> flyway = new ArrayList<>();
  private final Map<String, String> rowLevelSecurity = new LinkedHashMap<>();
  private final WritableTenantCatalog catalog = TenantCatalog.inMemory(List.of());
  private final Map<TenantId, LocalUserPool> pools = new LinkedHashMap<>();
  private @Nullable LocalUserPool sharedPool;
  private boolean bridgeReady;
  private boolean poolReady;
  private boolean sharedBucketReady;

  private LocalTenants(LocalPostgres postgres, LocalS3 s3, LocalTokenIssuer issuer) {
    this.postgres = Objects.requireNonNull(postgres, "postgres");
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.set = "t" + SETS.incrementAndGet();
    this.password = "local-" + set + "-" + Long.toHexString(new java.security.SecureRandom().nextLong());
  }

  /** A new set of tenants on these running servers (which it never stops). */
  public static LocalTenants on(LocalPostgres postgres, LocalS3 s3, LocalTokenIssuer issuer) {
    return new LocalTenants(postgres, s3, issuer);
  }

  /**
   * The application's tables: statements run as the owner role in every seeded tenant's database
   * or schema (once for the shared pool database). Before the first tenant.
   */
  public LocalTenants schema(String... statements) {
    requireNothingSeeded("schema");
    for (String s : statements) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException("a schema statement is empty");
      }
      schema.add(s);
    }
    return this;
  }

  /**
   * The application's Flyway migrations (such as {@code classpath:db/tenant}), run as the owner
   * role in every seeded tenant's database or schema (once for the shared pool database), the
   * way production's run them ({@code DatabaseBootstrap.flyway}). Before the first tenant.
   */
  public LocalTenants flyway(String... locations) {
    requireNothingSeeded("flyway");
    flyway.addAll(List.of(locations));
    return this;
  }

  /** A table of {@link #schema} that pooled tenants share under row-level security on {@code tenantColumn}. Before the first tenant. */
  public LocalTenants rowLevelSecurity(String table, String tenantColumn) {
    requireNothingSeeded("rowLevelSecurity");
    rowLevelSecurity.put(Objects.requireNonNull(table, "table"), Objects.requireNonNull(tenantColumn, "tenantColumn"));
    return this;
  }

  private void requireNothingSeeded(String what) {
    if (!catalog.all().isEmpty()) {
      throw new IllegalStateException(what + " must be given before the first tenant is seeded");
    }
  }

  /** The suffix of this set's names ({@code t3}). */
  public String set() {
    return set;
  }

  /** Seeds a silo tenant (see the class comment) and adds it to {@link #catalog()}. */
  public Tenant silo(String id) {
    String base = base(id);
    String database = "silo_" + base + "_" + set;
    String app = database + "_app";
    postgres.createDatabase(database, LocalPostgres.SUPERUSER);
    DatabaseConfig db = database(IsolationMode.SILO, database, null, app);
    bootstrap(database, DatabaseBootstrap.forTenant(db), app);
    String bucket = "silo-" + id + "-" + set;
    s3.createBucket(bucket);
    return add(Tenant.builder().id(id).tier("premium").status(TenantStatus.ACTIVE)
        .identity(ownPool(id).identity().build())
        .storage(StorageConfig.builder().layout(StorageLayout.BUCKET).bucket(bucket).region(REGION).build())
        .database(db).build());
  }

  /** Seeds a bridge tenant (see the class comment) and adds it to {@link #catalog()}. */
  public Tenant bridge(String id) {
    String base = base(id);
    String database = "bridge_" + set;
    if (!bridgeReady) {
      postgres.createDatabase(database, LocalPostgres.SUPERUSER);
      bridgeReady = true;
    }
    String app = "bridge_" + base + "_" + set + "_app";
    DatabaseConfig db = database(IsolationMode.BRIDGE, database, "tenant_" + base, app);
    bootstrap(database, DatabaseBootstrap.forTenant(db), app);
    return add(Tenant.builder().id(id).tier("standard").status(TenantStatus.ACTIVE)
        .identity(ownPool(id).identity().build())
        .storage(sharedPrefix(id)).database(db).build());
  }

  /** Seeds a pooled tenant (see the class comment) and adds it to {@link #catalog()}. */
  public Tenant pooled(String id) {
    base(id);
    String database = "pool_" + set;
    String app = database + "_app";
    DatabaseConfig db = database(IsolationMode.POOL, database, null, app);
    if (!poolReady) {
      if (rowLevelSecurity.isEmpty()) {
        throw new IllegalStateException("pooled tenants share tables: name them with rowLevelSecurity(table, column)"
            + " (and create them with schema(...)) before seeding one");
      }
      postgres.createDatabase(database, LocalPostgres.SUPERUSER);
      DatabaseBootstrap.Builder b = DatabaseBootstrap.forTenant(db);
      rowLevelSecurity.forEach(b::rowLevelSecurity);
      bootstrap(database, b, app);
      poolReady = true;
    }
    LocalUserPool pool = sharedPool;
    if (pool == null) {
      pool = issuer.pool(REGION + "_Shared" + set);
      sharedPool = pool;
    }
    pools.put(TenantId.of(id), pool);
    return add(Tenant.builder().id(id).tier("basic").status(TenantStatus.ACTIVE)
        .identity(pool.identity().sharedIssuer(true).build())
        .storage(sharedPrefix(id)).database(db).build());
  }

  /** The tenants seeded so far; change one (suspend it) with {@code catalog().put(...)}. */
  public WritableTenantCatalog catalog() {
    return catalog;
  }

  /** The seeded tenant {@code id}. */
  public Tenant tenant(String id) {
    return catalog.find(TenantId.of(id))
        .orElseThrow(() -> new IllegalArgumentException("no tenant " + id + " was seeded in set " + set));
  }

  /** The user pool that issues {@code id}'s tokens (shared by the pooled tenants). */
  public LocalUserPool pool(String id) {
    LocalUserPool pool = pools.get(TenantId.of(id));
    if (pool == null) {
      throw new IllegalArgumentException("no tenant " + id + " was seeded in set " + set);
    }
    return pool;
  }

  /**
   * An access token of {@code tenant}'s user pool for {@code user}, valid for an hour, in group
   * {@code tenant-user}, with exactly {@code scopes} (and the tenant claim, which a shared pool needs).
   */
  public String accessToken(String tenant, String user, String... scopes) {
    return pool(tenant).accessToken().tenant(tenant).subject(user).groups("tenant-user").scopes(scopes)
        .expiresIn(Duration.ofHours(1)).sign();
  }

  /** The password of every seeded login role (static credentials, local only). */
  public String password() {
    return password;
  }

  private Tenant add(Tenant tenant) {
    catalog.put(tenant);
    return tenant;
  }

  private LocalUserPool ownPool(String id) {
    // Numbered, not named after the id: ids that differ only by '-' must not share a pool.
    LocalUserPool pool = issuer.pool(REGION + "_Pool" + set + "x" + (pools.size() + 1));
    pools.put(TenantId.of(id), pool);
    return pool;
  }

  private StorageConfig sharedPrefix(String id) {
    String bucket = "shared-" + set;
    if (!sharedBucketReady) {
      s3.createBucket(bucket);
      sharedBucketReady = true;
    }
    return StorageConfig.builder().layout(StorageLayout.PREFIX).bucket(bucket).prefix("tenants/" + id + "/")
        .region(REGION).build();
  }

  private DatabaseConfig database(IsolationMode mode, String database, @Nullable String schemaName, String user) {
    DatabaseConfig.Builder b = DatabaseConfig.builder().isolation(mode).host(postgres.host()).port(postgres.port())
        .database(database).user(user).credentials(CredentialsSource.STATIC).password(password);
    if (schemaName != null) {
      b.schema(schemaName);
    }
    return b.build();
  }

  private void bootstrap(String database, DatabaseBootstrap.Builder builder, String app) {
    builder.iamAuthentication(false).ownerRole("owner_" + set);
    if (!schema.isEmpty()) {
      builder.migration(schema.toArray(String[]::new));
    }
    if (!flyway.isEmpty()) {
      builder.flyway(flyway.toArray(String[]::new));
    }
    DatabaseBootstrap bootstrap = builder.build();
    PGSimpleDataSource master = new PGSimpleDataSource(); // the superuser stands in for the master user
    master.setUrl(postgres.jdbcUrl(database));
    master.setUser(LocalPostgres.SUPERUSER);
    try {
      bootstrap.run(master);
    } catch (SQLException e) {
      throw new IllegalStateException("seeding database " + database + " of set " + set + " failed: " + e.getMessage(), e);
    }
    // DatabaseBootstrap makes login roles without a password (production's sign in with IAM or a secret).
    postgres.changePassword(app, password);
  }

  private String base(String id) {
    TenantId tenant = TenantId.of(id); // the id rules (3 to 36 characters: room for the suffixes in 63)
    if (catalog.find(tenant).isPresent()) {
      throw new IllegalArgumentException("tenant " + id + " is already seeded in set " + set);
    }
    return id.replace('-', '_');
  }
}
