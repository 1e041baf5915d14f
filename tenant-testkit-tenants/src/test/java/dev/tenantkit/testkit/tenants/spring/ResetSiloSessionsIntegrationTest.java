package dev.tenantkit.testkit.tenants.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.testkit.tenants.LocalTenantKit;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.TestPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@code tenantkit.datasource.reset-silo-sessions}, through the starter on a real PostgreSQL. By
 * default a silo tenant's next borrow of the same connection sees what the last one left (all the
 * default gives up, and only within the tenant); set to {@code true}, it is reset too. A pooled
 * tenant's borrow is reset either way (another tenant borrows next).
 */
@SpringBootTest(classes = NotesApplication.class, webEnvironment = WebEnvironment.NONE)
@Testcontainers
class ResetSiloSessionsIntegrationTest {

  @Container
  @TenantKitConnection
  static LocalTenantKit tenants = LocalTenantKit.create()
      .flyway("classpath:db/tenant")
      .rowLevelSecurity("notes", "tenant_id")
      .silo("acme").pooled("globex");

  @Nested
  class ByDefault {
    @Autowired
    TenantDataSource dataSource;

    @Autowired
    TenantCatalog catalog;

    @Test
    void aSiloBorrowSendsNoReset_aSharedPoolsBorrowIsStillReset() throws Exception {
      assertLeftBehind(dataSource, catalog, "behind", "");
    }
  }

  @Nested
  @TestPropertySource(properties = "tenantkit.datasource.reset-silo-sessions=true")
  class ResetSiloSessionsTrue {
    @Autowired
    TenantDataSource dataSource;

    @Autowired
    TenantCatalog catalog;

    @Test
    void aSiloBorrowIsResetToo() throws Exception {
      assertLeftBehind(dataSource, catalog, "", "");
    }
  }

  /** What acme's and globex's next borrows of the connection see of a setting the last one left. */
  private static void assertLeftBehind(TenantDataSource dataSource, TenantCatalog catalog, String acmeSees,
      String globexSees) throws Exception {
    for (String tenant : new String[] {"acme", "globex"}) {
      try (TenantScope scope = TenantContext.open(catalog.require(TenantId.of(tenant)))) {
        int backend;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
          backend = Integer.parseInt(one(c, "SELECT pg_backend_pid()"));
          s.execute("SELECT set_config('app.left', 'behind', false)");
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
          assertThat(Integer.parseInt(one(c, "SELECT pg_backend_pid()"))).as("the same connection").isEqualTo(backend);
          assertThat(one(c, "SELECT coalesce(current_setting('app.left', true), '')")).as(tenant)
              .isEqualTo(tenant.equals("acme") ? acmeSees : globexSees);
          s.execute("SELECT set_config('app.left', '', false)"); // the next test starts clean
        }
      }
    }
  }

  private static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
