package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The record is a value: equal fields, equal records and hash codes; toString names no secret. */
class TenantRecordValueTest {
  @Test
  void equalRecords_areEqualWithEqualHashCodes_andDifferingOnesAreNot() {
    Tenant a = Tenant.builder().id("acme").tier("basic").statusReason("x").build();
    Tenant b = Tenant.builder().id("acme").tier("basic").statusReason("x").build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(null).isNotEqualTo("acme");
    assertThat(a).isEqualTo(a);
    assertThat(a).isNotEqualTo(b.toBuilder().statusReason("y").build());
    assertThat(a).isNotEqualTo(b.toBuilder().tier("premium").build());
    assertThat(a).isNotEqualTo(b.toBuilder().status(TenantStatus.SUSPENDED).build());
    assertThat(a.hashCode()).isNotEqualTo(b.toBuilder().id("globex").build().hashCode());
    assertThat(a.toString()).isEqualTo("Tenant[id=acme, tier=basic, status=ACTIVE]");
  }
}
