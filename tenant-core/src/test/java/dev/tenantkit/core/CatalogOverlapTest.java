package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.StorageConfig.StorageLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two records, each valid alone, that share a wall are refused by every catalog, naming both
 * tenants and the field; a change that would bring them together leaves the catalog as it was.
 */
class CatalogOverlapTest {
  @TempDir Path dir;

  private static Tenant.Builder tenant(String id) {
    return Tenant.builder().id(id).tier("standard");
  }

  private static StorageConfig bucket(String name) {
    return StorageConfig.builder().layout(StorageLayout.BUCKET).bucket(name).build();
  }

  private static StorageConfig prefix(String bucket, String prefix) {
    return StorageConfig.builder().layout(StorageLayout.PREFIX).bucket(bucket).prefix(prefix).build();
  }

  private static DatabaseConfig db(IsolationMode mode, String host, String database, String user,
      UnaryOperator<DatabaseConfig.Builder> more) {
    return more.apply(DatabaseConfig.builder().isolation(mode).host(host).database(database).user(user)
        .credentials(CredentialsSource.IAM).region("eu-west-1")).build();
  }

  /** A user pool identity; no clients means {@code anyClient}. */
  private static IdentityConfig pool(String poolId, boolean shared, String... clients) {
    return IdentityConfig.builder().userPoolId(poolId).region("eu-west-1").appClientIds(clients)
        .anyClient(clients.length == 0).sharedIssuer(shared).build();
  }

  private static TenantOverlapException refused(Tenant a, Tenant b) {
    try {
      TenantCatalog.inMemory(a, b);
    } catch (TenantOverlapException e) {
      assertThat(e.tenants()).extracting(TenantId::value).containsExactlyInAnyOrder(a.id().value(), b.id().value());
      assertThat(e.getMessage()).contains(a.id().value()).contains(b.id().value()).contains(e.field());
      return e;
    }
    throw new AssertionError("expected " + a.id() + " and " + b.id() + " to be refused");
  }

  private static void accepted(Tenant a, Tenant b) {
    assertThat(TenantCatalog.inMemory(a, b).all()).hasSize(2);
  }

  @Test
  void storage_oneBucketInBucketLayout_isOneTenants() {
    assertThat(refused(tenant("acme").storage(bucket("docs-shared")).build(),
        tenant("globex").storage(bucket("docs-shared")).build()).field()).isEqualTo("storage.bucket");
    // Nor may a prefix tenant move into a bucket another tenant holds whole.
    assertThat(refused(tenant("acme").storage(bucket("docs-shared")).build(),
        tenant("globex").storage(prefix("docs-shared", "tenants/globex/")).build()).field())
        .isEqualTo("storage.bucket");
  }

  @Test
  void storage_nestedPrefixesInOneBucket_areRefused_siblingsAccepted() {
    TenantOverlapException e = refused(tenant("acme").storage(prefix("shared", "tenants/acme/")).build(),
        tenant("globex").storage(prefix("shared", "tenants/acme/globex/")).build());
    assertThat(e.field()).isEqualTo("storage.prefix");
    assertThat(e.getMessage()).contains("tenants/acme/ contains prefix tenants/acme/globex/");
    // The same prefix twice is nested too.
    assertThat(refused(tenant("acme").storage(prefix("shared", "t/acme/globex/")).build(),
        tenant("globex").storage(prefix("shared", "t/acme/globex/")).build()).field()).isEqualTo("storage.prefix");
    accepted(tenant("acme").storage(prefix("shared", "tenants/acme/")).build(),
        tenant("acme2").storage(prefix("shared", "tenants/acme2/")).build());
    accepted(tenant("acme").storage(prefix("shared-a", "tenants/acme/")).build(),
        tenant("globex").storage(prefix("shared-b", "tenants/acme/globex/")).build());
  }

  @Test
  void storage_prefixMustNameTheTenantAsAWholeSegment() {
    for (String bad : new String[] {"tenants/", "tenants/acmecorp/", "tenants/globex/", "acme-x/"}) {
      assertThatThrownBy(() -> tenant("acme").storage(prefix("shared", bad)).build())
          .isInstanceOfSatisfying(InvalidTenantRecordException.class,
              e -> assertThat(e.field()).isEqualTo("storage.prefix"))
          .as(bad).hasMessageContaining("tenant id acme");
    }
    assertThat(tenant("acme").storage(prefix("shared", "eu/acme/docs/")).build().storage()).isPresent();
  }

  @Test
  void storage_oneAccessPointIsOneTenants() {
    String arn = "arn:aws:s3:eu-west-1:111122223333:accesspoint/docs";
    StorageConfig ap = StorageConfig.builder().layout(StorageLayout.ACCESS_POINT).accessPointArn(arn).build();
    assertThat(refused(tenant("acme").storage(ap).build(), tenant("globex").storage(ap).build()).field())
        .isEqualTo("storage.accessPointArn");
  }

  @Test
  void database_siloDatabaseIsItsOwn_againstSiloBridgeOrPoolTenants() {
    Tenant silo = tenant("acme").database(db(IsolationMode.SILO, "db.internal", "acme", "acme_app", b -> b)).build();
    for (IsolationMode mode : IsolationMode.values()) {
      Tenant other = tenant("globex").database(db(mode, "DB.internal", "acme", "globex_app",
          b -> mode == IsolationMode.BRIDGE ? b.schema("globex") : b)).build();
      assertThat(refused(silo, other).field()).as(mode.name()).isEqualTo("database.database");
    }
    // Same database name on another server, or another port, is another database.
    accepted(silo, tenant("globex").database(db(IsolationMode.SILO, "db2.internal", "acme", "globex_app", b -> b)).build());
    accepted(silo, tenant("globex").database(db(IsolationMode.SILO, "db.internal", "acme", "globex_app",
        b -> b.port(5433))).build());
  }

  @Test
  void database_oneServerSpelledTwoWays_isStillOneServer() {
    Tenant acme = tenant("acme").database(db(IsolationMode.SILO, "db.internal", "acme", "acme_app", b -> b)).build();
    assertThat(refused(acme, tenant("globex").database(db(IsolationMode.POOL, "db.internal.", "acme", "app", b -> b))
        .build()).field()).isEqualTo("database.database");
    Tenant local = tenant("acme").database(db(IsolationMode.SILO, "localhost", "acme", "acme_app", b -> b)).build();
    for (String host : new String[] {"127.0.0.1", "[::1]", "LOCALHOST"}) {
      assertThat(refused(local, tenant("globex").database(db(IsolationMode.POOL, host, "acme", "app", b -> b)).build())
          .field()).as(host).isEqualTo("database.database");
    }
  }

  @Test
  void storage_accessPointsOverOneBucket_areApart_butNotOverABucketHeldWhole() {
    StorageConfig apA = StorageConfig.builder().layout(StorageLayout.ACCESS_POINT).bucket("shared")
        .accessPointArn("arn:aws:s3:eu-west-1:111122223333:accesspoint/acme").build();
    StorageConfig apB = StorageConfig.builder().layout(StorageLayout.ACCESS_POINT).bucket("shared")
        .accessPointArn("arn:aws:s3:eu-west-1:111122223333:accesspoint/globex").build();
    accepted(tenant("acme").storage(apA).build(), tenant("globex").storage(apB).build());
    assertThat(refused(tenant("acme").storage(apA).build(), tenant("globex").storage(bucket("shared")).build()).field())
        .isEqualTo("storage.bucket");
  }

  @Test
  void database_siloUserIsItsOwnOnItsServer() {
    Tenant acme = tenant("acme").database(db(IsolationMode.SILO, "db.internal", "acme", "app", b -> b)).build();
    Tenant globex = tenant("globex").database(db(IsolationMode.SILO, "db.internal", "globex", "app", b -> b)).build();
    assertThat(refused(acme, globex).field()).isEqualTo("database.user");
    Tenant pooled = tenant("globex").database(db(IsolationMode.POOL, "db.internal", "shared", "app", b -> b)).build();
    assertThat(refused(acme, pooled).field()).isEqualTo("database.user");
    accepted(acme, tenant("globex").database(db(IsolationMode.SILO, "other.internal", "globex", "app", b -> b)).build());
  }

  @Test
  void database_bridgeSchemaIsItsOwn_whileBridgeAndPoolTenantsMayShareDatabaseAndUser() {
    Tenant acme = tenant("acme").database(db(IsolationMode.BRIDGE, "db.internal", "shared", "app", b -> b.schema("acme"))).build();
    Tenant same = tenant("globex").database(db(IsolationMode.BRIDGE, "db.internal", "shared", "app", b -> b.schema("acme"))).build();
    assertThat(refused(acme, same).field()).isEqualTo("database.schema");
    accepted(acme, tenant("globex").database(db(IsolationMode.BRIDGE, "db.internal", "shared", "app",
        b -> b.schema("globex"))).build());
    accepted(tenant("acme").database(db(IsolationMode.POOL, "db.internal", "shared", "app", b -> b)).build(),
        tenant("globex").database(db(IsolationMode.POOL, "db.internal", "shared", "app", b -> b)).build());
  }

  @Test
  void identity_oneIssuerAndAppClient_needsBothMarkedShared() {
    TenantOverlapException e = refused(tenant("acme").identity(pool("eu-west-1_Pool1", false, "client1")).build(),
        tenant("globex").identity(pool("eu-west-1_Pool1", false, "client1")).build());
    assertThat(e.field()).isEqualTo("identity.appClientIds");
    assertThat(e.getMessage()).contains("client1").contains("sharedIssuer");
    // One marked is not enough.
    refused(tenant("acme").identity(pool("eu-west-1_Pool1", true, "client1")).build(),
        tenant("globex").identity(pool("eu-west-1_Pool1", false, "client1")).build());
    // anyClient accepts every client, so it overlaps any client.
    refused(tenant("acme").identity(pool("eu-west-1_Pool1", false)).build(),
        tenant("globex").identity(pool("eu-west-1_Pool1", false, "client2")).build());
    accepted(tenant("acme").identity(pool("eu-west-1_Pool1", true, "client1")).build(),
        tenant("globex").identity(pool("eu-west-1_Pool1", true, "client1")).build());
    // Found by the review: an unmarked second tenant, even with its own client, makes the issuer
    // shared for the verifier and changes how the first tenant's tokens are bound.
    assertThat(refused(tenant("acme").identity(pool("eu-west-1_Pool1", false, "client1")).build(),
        tenant("globex").identity(pool("eu-west-1_Pool1", false, "client2")).build()).field())
        .isEqualTo("identity.sharedIssuer");
  }

  @Test
  void identity_oneIssuerSpelledTwoWays_isStillOneIssuer() {
    // Found by the review: issuers were compared as raw strings, so a trailing slash, the host's
    // case or an explicit default port made "another" issuer and skipped the rules between them.
    IdentityConfig okta = IdentityConfig.builder().issuer("https://acme.okta.example/oauth2/default")
        .appClientIds("client1").build();
    Tenant acme = tenant("acme").identity(okta).build();
    for (String spelling : List.of("https://acme.okta.example/oauth2/default/",
        "https://ACME.okta.example/oauth2/default", "https://acme.okta.example:443/oauth2/default",
        "https://acme.okta.example./oauth2/default")) {
      Tenant globex = tenant("globex").identity(IdentityConfig.builder().issuer(spelling).appClientIds("client2")
          .build()).build();
      assertThat(refused(acme, globex).field()).as(spelling).isEqualTo("identity.sharedIssuer");
    }
    accepted(acme, tenant("globex").identity(IdentityConfig.builder()
        .issuer("https://acme.okta.example/oauth2/other").appClientIds("client1").build()).build());
  }

  @Test
  void identity_sharedTenantsOfOneIssuer_mustAgreeOnItsPoolAndOnItsSpelling() {
    // Every tenant marked shared, so only the per-issuer agreement rules are left to refuse them.
    IdentityConfig withPool = IdentityConfig.builder().issuer("https://idp.example.com/pool1")
        .userPoolId("eu-west-1_Pool1").region("eu-west-1").appClientIds("client1").sharedIssuer(true).build();
    IdentityConfig withoutPool = IdentityConfig.builder().issuer("https://idp.example.com/pool1")
        .appClientIds("client2").sharedIssuer(true).build();
    assertThat(refused(tenant("acme").identity(withPool).build(), tenant("globex").identity(withoutPool).build())
        .field()).isEqualTo("identity.userPoolId");
    IdentityConfig spelledOtherwise = IdentityConfig.builder().issuer("https://idp.example.com/pool1/")
        .userPoolId("eu-west-1_Pool1").region("eu-west-1").appClientIds("client2").sharedIssuer(true).build();
    assertThat(refused(tenant("acme").identity(withPool).build(), tenant("globex").identity(spelledOtherwise).build())
        .field()).isEqualTo("identity.issuer");
  }

  @Test
  void identity_defaultPortsAreTheSameIssuer_otherPortsAreNot() {
    IdentityConfig local = IdentityConfig.builder().issuer("http://localhost/p1").appClientIds("client1").build();
    assertThat(refused(tenant("acme").identity(local).build(), tenant("globex").identity(IdentityConfig.builder()
        .issuer("http://127.0.0.1:80/p1").appClientIds("client2").build()).build()).field())
        .isEqualTo("identity.sharedIssuer");
    accepted(tenant("acme").identity(local).build(), tenant("globex").identity(IdentityConfig.builder()
        .issuer("http://localhost:9229/p1").appClientIds("client1").build()).build());
    accepted(tenant("acme").identity(IdentityConfig.builder().issuer("https://idp.example.com/p1")
            .appClientIds("client1").build()).build(),
        tenant("globex").identity(IdentityConfig.builder().issuer("https://idp.example.com:8443/p1")
            .appClientIds("client1").build()).build());
  }

  @Test
  void identity_tenantsOfOneIssuer_mustAgreeOnWhatTheVerifierReadsPerIssuer() {
    IdentityConfig base = pool("eu-west-1_Pool1", true, "client1");
    Tenant acme = tenant("acme").identity(base).build();
    // Another record pointing the issuer's keys elsewhere would decide how acme's tokens verify.
    assertThat(refused(acme, tenant("globex").identity(base.toBuilder()
        .jwksUri("https://keys.attacker.example/jwks.json").build()).build()).field()).isEqualTo("identity.jwksUri");
    assertThat(refused(acme, tenant("globex").identity(base.toBuilder().tenantClaim("custom:org").build()).build())
        .field()).isEqualTo("identity.tenantClaim");
    accepted(acme, tenant("globex").identity(base.toBuilder().appClientIds(java.util.Set.of("client2")).build()).build());
  }

  @Test
  void identity_oneUserPoolBehindTwoIssuerSpellings_isStillOnePool() {
    Tenant acme = tenant("acme").identity(pool("eu-west-1_Pool1", false, "client1")).build();
    Tenant viaEndpoint = tenant("globex").identity(IdentityConfig.builder().userPoolId("eu-west-1_Pool1")
        .region("eu-west-1").issuer("https://idp.internal.example.com/eu-west-1_Pool1x").appClientIds("client1")
        .build()).build();
    assertThat(refused(acme, viaEndpoint).getMessage()).contains("user pool eu-west-1_Pool1");
  }

  @Test
  void stack_nameAndLoadBalancerAreEachOneTenants() {
    StackConfig s = StackConfig.builder().name("tenantkit-acme").albDnsName("acme-1.eu-west-1.elb.amazonaws.com").build();
    assertThat(refused(tenant("acme").stack(s).build(),
        tenant("globex").stack(s.toBuilder().albDnsName("globex.elb.amazonaws.com").build()).build()).field())
        .isEqualTo("stack.name");
    assertThat(refused(tenant("acme").stack(s).build(),
        tenant("globex").stack(s.toBuilder().name("tenantkit-globex").albDnsName("ACME-1.eu-west-1.elb.amazonaws.com")
            .build()).build()).field()).isEqualTo("stack.albDnsName");
  }

  @Test
  void nestedPrefixes_notNeighboursInIdOrder_areStillFound() {
    // By id: aaa, bbb, ccc; by prefix: p/aaa/, p/aaa/ccc/, q/bbb/. Only sorting by prefix puts
    // the nested pair side by side.
    assertThatThrownBy(() -> TenantCatalog.inMemory(tenant("aaa").storage(prefix("shared", "p/aaa/")).build(),
        tenant("bbb").storage(prefix("shared", "q/bbb/")).build(),
        tenant("ccc").storage(prefix("shared", "p/aaa/ccc/")).build()))
        .isInstanceOfSatisfying(TenantOverlapException.class,
            e -> assertThat(e.tenants()).extracting(TenantId::value).containsExactly("aaa", "ccc"));
  }

  @Test
  void overlaps_nameTheTenantsInIdOrder_andWhatTheyShare() {
    Tenant globex = tenant("globex").identity(pool("eu-west-1_Pool1", false, "client2", "client9")).build();
    Tenant acme = tenant("acme").identity(pool("eu-west-1_Pool1", false, "client1", "client2")).build();
    assertThatThrownBy(() -> TenantCatalog.inMemory(globex, acme)).isInstanceOfSatisfying(TenantOverlapException.class,
        e -> {
          assertThat(e.tenants()).extracting(TenantId::value).containsExactly("acme", "globex");
          assertThat(e.getMessage()).contains("accept app client client2");
        });
    Tenant anyA = tenant("acme").identity(pool("eu-west-1_Pool1", false)).build();
    Tenant anyB = tenant("globex").identity(pool("eu-west-1_Pool1", false)).build();
    assertThatThrownBy(() -> TenantCatalog.inMemory(anyB, anyA)).hasMessageContaining("accept every app client")
        .isInstanceOfSatisfying(TenantOverlapException.class,
            e -> assertThat(e.tenants()).extracting(TenantId::value).containsExactly("acme", "globex"));
    Tenant oneAny = tenant("globex").identity(pool("eu-west-1_Pool1", false)).build();
    assertThatThrownBy(() -> TenantCatalog.inMemory(acme, oneAny)).hasMessageContaining("accept app client client");
    assertThatThrownBy(() -> TenantCatalog.inMemory(tenant("zed").storage(bucket("b-1")).build(),
        tenant("abc").storage(bucket("b-1")).build())).isInstanceOfSatisfying(TenantOverlapException.class,
            e -> assertThat(e.tenants()).extracting(TenantId::value).containsExactly("abc", "zed"));
  }

  @Test
  void put_thatWouldOverlap_isRefused_andTheCatalogIsUnchanged() {
    Tenant acme = tenant("acme").storage(bucket("docs-acme")).build();
    Tenant globex = tenant("globex").storage(bucket("docs-globex")).build();
    WritableTenantCatalog catalog = TenantCatalog.inMemory(acme, globex);
    Tenant moved = globex.toBuilder().storage(bucket("docs-acme")).build();
    assertThatThrownBy(() -> catalog.put(moved)).isInstanceOf(TenantOverlapException.class);
    assertThat(catalog.require(globex.id()).storage().orElseThrow().bucket()).isEqualTo("docs-globex");
    assertThatThrownBy(() -> catalog.replaceAll(List.of(acme, moved))).isInstanceOf(TenantOverlapException.class);
    assertThat(catalog.all()).containsExactly(acme, globex);
  }

  private Path write(String json) throws IOException {
    Path tmp = dir.resolve("catalog.json.tmp");
    Files.writeString(tmp, json, StandardCharsets.UTF_8);
    Path target = dir.resolve("catalog.json");
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  @Test
  void fileReload_thatWouldOverlap_isRefusedNamingBoth_andTheLastGoodSnapshotServes() throws IOException {
    String json = "{\"version\": 1, \"tenants\": ["
        + "{\"id\": \"acme\", \"tier\": \"basic\", \"storage\": {\"layout\": \"PREFIX\", \"bucket\": \"shared\", "
        + "\"prefix\": \"tenants/acme/\"}},"
        + "{\"id\": \"globex\", \"tier\": \"basic\", \"storage\": {\"layout\": \"PREFIX\", \"bucket\": \"shared\", "
        + "\"prefix\": \"tenants/globex/\"}}]}";
    try (FileTenantCatalog catalog = FileTenantCatalog.builder().path(write(json)).watch(false).build()) {
      write(json.replace("tenants/globex/", "tenants/acme/globex/"));
      assertThatThrownBy(catalog::reload).isInstanceOfSatisfying(CatalogLoadException.class, e -> {
        assertThat(e.field()).isEqualTo("tenants[1].storage.prefix");
        assertThat(e.getMessage()).contains("acme").contains("globex");
      });
      assertThat(catalog.lastError()).isPresent();
      assertThat(catalog.require(TenantId.of("globex")).storage().orElseThrow().prefix()).isEqualTo("tenants/globex/");
    }
    // And a file that overlaps from the start does not load.
    assertThatThrownBy(() -> FileTenantCatalog.builder().path(write(json.replace("tenants/globex/", "tenants/acme/globex/")))
        .watch(false).build()).isInstanceOf(CatalogLoadException.class);
  }
}
