package dev.tenantkit.examples.documents;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.StorageConfig.StorageLayout;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.core.WritableTenantCatalog;
import dev.tenantkit.db.RowLevelSecurity;
import dev.tenantkit.testkit.LocalPostgres;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.LocalTokenIssuer;
import dev.tenantkit.testkit.LocalUserPool;
import java.util.List;

/**
 * The demo's local mode: a real PostgreSQL, an in-process S3 server and a Cognito-shaped issuer
 * (all from tenant-testkit), with two tenants isolated differently:
 *
 * <ul>
 *   <li>{@code acme} (premium, silo): its own database {@code acme_documents} (role
 *       {@code acme_app}), its own bucket {@code acme-documents}, its own user pool;</li>
 *   <li>{@code globex} (basic, pool): rows in the shared database {@code shared_documents} under
 *       row-level security (role {@code app}, which owns nothing), objects under
 *       {@code tenants/globex/} of the shared bucket, its own user pool.</li>
 * </ul>
 */
public final class LocalDemo implements AutoCloseable {
  public static final String REGION = "eu-west-1";
  public static final String SHARED_BUCKET = "tenantkit-shared";
  public static final String ACME_BUCKET = "acme-documents";
  static final String LOCAL_PASSWORD = "local-demo-password";

  private final LocalPostgres postgres;
  private final LocalS3 s3;
  private final LocalTokenIssuer issuer;
  private final LocalUserPool acmePool;
  private final LocalUserPool globexPool;
  private final WritableTenantCatalog catalog;
  private final boolean owned;

  private LocalDemo(LocalPostgres postgres, LocalS3 s3, LocalTokenIssuer issuer, boolean owned) {
    this.owned = owned;
    this.postgres = postgres;
    this.s3 = s3;
    this.issuer = issuer;
    this.acmePool = issuer.pool(REGION + "_AcmePool");
    this.globexPool = issuer.pool(REGION + "_GlobexPool");
    setUpDatabases();
    s3.createBucket(ACME_BUCKET);
    s3.createBucket(SHARED_BUCKET);
    this.catalog = TenantCatalog.inMemory(List.of(acme(), globex()));
  }

  /** Starts the stand-ins and seeds both tenants (about 5 seconds, mostly PostgreSQL). */
  public static LocalDemo start() {
    LocalPostgres pg = LocalPostgres.start();
    LocalS3 s3 = null;
    LocalTokenIssuer issuer = null;
    try {
      s3 = LocalS3.start();
      issuer = LocalTokenIssuer.start();
      return new LocalDemo(pg, s3, issuer, true);
    } catch (RuntimeException e) {
      if (issuer != null) {
        issuer.close();
      }
      if (s3 != null) {
        s3.close();
      }
      pg.close();
      throw e;
    }
  }

  /**
   * Seeds the two tenants on stand-ins the caller started (for example with tenant-testkit's
   * {@code LocalServices} extension); {@link #close()} leaves them running. Once per server: the
   * database and bucket names are fixed.
   */
  public static LocalDemo on(LocalPostgres postgres, LocalS3 s3, LocalTokenIssuer issuer) {
    return new LocalDemo(postgres, s3, issuer, false);
  }

  private void setUpDatabases() {
    // acme: a silo database owned by its own role.
    postgres.createRole("acme_app", LOCAL_PASSWORD);
    postgres.createDatabase("acme_documents", "acme_app");
    postgres.executeAs("acme_documents", "acme_app", DocumentStore.SCHEMA);

    // globex: shared tables owned by a migration role, under RLS; the app role owns nothing.
    postgres.createRole("migrator", LOCAL_PASSWORD);
    postgres.createRole("app", LOCAL_PASSWORD);
    postgres.createDatabase("shared_documents", "migrator");
    postgres.executeAs("shared_documents", "migrator", DocumentStore.SCHEMA);
    postgres.executeAs("shared_documents", "migrator", RowLevelSecurity.policyStatements("documents", "tenant_id"));
    postgres.grantTableAccess("shared_documents", "migrator", "documents", "app");
  }

  private Tenant acme() {
    return Tenant.builder().id("acme").tier("premium").status(TenantStatus.ACTIVE)
        .identity(acmePool.identity().build())
        .storage(StorageConfig.builder().layout(StorageLayout.BUCKET).bucket(ACME_BUCKET).region(REGION).build())
        .database(DatabaseConfig.builder().isolation(IsolationMode.SILO).host(postgres.host()).port(postgres.port())
            .database("acme_documents").user("acme_app").credentials(CredentialsSource.STATIC)
            .password(LOCAL_PASSWORD).build())
        .build();
  }

  private Tenant globex() {
    return Tenant.builder().id("globex").tier("basic").status(TenantStatus.ACTIVE)
        .identity(globexPool.identity().build())
        .storage(StorageConfig.builder().layout(StorageLayout.PREFIX).bucket(SHARED_BUCKET)
            .prefix("tenants/globex/").region(REGION).build())
        .database(DatabaseConfig.builder().isolation(IsolationMode.POOL).host(postgres.host()).port(postgres.port())
            .database("shared_documents").user("app").credentials(CredentialsSource.STATIC)
            .password(LOCAL_PASSWORD).build())
        .build();
  }

  public WritableTenantCatalog catalog() {
    return catalog;
  }

  public LocalPostgres postgres() {
    return postgres;
  }

  public LocalS3 s3() {
    return s3;
  }

  public LocalTokenIssuer issuer() {
    return issuer;
  }

  /** The user pool of {@code acme} or {@code globex}. */
  public LocalUserPool pool(String tenant) {
    switch (tenant) {
      case "acme":
        return acmePool;
      case "globex":
        return globexPool;
      default:
        throw new IllegalArgumentException("the local demo has tenants acme and globex, not " + tenant);
    }
  }

  /** An access token for a user of {@code tenant}, valid for an hour, with the documents API's scopes (read, delete). */
  public String accessToken(String tenant, String user) {
    return accessToken(tenant, user, "documents/read", "documents/delete");
  }

  /** An access token of the tenant's issuer for {@code user}, in the tenant-user group, with exactly these scopes. */
  public String accessToken(String tenant, String user, String... scopes) {
    return pool(tenant).accessToken().tenant(tenant).subject(user).groups("tenant-user").scopes(scopes)
        .expiresIn(java.time.Duration.ofHours(1)).sign();
  }

  @Override
  public void close() {
    if (!owned) {
      return;
    }
    issuer.close();
    s3.close();
    postgres.close();
  }
}
