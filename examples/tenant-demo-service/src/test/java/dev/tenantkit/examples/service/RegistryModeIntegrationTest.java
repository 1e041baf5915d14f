package dev.tenantkit.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.examples.documents.LocalDemo;
import dev.tenantkit.registry.RegistryTenantCatalog;
import dev.tenantkit.registry.TenantRegistry;
import dev.tenantkit.testkit.LocalDynamo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The documents service in AWS mode, reading its tenants from the DynamoDB registry (dynalite,
 * through LocalDynamo, with the real SDK client), configured from the environment variables a
 * tenant stack's instances boot with: the whole isolation scenario holds, and a suspension
 * written to the registry reaches the service on its next refresh. The local PostgreSQL, S3 and
 * issuer stand in for RDS, S3 and Cognito; the one local difference is the database transport
 * (plaintext on loopback, as in local mode: the embedded PostgreSQL has no TLS to verify).
 */
class RegistryModeIntegrationTest {
  static {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
  }

  @TempDir Path dir;

  @Test
  void awsMode_onTheRegistry_everyIsolationCheckHolds_andASuspensionArrives() throws Exception {
    LocalDemo local = LocalDemo.start();
    try (LocalDynamo dynamo = LocalDynamo.start();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(dynamo.endpoint())
            .region(Region.of(LocalDynamo.REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
      TenantRegistry.createTable(dynamoDb, "tenantkit-tenants");
      TenantRegistry registry = TenantRegistry.builder().client(dynamoDb).tableName("tenantkit-tenants").build();
      assertThat(registry.createAll(local.catalog().all())).isEqualTo(2);
      Path ca = Files.writeString(dir.resolve("rds-global-bundle.pem"), "not used on loopback\n");
      AwsSettings settings = AwsSettings.from(Map.of(
          "TENANTKIT_REGISTRY_TABLE", "tenantkit-tenants",
          "TENANTKIT_RDS_CA_BUNDLE", ca.toString(),
          "TENANTKIT_SUBDOMAIN", "{tenant}.localhost",
          "TENANTKIT_STATE_DIR", dir.resolve("state").toString()));
      // AWS mode's properties; the SDK clients on the stand-ins, as the default AWS configuration would give them.
      try (DemoService.Running app = DemoService.start(withLocalDatabases(settings), Map.of("dynamoDbClient", dynamoDb,
          "s3Client", local.s3().client(), "s3Presigner", local.s3().presigner()), local)) {
        RegistryTenantCatalog catalog = (RegistryTenantCatalog) app.context().getBean(TenantCatalog.class);
        Scenario.Result result = Scenario.run(app);
        assertThat(result.checks()).hasSize(22);
        assertThat(result.failed()).as(result.table()).isZero();
        assertThat(Files.exists(dir.resolve("state/registry-last-known-good.json"))).isTrue();

        registry.update(TenantId.of("globex"), t -> t.toBuilder().status(TenantStatus.SUSPENDED)
            .statusReason("unpaid").build());
        catalog.refresh(); // what the poller does every interval
        assertThat(get(app, "globex").statusCode()).isEqualTo(403);
        assertThat(get(app, "acme").statusCode()).isEqualTo(200);
      }
    }
  }

  /** AWS mode's properties, and plaintext to the local PostgreSQL (on loopback; it has no TLS to verify). */
  static Map<String, Object> withLocalDatabases(AwsSettings settings) {
    Map<String, Object> p = new java.util.LinkedHashMap<>(settings.springProperties());
    p.put("tenantkit.datasource.plaintext-on-loopback", "true");
    p.put("server.port", "0");
    return p;
  }

  private static HttpResponse<String> get(DemoService.Running app, String tenant) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
            + "/documents")).header("Host", tenant + ".localhost")
        .header("Authorization", "Bearer " + app.local().accessToken(tenant, tenant + "-user")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
