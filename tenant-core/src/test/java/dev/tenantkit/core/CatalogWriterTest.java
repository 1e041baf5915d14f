package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogWriterTest {

  private static List<Tenant> tenants() {
    Tenant full = Tenant.builder().id("acme").tier("premium").status(TenantStatus.FAILED)
        .statusReason("CREATE_FAILED: Database (quota)")
        .identity(IdentityConfig.builder().userPoolId("eu-west-1_AcMe123").region("eu-west-1")
            .appClientIds("clientb", "clienta").jwksUri("https://idp.example.com/keys")
            .federation(new IdentityConfig.Federation("Okta", IdentityConfig.ProviderType.SAML,
                URI.create("https://acme.okta.com/metadata"))).build())
        .storage(StorageConfig.builder().layout(StorageConfig.StorageLayout.BUCKET).bucket("tenantkit-acme")
            .region("eu-west-1").kmsKeyArn("arn:aws:kms:eu-west-1:111122223333:key/1234abcd").build())
        .database(DatabaseConfig.builder().isolation(DatabaseConfig.IsolationMode.SILO).host("db.example.com")
            .database("acme").user("app").credentials(DatabaseConfig.CredentialsSource.IAM).region("eu-west-1").build())
        .stack(StackConfig.builder().name("tenantkit-acme").region("eu-west-1").albDnsName("alb.example.com")
            .outputs(Map.of("B", "2", "A", "1")).build())
        .build();
    Tenant pooled = Tenant.builder().id("globex").tier("basic")
        .identity(IdentityConfig.builder().userPoolId("eu-west-1_Shared1").region("eu-west-1")
            .appClientIds("clientshared").sharedIssuer(true).build())
        .storage(StorageConfig.builder().layout(StorageConfig.StorageLayout.PREFIX).bucket("shared")
            .prefix("tenants/globex/").build())
        .database(DatabaseConfig.builder().isolation(DatabaseConfig.IsolationMode.BRIDGE).host("db").database("shared")
            .schema("globex").user("app").credentials(DatabaseConfig.CredentialsSource.STATIC).password("local").build())
        .build();
    return List.of(pooled, full);
  }

  @Test
  void toJson_readsBackToEqualRecords() {
    String json = TenantCatalog.toJson(tenants());
    assertThat(List.copyOf(TenantCatalog.fromJson(json, "written").all())).containsExactlyElementsOf(
        TenantCatalog.inMemory(tenants()).all());
    assertThat(json.indexOf("\"acme\"")).isLessThan(json.indexOf("\"globex\""));
    assertThat(TenantCatalog.toJson(tenants())).isEqualTo(json); // stable
  }

  @Test
  void writeFile_replacesTheFileAtomically_andAWatchingCatalogReadsIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("catalog.json");
    TenantCatalog.writeFile(file, tenants().subList(0, 1));
    try (FileTenantCatalog catalog = TenantCatalog.fromFile(file)) {
      assertThat(catalog.all()).hasSize(1);
      TenantCatalog.writeFile(file, tenants());
      catalog.reload();
      assertThat(catalog.all()).hasSize(2);
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("catalog.json");
    }
  }
}
