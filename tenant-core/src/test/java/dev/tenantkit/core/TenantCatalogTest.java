package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantCatalogTest {
  private static Tenant tenant(String id, TenantStatus status) {
    return Tenant.builder().id(id).tier("standard").status(status).build();
  }

  @Test
  void require_whenUnknown_throwsUnknownTenant() {
    TenantCatalog catalog = TenantCatalog.inMemory(tenant("acme", TenantStatus.ACTIVE));
    assertThatThrownBy(() -> catalog.require(TenantId.of("globex")))
        .isInstanceOfSatisfying(UnknownTenantException.class,
            e -> assertThat(e.tenantId()).isEqualTo(TenantId.of("globex")));
  }

  @Test
  void require_whenNotServing_throwsNotActiveForEveryOtherStatus() {
    for (TenantStatus status : TenantStatus.values()) {
      TenantCatalog catalog = TenantCatalog.inMemory(tenant("acme", status));
      if (status.isServing()) {
        assertThat(catalog.require(TenantId.of("acme")).status()).isEqualTo(status);
      } else {
        assertThatThrownBy(() -> catalog.require(TenantId.of("acme")))
            .as(status.name())
            .isInstanceOfSatisfying(TenantNotActiveException.class,
                e -> assertThat(e.status()).isEqualTo(status));
        assertThat(catalog.find(TenantId.of("acme"))).isPresent();
      }
    }
  }

  @Test
  void isServing_whenActiveOrUpdating_true_otherwiseFalse() {
    // An update (tier change, template update) must not take a working tenant offline.
    assertThat(java.util.Arrays.stream(TenantStatus.values()).filter(TenantStatus::isServing))
        .containsExactlyInAnyOrder(TenantStatus.ACTIVE, TenantStatus.UPDATING);
    TenantCatalog catalog = TenantCatalog.inMemory(tenant("acme", TenantStatus.UPDATING));
    assertThat(catalog.require(TenantId.of("acme")).status()).isEqualTo(TenantStatus.UPDATING);
  }

  @Test
  void inMemory_whenDuplicateIds_refused() {
    assertThatThrownBy(() -> TenantCatalog.inMemory(
            tenant("acme", TenantStatus.ACTIVE), tenant("acme", TenantStatus.SUSPENDED)))
        .isInstanceOf(InvalidTenantRecordException.class)
        .hasMessageContaining("duplicate tenant id acme");
  }

  @Test
  void listeners_whenPutAndRemove_toldWhatChanged() {
    WritableTenantCatalog catalog = TenantCatalog.inMemory(tenant("acme", TenantStatus.ACTIVE));
    List<CatalogChange> changes = new ArrayList<>();
    CatalogListener.Registration reg = catalog.addListener(changes::add);

    catalog.put(tenant("globex", TenantStatus.ACTIVE));
    catalog.put(tenant("acme", TenantStatus.SUSPENDED));
    catalog.put(tenant("acme", TenantStatus.SUSPENDED)); // no change: no event
    catalog.remove(TenantId.of("globex"));
    reg.close();
    catalog.put(tenant("initech", TenantStatus.ACTIVE)); // after close: not told

    assertThat(changes).hasSize(3);
    assertThat(changes.get(0).added()).extracting(Tenant::id).containsExactly(TenantId.of("globex"));
    assertThat(changes.get(1).updated()).extracting(Tenant::status).containsExactly(TenantStatus.SUSPENDED);
    assertThat(changes.get(2).removed()).extracting(Tenant::id).containsExactly(TenantId.of("globex"));
  }

  @Test
  void listeners_whenOneThrows_othersStillTold() {
    WritableTenantCatalog catalog = TenantCatalog.inMemory();
    List<CatalogChange> seen = new ArrayList<>();
    catalog.addListener(c -> {
      throw new IllegalStateException("boom");
    });
    catalog.addListener(seen::add);
    catalog.put(tenant("acme", TenantStatus.ACTIVE));
    assertThat(seen).hasSize(1);
    assertThat(catalog.find(TenantId.of("acme"))).isPresent();
  }

  @Test
  void all_isSortedAndUnmodifiable() {
    TenantCatalog catalog = TenantCatalog.inMemory(
        tenant("zeta", TenantStatus.ACTIVE), tenant("acme", TenantStatus.ACTIVE));
    assertThat(catalog.all()).extracting(t -> t.id().value()).containsExactly("acme", "zeta");
    assertThatThrownBy(() -> catalog.all().clear()).isInstanceOf(UnsupportedOperationException.class);
  }
}
