package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.db.TenantDbException.Reason;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool-mode preflight refuses an application role that could get past row-level security
 * through a role it belongs to (and so can {@code SET ROLE} to), naming that role, on a real
 * PostgreSQL.
 */
class RlsPreflightIntegrationTest {

  @BeforeAll
  static void setUp() {
    var pg = PgFixture.pg();
    String password = PgFixture.APP_PASSWORD;
    pg.executeAsSuperuser("postgres",
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rls_bypass_group') THEN "
            + "CREATE ROLE rls_bypass_group NOLOGIN BYPASSRLS; "
            + "CREATE ROLE rls_super_group NOLOGIN SUPERUSER; "
            + "CREATE ROLE member_of_bypass LOGIN PASSWORD '" + password + "' IN ROLE rls_bypass_group; "
            + "CREATE ROLE member_of_super LOGIN PASSWORD '" + password + "' IN ROLE rls_super_group; "
            + "CREATE ROLE member_of_owner LOGIN PASSWORD '" + password + "' IN ROLE migrator; "
            + "CREATE ROLE indirect_member LOGIN PASSWORD '" + password + "'; "
            + "CREATE ROLE middle_group NOLOGIN IN ROLE rls_bypass_group; "
            + "GRANT middle_group TO indirect_member; "
            + "CREATE ROLE owner_of_forced LOGIN PASSWORD '" + password + "'; "
            + "END IF; END $$");
    for (String role : new String[] {"member_of_bypass", "member_of_super", "member_of_owner", "indirect_member"}) {
      pg.executeAsSuperuser("pooled", "GRANT SELECT ON notes TO " + role);
    }
    if (!pg.databases().contains("forced")) {
      pg.createDatabase("forced", "owner_of_forced");
      try (Connection c = pg.superuserConnection("forced"); var s = c.createStatement()) {
        s.execute("SET ROLE owner_of_forced");
        s.execute("CREATE TABLE docs (tenant_id text NOT NULL, body text)");
        RowLevelSecurity.enable(c, "docs", "tenant_id"); // ENABLE + FORCE: the owner could undo FORCE
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static TenantDbException refusal(String database, String role) {
    Tenant acme = PgFixture.tenant("acme", PgFixture.db(IsolationMode.POOL, database, role).build());
    try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)
        .catalog(TenantCatalog.inMemory(acme)).build();
        TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
      throw new AssertionError("expected role " + role + " to be refused for pool mode");
    } catch (TenantDbException e) {
      assertThat(e.reason()).isEqualTo(Reason.ROLE_BYPASSES_RLS);
      assertThat(e.getSQLState()).isEqualTo("TK011");
      return e;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void memberOfABypassRlsRole_isRefused_namingThatRole() {
    assertThat(refusal("pooled", "member_of_bypass").getMessage())
        .contains("member_of_bypass is a member of rls_bypass_group, which has BYPASSRLS");
  }

  @Test
  void memberOfASuperuserRole_isRefused_namingThatRole() {
    assertThat(refusal("pooled", "member_of_super").getMessage())
        .contains("member_of_super is a member of rls_super_group, which is a superuser");
  }

  @Test
  void memberOfTheTableOwner_isRefused_namingTheOwnerAndTheTable() {
    assertThat(refusal("pooled", "member_of_owner").getMessage())
        .contains("member_of_owner is a member of migrator, which owns the row-level-security table(s) notes");
  }

  @Test
  void indirectMembership_isFollowed() {
    assertThat(refusal("pooled", "indirect_member").getMessage())
        .contains("indirect_member is a member of rls_bypass_group, which has BYPASSRLS");
  }

  @Test
  void ownerOfAForcedRlsTable_isRefused_becauseItCanTurnForceOff() {
    assertThat(refusal("forced", "owner_of_forced").getMessage())
        .contains("role owner_of_forced owns the row-level-security table(s) docs");
  }

  @Test
  void plainApplicationRole_isAccepted() throws Exception {
    Tenant acme = PgFixture.pooled("acme");
    try (TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)
        .catalog(TenantCatalog.inMemory(acme)).build();
        TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
      assertThat(c.isValid(1)).isTrue();
    }
  }
}
