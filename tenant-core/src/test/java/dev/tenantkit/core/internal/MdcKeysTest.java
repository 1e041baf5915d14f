package dev.tenantkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MDC keys the environment may rename (Powertools for AWS Lambda logs the tenant as tenant_id). */
class MdcKeysTest {

  @Test
  void unset_orEmpty_keepsTheDefault_andAKeyIsTakenAsGiven() {
    assertThat(ContextFrames.mdcKey(Map.of(), ContextFrames.MDC_TENANT_ID_ENV, "tenant.id")).isEqualTo("tenant.id");
    assertThat(ContextFrames.mdcKey(Map.of(ContextFrames.MDC_TENANT_ID_ENV, ""), ContextFrames.MDC_TENANT_ID_ENV,
        "tenant.id")).isEqualTo("tenant.id");
    assertThat(ContextFrames.mdcKey(Map.of(ContextFrames.MDC_TENANT_ID_ENV, "tenant_id"),
        ContextFrames.MDC_TENANT_ID_ENV, "tenant.id")).isEqualTo("tenant_id");
  }

  @Test
  void aKeyNoLogFormatCanCarry_isRefusedAtStart_namingTheVariable() {
    for (String bad : new String[] {" ", "tenant id", "tenant\nid", "x".repeat(65), "{tenant}"}) {
      assertThatThrownBy(() -> ContextFrames.mdcKey(Map.of(ContextFrames.MDC_TENANT_ID_ENV, bad),
          ContextFrames.MDC_TENANT_ID_ENV, "tenant.id"))
          .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("TENANTKIT_MDC_TENANT_ID_KEY must be")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void theTiersKey_mayNotBeTheIdsKey() {
    assertThat(ContextFrames.distinct("tenant_id", "tenant_tier")).isEqualTo("tenant_tier");
    assertThatThrownBy(() -> ContextFrames.distinct("tenant_id", "tenant_id"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("name the same MDC key");
  }
}
