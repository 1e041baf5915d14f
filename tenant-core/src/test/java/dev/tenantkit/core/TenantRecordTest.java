package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.DatabaseEngine;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.StorageConfig.StorageLayout;
import org.junit.jupiter.api.Test;

class TenantRecordTest {

  @Test
  void identity_whenPoolAndRegionGiven_derivesCognitoIssuer() {
    IdentityConfig identity = IdentityConfig.builder()
        .userPoolId("eu-west-1_AbC123").region("eu-west-1").appClientIds("client1").build();
    assertThat(identity.issuer().toString())
        .isEqualTo("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123");
    assertThat(identity.tenantClaim()).isEqualTo("custom:tenant_id");
    assertThat(identity.isCognito()).isTrue();
  }

  @Test
  void identity_whenIssuerIsPlainHttpOffLoopback_refused() {
    assertThatThrownBy(() -> IdentityConfig.builder().issuer("http://idp.example.com/x").build())
        .isInstanceOfSatisfying(InvalidTenantRecordException.class,
            e -> assertThat(e.field()).isEqualTo("issuer"))
        .hasMessageContaining("https");
  }

  @Test
  void identity_whenLocalHttpIssuer_accepted() {
    assertThat(IdentityConfig.builder().issuer("http://127.0.0.1:8080/pool").appClientIds("c1").build().issuer().getPort())
        .isEqualTo(8080);
  }

  @Test
  void identity_whenNoIssuerAndNoPool_refusedNamingIssuer() {
    assertThatThrownBy(() -> IdentityConfig.builder().build())
        .isInstanceOfSatisfying(InvalidTenantRecordException.class,
            e -> assertThat(e.field()).isEqualTo("issuer"));
  }

  @Test
  void storage_whenPrefixLayoutWithoutPrefix_refusedNamingPrefix() {
    assertThatThrownBy(() -> StorageConfig.builder().layout(StorageLayout.PREFIX).bucket("shared-bucket").build())
        .isInstanceOfSatisfying(InvalidTenantRecordException.class,
            e -> assertThat(e.field()).isEqualTo("prefix"));
  }

  @Test
  void storage_whenPrefixTraverses_refused() {
    for (String bad : new String[] {"../other/", "tenants/../x/", "/tenants/acme/", "tenants/acme", "a//"}) {
      assertThatThrownBy(() -> StorageConfig.builder().layout(StorageLayout.PREFIX)
              .bucket("shared-bucket").prefix(bad).build())
          .as(bad)
          .isInstanceOfSatisfying(InvalidTenantRecordException.class,
              e -> assertThat(e.field()).isEqualTo("prefix"));
    }
  }

  @Test
  void storage_whenBucketNameInvalid_refusedNamingBucket() {
    for (String bad : new String[] {"Upper", "ab", "192.168.1.1", "a..b", "-bucket", "bucket_name"}) {
      assertThatThrownBy(() -> StorageConfig.builder().layout(StorageLayout.BUCKET).bucket(bad).build())
          .as(bad)
          .isInstanceOfSatisfying(InvalidTenantRecordException.class,
              e -> assertThat(e.field()).isEqualTo("bucket"));
    }
  }

  @Test
  void database_whenPoolOnMysql_refusedNamingIsolation() {
    assertThatThrownBy(() -> DatabaseConfig.builder().engine(DatabaseEngine.MYSQL)
            .isolation(IsolationMode.POOL).host("db").database("app").user("app")
            .credentials(CredentialsSource.STATIC).password("pw").build())
        .isInstanceOfSatisfying(InvalidTenantRecordException.class,
            e -> assertThat(e.field()).isEqualTo("isolation"));
  }

  @Test
  void database_whenBridgeWithoutSchema_refusedNamingSchema() {
    assertThatThrownBy(() -> DatabaseConfig.builder().isolation(IsolationMode.BRIDGE).host("db")
            .database("app").user("app").credentials(CredentialsSource.STATIC).password("pw").build())
        .isInstanceOfSatisfying(InvalidTenantRecordException.class,
            e -> assertThat(e.field()).isEqualTo("schema"));
  }

  @Test
  void database_whenIamWithoutRegion_refusedNamingRegion() {
    assertThatThrownBy(() -> DatabaseConfig.builder().isolation(IsolationMode.SILO).host("db")
            .database("app").user("app").credentials(CredentialsSource.IAM).build())
        .isInstanceOfSatisfying(InvalidTenantRecordException.class,
            e -> assertThat(e.field()).isEqualTo("region"));
  }

  @Test
  void database_whenSchemaIsSqlInjection_refused() {
    assertThatThrownBy(() -> DatabaseConfig.builder().isolation(IsolationMode.BRIDGE).host("db")
            .database("app").schema("acme\"; drop table x; --").user("app")
            .credentials(CredentialsSource.STATIC).password("pw").build())
        .isInstanceOfSatisfying(InvalidTenantRecordException.class,
            e -> assertThat(e.field()).isEqualTo("schema"));
  }

  @Test
  void database_toString_neverShowsPassword() {
    DatabaseConfig db = DatabaseConfig.builder().isolation(IsolationMode.SILO).host("db")
        .database("app").user("app").credentials(CredentialsSource.STATIC).password("s3cr3t-pw").build();
    assertThat(db.toString()).doesNotContain("s3cr3t-pw").contains("password=***");
    assertThat(db.port()).isEqualTo(5432);
  }

  @Test
  void tenant_toBuilder_roundTripsEverySection() {
    Tenant t = Tenant.builder().id("acme").tier("premium").status(TenantStatus.SUSPENDED)
        .statusReason("unpaid")
        .identity(IdentityConfig.builder().userPoolId("us-east-1_Abc").region("us-east-1").appClientIds("c1").build())
        .storage(StorageConfig.builder().layout(StorageLayout.BUCKET).bucket("acme-data").build())
        .database(DatabaseConfig.builder().isolation(IsolationMode.SILO).host("db").database("acme")
            .user("app").credentials(CredentialsSource.IAM).region("us-east-1").build())
        .stack(StackConfig.builder().name("tenantkit-acme").build())
        .build();
    assertThat(t.toBuilder().build()).isEqualTo(t).hasSameHashCodeAs(t);
    assertThat(t.toBuilder().status(TenantStatus.ACTIVE).build()).isNotEqualTo(t);
  }

  @Test
  void tier_whenInvalid_refusedNamingTier() {
    assertThatThrownBy(() -> TenantTier.of("Premium Plus"))
        .isInstanceOfSatisfying(InvalidTenantRecordException.class,
            e -> assertThat(e.field()).isEqualTo("tier"));
  }

  @Test
  void tenant_whenIdMissing_refusedNamingId() {
    assertThatThrownBy(() -> Tenant.builder().tier("basic").build())
        .isInstanceOfSatisfying(InvalidTenantRecordException.class,
            e -> assertThat(e.field()).isEqualTo("id"));
  }

  @Test
  void databasePort_oneTo65535_accepted_justOutside_refusedNamingTheField() {
    for (int port : new int[] {1, 65535}) {
      assertThat(DatabaseConfig.builder().isolation(DatabaseConfig.IsolationMode.POOL).host("db").port(port)
          .database("app").user("app").credentials(DatabaseConfig.CredentialsSource.STATIC).password("pw").build()
          .port()).isEqualTo(port);
    }
    // 0 is the builder's "not given": the engine's default port.
    assertThat(DatabaseConfig.builder().isolation(DatabaseConfig.IsolationMode.POOL).host("db").port(0)
        .database("app").user("app").credentials(DatabaseConfig.CredentialsSource.STATIC).password("pw").build()
        .port()).isEqualTo(5432);
    for (int port : new int[] {-1, 65536}) {
      assertThatThrownBy(() -> DatabaseConfig.builder().isolation(DatabaseConfig.IsolationMode.POOL).host("db")
          .port(port).database("app").user("app").credentials(DatabaseConfig.CredentialsSource.STATIC)
          .password("pw").build())
          .isInstanceOf(InvalidTenantRecordException.class).hasMessageContaining("port");
    }
  }
}
