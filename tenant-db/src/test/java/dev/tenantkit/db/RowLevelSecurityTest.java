package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RowLevelSecurityTest {

  @Test
  void policyStatements_enableAndForceRls_withAPolicyOnTheTenantSetting() {
    assertThat(RowLevelSecurity.policyStatements("app.documents", "tenant_id")).containsExactly(
        "ALTER TABLE \"app\".\"documents\" ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE \"app\".\"documents\" FORCE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS tenantkit_tenant_isolation ON \"app\".\"documents\"",
        "CREATE POLICY tenantkit_tenant_isolation ON \"app\".\"documents\" USING (\"tenant_id\" = "
            + "current_setting('tenantkit.tenant_id', true)) WITH CHECK (\"tenant_id\" = "
            + "current_setting('tenantkit.tenant_id', true))");
  }

  @Test
  void policyStatements_refuseNamesThatAreNotPlainIdentifiers() {
    for (String bad : new String[] {"docs; DROP TABLE x", "Docs", "a.b.c", "\"docs\"", "", "1docs", "docs--"}) {
      assertThatThrownBy(() -> RowLevelSecurity.policyStatements(bad, "tenant_id"))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table");
    }
    assertThatThrownBy(() -> RowLevelSecurity.policyStatements("docs", "tenant_id = tenant_id OR true"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenantColumn");
  }
}
