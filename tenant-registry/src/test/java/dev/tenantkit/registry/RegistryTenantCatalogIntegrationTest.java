package dev.tenantkit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.CatalogChange;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantNotActiveException;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.core.UnknownTenantException;
import dev.tenantkit.registry.internal.RegistryItems;
import dev.tenantkit.testkit.LocalDynamo;
import dev.tenantkit.testkit.TestTenants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link RegistryTenantCatalog} against a real DynamoDB implementation (dynalite, started by
 * tenant-testkit's LocalDynamo): refreshes, invalid and hostile items, rule breaks across the
 * table, outages, the last-known-good file and the silo reader. No test waits on a wall-clock
 * bound: polling is checked by waiting for the change, and the rest call {@code refresh()}.
 */
class RegistryTenantCatalogIntegrationTest {
  @TempDir Path dir;

  private static RegistryTenantCatalog reader(TenantRegistry registry) {
    return RegistryTenantCatalog.builder().registry(registry).watch(false).build();
  }

  /** Writes an item as is, past TenantRegistry's checks: what a careless script or an attacker could. */
  private static void putRaw(TenantRegistry registry, String key, Map<String, AttributeValue> item) {
    Dynamo.client().putItem(b -> b.tableName(registry.tableName()).item(item));
  }

  @Test
  void refresh_servesNewChangedAndRemovedTenants_andTellsListeners() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    registry.create(acme);
    try (RegistryTenantCatalog catalog = reader(registry)) {
      List<CatalogChange> changes = new CopyOnWriteArrayList<>();
      catalog.addListener(changes::add);
      assertThat(catalog.require(acme.id())).isEqualTo(acme);
      assertThat(catalog.refresh()).isFalse();

      Tenant globex = TestTenants.pooled("globex").build();
      registry.create(globex);
      registry.update(acme.id(), t -> t.toBuilder().status(TenantStatus.SUSPENDED).build());
      assertThat(catalog.refresh()).isTrue();
      assertThat(catalog.require(globex.id())).isEqualTo(globex);
      assertThatThrownBy(() -> catalog.require(acme.id())).isInstanceOf(TenantNotActiveException.class);

      registry.delete(globex.id(), 1);
      assertThat(catalog.refresh()).isTrue();
      assertThatThrownBy(() -> catalog.require(globex.id())).isInstanceOf(UnknownTenantException.class);

      assertThat(changes).hasSize(2);
      assertThat(changes.get(0).added()).containsExactly(globex);
      assertThat(changes.get(0).updated()).extracting(Tenant::status).containsExactly(TenantStatus.SUSPENDED);
      assertThat(changes.get(1).removed()).containsExactly(globex);
      RegistryHealth health = catalog.health();
      assertThat(health.healthy()).isTrue();
      assertThat(health.tenants()).isEqualTo(1);
      assertThat(health.source()).isEqualTo(RegistryHealth.Source.REGISTRY);
    }
  }

  @Test
  void polling_picksUpASuspension_withoutACall() throws Exception {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    registry.create(acme);
    try (RegistryTenantCatalog catalog = RegistryTenantCatalog.builder().registry(registry)
        .pollInterval(Duration.ofSeconds(1)).build()) {
      registry.update(acme.id(), t -> t.toBuilder().status(TenantStatus.SUSPENDED).build());
      // Waits for the change itself (bounded, so a broken poller fails rather than hangs).
      for (int i = 0; i < 300 && catalog.find(acme.id()).orElseThrow().status() != TenantStatus.SUSPENDED; i++) {
        Thread.sleep(50);
      }
      assertThat(catalog.find(acme.id()).orElseThrow().status()).isEqualTo(TenantStatus.SUSPENDED);
    }
  }

  @Test
  void anInvalidItem_isRefused_itsPreviousRecordServes_andTheOthersRefresh() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    Tenant globex = TestTenants.silo("globex").build();
    registry.create(acme);
    registry.create(globex);
    try (RegistryTenantCatalog catalog = reader(registry)) {
      // globex changes (before the damage: with an unreadable item in the table, writers stop).
      registry.update(globex.id(), t -> t.toBuilder().tier("basic").build());
      Map<String, AttributeValue> broken = RegistryItems.toItem(acme, 2, Instant.now());
      broken.put(RegistryItems.RECORD, AttributeValue.fromS("{\"version\": 1, \"tenants\": [{\"id\": \"acme\"}]}"));
      putRaw(registry, "acme", broken);
      putRaw(registry, "new-one", Map.of(RegistryItems.KEY, AttributeValue.fromS("new-one"),
          RegistryItems.VERSION, AttributeValue.fromN("1"), RegistryItems.RECORD, AttributeValue.fromS("not json")));

      catalog.refresh();

      assertThat(catalog.require(acme.id())).as("acme's previous record").isEqualTo(acme);
      assertThat(catalog.require(globex.id()).tier().name()).isEqualTo("basic");
      assertThat(catalog.find(TenantId.of("new-one"))).isEmpty();
      RegistryHealth health = catalog.health();
      assertThat(health.healthy()).isFalse();
      assertThat(health.error()).isEmpty();
      assertThat(health.refusedItems()).containsOnlyKeys("acme", "new-one");
      assertThat(health.refusedItems().get("acme")).contains("registry table " + registry.tableName())
          .contains("item 'acme'");
      // The whole-table read for writers refuses to guess, naming the item.
      assertThatThrownBy(registry::all).isInstanceOf(TenantRegistryException.class);
    }
  }

  @Test
  void anItemKeyedForOneTenant_carryingAnothersRecord_isRefused() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    Tenant globex = TestTenants.silo("globex").build();
    registry.create(acme);
    registry.create(globex);
    try (RegistryTenantCatalog catalog = reader(registry)) {
      // The item under globex's key now holds a record for acme (pointing at an attacker's bucket):
      // neither key nor record is trusted over the other.
      Tenant forged = TestTenants.silo("acme").storage(TestTenants.silo("evil").build().storage().orElseThrow()).build();
      Map<String, AttributeValue> item = RegistryItems.toItem(forged, 2, Instant.now());
      item.put(RegistryItems.KEY, AttributeValue.fromS("globex"));
      putRaw(registry, "globex", item);

      catalog.refresh();

      assertThat(catalog.require(acme.id())).isEqualTo(acme);
      assertThat(catalog.require(globex.id())).isEqualTo(globex);
      assertThat(catalog.health().refusedItems().get("globex")).contains("is for tenant acme, not the item's key");
      assertThatThrownBy(() -> registry.get(globex.id())).isInstanceOf(TenantRegistryException.class)
          .hasMessageContaining("is for tenant acme");
    }
  }

  @Test
  void recordsThatShareAWall_refuseTheWholeRefresh_andThePreviousRecordsServe() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    Tenant globex = TestTenants.silo("globex").build();
    registry.create(acme);
    registry.create(globex);
    try (RegistryTenantCatalog catalog = reader(registry)) {
      // Written past the writer's check (as two racing writers could): globex takes acme's bucket.
      Tenant thief = globex.toBuilder().storage(acme.storage().orElseThrow()).build();
      putRaw(registry, "globex", RegistryItems.toItem(thief, 2, Instant.now()));
      registry.create(TestTenants.silo("initech").build());

      assertThatThrownBy(catalog::refresh).isInstanceOf(TenantRegistryException.class)
          .hasMessageContaining("refresh refused whole").hasMessageContaining("acme").hasMessageContaining("globex");

      assertThat(catalog.require(globex.id())).isEqualTo(globex);
      assertThat(catalog.find(TenantId.of("initech"))).as("nothing of the refused refresh").isEmpty();
      assertThat(catalog.health().error()).get().asString().contains("refresh refused whole");
      assertThat(catalog.health().lastRefresh()).isNotNull();

      // The broken pair does not block the fix: globex back on its own bucket, and all serve.
      registry.replace(globex, 2);
      assertThat(catalog.refresh()).isTrue();
      assertThat(catalog.require(TenantId.of("initech")).id().value()).isEqualTo("initech");
      assertThat(catalog.health().healthy()).isTrue();
    }
  }

  @Test
  void anOutage_keepsTheSnapshotServing_andTheNextGoodReadRecovers() {
    try (LocalDynamo own = LocalDynamo.start()) {
      TenantRegistry registry = Dynamo.registryOn(own);
      Tenant acme = TestTenants.silo("acme").build();
      registry.create(acme);
      RegistryTenantCatalog catalog = reader(registry);
      Instant firstRead = catalog.health().lastRefresh();

      own.close();

      assertThatThrownBy(catalog::refresh).isInstanceOf(TenantRegistryException.class)
          .hasMessageContaining("registry table tenants: Scan failed");
      assertThat(catalog.require(acme.id())).isEqualTo(acme);
      RegistryHealth health = catalog.health();
      assertThat(health.healthy()).isFalse();
      assertThat(health.error()).get().asString().contains("Scan failed").doesNotContain(Dynamo.SECRET_KEY);
      assertThat(health.lastRefresh()).isEqualTo(firstRead);
      assertThat(health.tenants()).isEqualTo(1);
      catalog.close();
    }
  }

  @Test
  void lastKnownGood_isWrittenOwnerOnly_andServesAColdStartWithTheRegistryDown() throws Exception {
    Path file = dir.resolve("state/registry-lkg.json");
    Tenant acme = TestTenants.silo("acme").build();
    Tenant globex = TestTenants.pooled("globex").build();
    try (LocalDynamo own = LocalDynamo.start()) {
      TenantRegistry registry = Dynamo.registryOn(own);
      registry.create(acme);
      registry.create(globex);
      try (RegistryTenantCatalog catalog = RegistryTenantCatalog.builder().registry(registry).watch(false)
          .lastKnownGood(file).build()) {
        assertThat(TenantCatalog.fromJson(Files.readString(file), "lkg").all()).containsExactly(acme, globex);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        registry.update(globex.id(), t -> t.toBuilder().status(TenantStatus.SUSPENDED).build());
        catalog.refresh();
        assertThat(TenantCatalog.fromJson(Files.readString(file), "lkg").find(globex.id()).orElseThrow().status())
            .isEqualTo(TenantStatus.SUSPENDED);
      }
      own.close();

      // A new instance starts while the registry is down: it serves the file, and says so.
      try (RegistryTenantCatalog cold = RegistryTenantCatalog.builder().registry(registry).watch(false)
          .lastKnownGood(file).build()) {
        assertThat(cold.require(acme.id())).isEqualTo(acme);
        assertThatThrownBy(() -> cold.require(globex.id())).isInstanceOf(TenantNotActiveException.class);
        RegistryHealth health = cold.health();
        assertThat(health.source()).isEqualTo(RegistryHealth.Source.LAST_KNOWN_GOOD_FILE);
        assertThat(health.healthy()).isFalse();
        assertThat(health.lastRefresh()).isNull();
        assertThat(health.error()).get().asString().contains("Scan failed");
      }

      // Without a file there is nothing to serve: the start fails, naming both.
      assertThatThrownBy(() -> RegistryTenantCatalog.builder().registry(registry).watch(false).build())
          .isInstanceOf(TenantRegistryException.class).hasMessageContaining("Scan failed")
          .hasMessageContaining("no last-known-good file is configured");
      // A tampered file is not served either.
      Files.writeString(file, "{\"version\": 1, \"tenants\": [{\"id\": \"acme\", \"tier\": 7}]}");
      assertThatThrownBy(() -> RegistryTenantCatalog.builder().registry(registry).watch(false).lastKnownGood(file).build())
          .isInstanceOf(TenantRegistryException.class).hasMessageContaining("the last-known-good file is invalid")
          .hasMessageContaining("line 1");
    }
  }

  @Test
  void aSiloReader_readsOnlyItsOwnTenant_evenFromASharedLastKnownGoodFile() throws Exception {
    Path file = dir.resolve("shared-lkg.json");
    Tenant acme = TestTenants.silo("acme").build();
    Tenant globex = TestTenants.silo("globex").build();
    TenantCatalog.writeFile(file, List.of(acme, globex));
    try (LocalDynamo own = LocalDynamo.start()) {
      TenantRegistry registry = Dynamo.registryOn(own);
      registry.create(acme);
      registry.create(globex);
      try (RegistryTenantCatalog silo = RegistryTenantCatalog.builder().registry(registry).onlyTenant(acme.id())
          .watch(false).build()) {
        assertThat(silo.all()).containsExactly(acme);
        assertThat(silo.find(globex.id())).isEmpty();
        // Offboarded: the item is gone, and so is the tenant.
        registry.delete(acme.id(), 1);
        silo.refresh();
        assertThat(silo.all()).isEmpty();
      }
      own.close();
      try (RegistryTenantCatalog cold = RegistryTenantCatalog.builder().registry(registry).onlyTenant(acme.id())
          .lastKnownGood(file).watch(false).build()) {
        assertThat(cold.all()).containsExactly(acme);
      }
    }
  }

  @Test
  void aSiloReader_refusesItsOwnInvalidItem_andKeepsServingThePreviousRecord() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    registry.create(acme);
    try (RegistryTenantCatalog silo = RegistryTenantCatalog.builder().registry(registry).onlyTenant(acme.id())
        .watch(false).build()) {
      Map<String, AttributeValue> broken = RegistryItems.toItem(acme, 2, Instant.now());
      broken.put(RegistryItems.VERSION, AttributeValue.fromN("0"));
      putRaw(registry, "acme", broken);
      silo.refresh();
      assertThat(silo.require(acme.id())).isEqualTo(acme);
      assertThat(silo.health().refusedItems().get("acme")).contains("version must be 1 or more");
    }
  }

  @Test
  void builder_namesWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> RegistryTenantCatalog.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("registry is required");
    assertThatThrownBy(() -> RegistryTenantCatalog.builder().pollInterval(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pollInterval");
  }
}
