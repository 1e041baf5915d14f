package dev.tenantkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stand-ins through the {@link LocalServices} extension, and LocalPostgres's set-up helpers. */
@ExtendWith(LocalServices.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalServicesIntegrationTest {
  private static LocalPostgres first;

  @Test
  @Order(1)
  void postgres_isStartedOnce_andSharedBetweenTests(LocalPostgres pg) {
    first = pg;
    assertThat(pg.databases()).contains("postgres");
  }

  @Test
  @Order(2)
  void postgres_secondTestGetsTheSameServer(LocalPostgres pg, LocalS3 s3, LocalTokenIssuer issuer) {
    assertThat(pg).isSameAs(first);
    s3.createBucket("shared-by-extension");
    assertThat(s3.keys("shared-by-extension")).isEmpty();
    assertThat(issuer.baseUrl()).startsWith("http://127.0.0.1:");
  }

  @Test
  @Order(3)
  void rowLevelSecuritySetUp_letsTheAppRoleSeeOnlyTheTenantItSets(LocalPostgres pg) throws SQLException {
    pg.createRole("kit_owner", "owner-pw");
    pg.createRole("kit_app", "app-pw");
    pg.createDatabase("kit_pooled", "kit_owner");
    pg.executeAs("kit_pooled", "kit_owner", List.of("CREATE TABLE notes (tenant_id text NOT NULL, body text)",
        "INSERT INTO notes VALUES ('acme', 'a'), ('globex', 'g')"));
    // The policy tenant-db's RowLevelSecurity writes (the testkit does not depend on tenant-db).
    pg.executeAs("kit_pooled", "kit_owner", List.of("ALTER TABLE notes ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE notes FORCE ROW LEVEL SECURITY",
        "CREATE POLICY p ON notes USING (tenant_id = current_setting('tenantkit.tenant_id', true))"));
    pg.grantTableAccess("kit_pooled", "kit_owner", "notes", "kit_app");

    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("kit_pooled"), "kit_app", "app-pw");
        Statement s = c.createStatement()) {
      assertThat(count(s)).as("no tenant set: no rows").isZero();
      s.execute("SELECT set_config('tenantkit.tenant_id', 'acme', false)");
      assertThat(count(s)).isEqualTo(1);
    }
    // Roles must give their password (SCRAM), unlike the trusted superuser.
    assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl("kit_pooled"), "kit_app", "wrong"))
        .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
  }

  private static int count(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM notes")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
