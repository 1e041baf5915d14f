package dev.tenantkit.provision.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tenantkit.provision.TenantStackSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostEstimateTest {
  private static TenantStackSpec standard(String region) {
    return TenantStackSpec.builder().tenant("acme").tier("standard").region(region)
        .certificateArn("arn:aws:acm:" + region + ":111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b")
        .build();
  }

  private static double compute(Map<String, Double> monthly) {
    return monthly.entrySet().stream().filter(e -> e.getKey().startsWith("compute")).findFirst().orElseThrow()
        .getValue();
  }

  @Test
  void monthly_usesTheStacksRegionsPrices() {
    CostEstimate cost = CostEstimate.load();
    // 2 x t3.medium, 730 hours: 0.0456/h in eu-west-1, 0.0416/h in us-east-1.
    assertThat(compute(cost.monthly(standard("eu-west-1")))).isCloseTo(730 * 2 * 0.0456, within(0.001));
    assertThat(compute(cost.monthly(standard("us-east-1")))).isCloseTo(730 * 2 * 0.0416, within(0.001));
    assertThat(cost.regionName("us-east-1")).isEqualTo("US East (N. Virginia)");
    // The WAF web ACL on the ALB: 5 USD a month, 1 USD for its one rule.
    assertThat(cost.monthly(standard("eu-west-1"))).containsEntry("edge (AWS WAF web ACL + 1 rate-based rule)", 6.0);
  }

  @Test
  void monthly_whenTheRegionHasNoPrices_refusedRatherThanPricedAsAnother() {
    CostEstimate cost = CostEstimate.load();
    assertThat(cost.hasRegion("ap-southeast-2")).isFalse();
    assertThat(cost.regions()).contains("eu-west-1", "us-east-1");
    assertThatThrownBy(() -> cost.monthly(standard("ap-southeast-2"))).hasMessageContaining("ap-southeast-2");
  }
}
