package dev.tenantkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantContext;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

@WithTenant(value = "acme", tier = "premium")
class WithTenantTest {

  @Test
  void classAnnotation_opensScopeWithMdc(Tenant tenant) {
    assertThat(TenantContext.require()).isEqualTo(tenant);
    assertThat(tenant.id().value()).isEqualTo("acme");
    assertThat(MDC.get("tenant.tier")).isEqualTo("premium");
  }

  @Test
  @WithTenant("globex")
  void methodAnnotation_overridesClass() {
    assertThat(TenantContext.require().id().value()).isEqualTo("globex");
    assertThat(TenantContext.require().tier().name()).isEqualTo("standard");
  }
}
