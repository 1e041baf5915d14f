package dev.tenantkit.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.db.DatabaseBootstrap;
import dev.tenantkit.db.DbCredentials;
import dev.tenantkit.db.TlsMode;
import dev.tenantkit.testkit.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A silo stack's instance at first boot, from the variables its user data writes: the tenant's
 * database (a real PostgreSQL standing in for RDS) gets its roles and the documents table with
 * the master user's credentials, on every boot without harm. The master secret itself is read by
 * tenant-db's SecretsManagerCredentialsFactory (tested there against a loopback Secrets Manager);
 * here the credentials come straight from the test, and the database transport is plaintext on
 * loopback (the embedded PostgreSQL has no TLS to verify).
 */
class FirstBootIntegrationTest {
  @TempDir Path dir;

  @Test
  void theTenantsDatabase_isBootstrappedFromTheBootVariables_andAgainOnTheNextBoot() throws Exception {
    String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds-master-AbCdEf";
    try (LocalPostgres pg = LocalPostgres.start()) {
      pg.executeAsSuperuser("postgres", "CREATE DATABASE acme_first_boot");
      Path ca = Files.writeString(dir.resolve("rds-global-bundle.pem"), "not used on loopback\n");
      AwsSettings settings = AwsSettings.from(Map.of(
          "TENANTKIT_REGISTRY_TABLE", "tenantkit-tenants", "TENANTKIT_TENANT_ID", "acme",
          "TENANTKIT_RDS_CA_BUNDLE", ca.toString(), "AWS_REGION", "eu-west-1",
          "TENANTKIT_DB_MASTER_SECRET_ARN", arn, "TENANTKIT_DB_HOST", pg.host(),
          "TENANTKIT_DB_PORT", Integer.toString(pg.port()), "TENANTKIT_DB_NAME", "acme_first_boot",
          "TENANTKIT_DB_APP_USER", "acme_app"));
      String[] askedFor = new String[1];

      for (int boot = 0; boot < 2; boot++) {
        Optional<DatabaseBootstrap.Report> report = DemoService.bootstrapDatabase(settings, db -> {
          askedFor[0] = db.secretArn();
          return new DbCredentials(LocalPostgres.SUPERUSER, "from-the-master-secret");
        }, TlsMode.PLAINTEXT_ON_LOOPBACK);
        assertThat(report).isPresent();
        // The documents table by its Flyway migration: applied on the first boot, nothing to do on the next.
        assertThat(report.get().steps()).contains("application role acme_app",
            "flyway: " + (boot == 0 ? 1 : 0) + " migration(s), schema version 1");
      }

      assertThat(askedFor[0]).isEqualTo(arn);
      assertThat(pg.queryAsSuperuser("acme_first_boot",
          "SELECT tableowner FROM pg_tables WHERE tablename = 'documents'")).isEqualTo("tenantkit_owner");
      assertThat(pg.queryAsSuperuser("acme_first_boot",
          "SELECT has_table_privilege('acme_app', 'documents', 'INSERT')::text")).isEqualTo("true");
      assertThat(pg.queryAsSuperuser("postgres", "SELECT pg_has_role('acme_app', 'rds_iam', 'MEMBER')::text"))
          .isEqualTo("true");
    }
  }

  @Test
  void noMasterSecret_noBootstrap() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x\n");
    AwsSettings settings = AwsSettings.from(Map.of("TENANTKIT_REGISTRY_TABLE", "t", "TENANTKIT_TENANT_ID", "acme",
        "TENANTKIT_RDS_CA_BUNDLE", ca.toString()));
    assertThat(DemoService.bootstrapDatabase(settings, db -> {
      throw new AssertionError("no secret is read without TENANTKIT_DB_MASTER_SECRET_ARN");
    }, TlsMode.VERIFY_FULL)).isEmpty();
  }
}
