package dev.tenantkit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.StackConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantOverlapException;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.core.UnknownTenantException;
import dev.tenantkit.testkit.TestTenants;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link TenantRegistry} against a real DynamoDB implementation (dynalite, started by
 * tenant-testkit's LocalDynamo): conditional writes on a version, concurrent writers, the rules
 * between tenants checked against the whole table before a write, and typed errors that name the
 * table. Dynalite lacks transactions and streams; TenantRegistry uses neither.
 */
class TenantRegistryIntegrationTest {

  private static Tenant withOutput(Tenant t, String key) {
    Map<String, String> outputs = new HashMap<>(t.stack().map(StackConfig::outputs).orElse(Map.of()));
    outputs.put(key, "written");
    StackConfig stack = t.stack().map(StackConfig::toBuilder).orElse(StackConfig.builder().name("tenantkit-" + t.id()))
        .outputs(outputs).build();
    return t.toBuilder().stack(stack).build();
  }

  @Test
  void create_thenGet_returnsTheSameRecordAtVersionOne() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();

    VersionedTenant written = registry.create(acme);

    assertThat(written.version()).isEqualTo(1);
    VersionedTenant read = registry.get(acme.id()).orElseThrow();
    assertThat(read.tenant()).isEqualTo(acme);
    assertThat(read.version()).isEqualTo(1);
    assertThat(read.updatedAt()).isEqualTo(written.updatedAt());
    assertThat(registry.get(TenantId.of("globex"))).isEmpty();
    assertThat(registry.all()).extracting(VersionedTenant::tenant).containsExactly(acme);
  }

  @Test
  void create_whenTheTenantExists_isAConflict_andTheItemIsUnchanged() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    registry.create(acme);

    assertThatThrownBy(() -> registry.create(acme.toBuilder().tier("basic").build()))
        .isInstanceOfSatisfying(RegistryConflictException.class, e -> {
          assertThat(e.tenant()).isEqualTo(acme.id());
          assertThat(e.expectedVersion()).isZero();
        })
        .hasMessageContaining("registry table " + registry.tableName()).hasMessageContaining("already exists");
    assertThat(registry.get(acme.id()).orElseThrow().tenant()).isEqualTo(acme);
  }

  @Test
  void replace_withAStaleVersion_isAConflict_andNothingIsWritten() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    registry.create(acme);
    Tenant suspended = acme.toBuilder().status(TenantStatus.SUSPENDED).statusReason("unpaid").build();
    assertThat(registry.replace(suspended, 1).version()).isEqualTo(2);

    // A second operator still holding version 1 tries to change the tier: refused, so the
    // suspension is not silently undone.
    assertThatThrownBy(() -> registry.replace(acme.toBuilder().tier("basic").build(), 1))
        .isInstanceOf(RegistryConflictException.class).hasMessageContaining("changed since version 1");
    VersionedTenant now = registry.get(acme.id()).orElseThrow();
    assertThat(now.tenant()).isEqualTo(suspended);
    assertThat(now.version()).isEqualTo(2);
  }

  @Test
  void replace_ofADeletedTenant_isAConflict_notACreate() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    registry.create(acme);
    registry.delete(acme.id(), 1);

    assertThatThrownBy(() -> registry.replace(acme, 1)).isInstanceOf(RegistryConflictException.class);
    assertThat(registry.get(acme.id())).isEmpty();
    assertThatThrownBy(() -> registry.delete(acme.id(), 1)).isInstanceOf(RegistryConflictException.class);
  }

  @Test
  void update_byConcurrentWriters_losesNoUpdate() throws Exception {
    TenantRegistry registry = TenantRegistry.builder().client(Dynamo.client())
        .tableName(Dynamo.newRegistry().tableName()).maxUpdateAttempts(100).build();
    Tenant acme = TestTenants.silo("acme").build();
    registry.create(acme);
    int writers = 6;
    int updatesEach = 5;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < updatesEach; i++) {
            String key = "w" + writer + "u" + i;
            registry.update(acme.id(), t -> withOutput(t, key));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    VersionedTenant end = registry.get(acme.id()).orElseThrow();
    Map<String, String> outputs = end.tenant().stack().orElseThrow().outputs();
    assertThat(outputs).hasSize(writers * updatesEach);
    for (int w = 0; w < writers; w++) {
      for (int i = 0; i < updatesEach; i++) {
        assertThat(outputs).containsKey("w" + w + "u" + i);
      }
    }
    assertThat(end.version()).isEqualTo(1 + writers * updatesEach);
  }

  @Test
  void update_runsOutOfAttempts_withATypedConflict() {
    TenantRegistry registry = Dynamo.newRegistry();
    TenantRegistry impatient = TenantRegistry.builder().client(Dynamo.client()).tableName(registry.tableName())
        .maxUpdateAttempts(2).build();
    Tenant acme = TestTenants.silo("acme").build();
    registry.create(acme);
    int[] calls = {0};
    // Every time the change runs, another writer gets in first.
    assertThatThrownBy(() -> impatient.update(acme.id(), t -> {
      calls[0]++;
      registry.update(acme.id(), x -> withOutput(x, "rival" + calls[0]));
      return t.toBuilder().tier("basic").build();
    })).isInstanceOf(RegistryConflictException.class).hasMessageContaining("each of 2 attempts");
    assertThat(calls[0]).isEqualTo(2);
    assertThat(registry.get(acme.id()).orElseThrow().tenant().tier().name()).isEqualTo("premium");
  }

  @Test
  void update_ofAnUnknownTenant_orToAnotherId_isRefused() {
    TenantRegistry registry = Dynamo.newRegistry();
    registry.create(TestTenants.silo("acme").build());
    assertThatThrownBy(() -> registry.update(TenantId.of("globex"), t -> t))
        .isInstanceOf(UnknownTenantException.class);
    assertThatThrownBy(() -> registry.update(TenantId.of("acme"), t -> t.toBuilder().id("globex").build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must keep the tenant id acme");
    assertThat(registry.get(TenantId.of("globex"))).isEmpty();
  }

  @Test
  void update_thatChangesNothing_writesNothing() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    registry.create(acme);
    assertThat(registry.update(acme.id(), t -> t.toBuilder().build()).version()).isEqualTo(1);
    assertThat(registry.get(acme.id()).orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void write_thatSharesAWallWithAnotherTenant_isRefusedBeforeWriting() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    registry.create(acme);
    // globex's record names acme's bucket: a create and a later replace are both refused.
    Tenant thief = TestTenants.silo("globex").storage(acme.storage().orElseThrow()).build();
    assertThatThrownBy(() -> registry.create(thief)).isInstanceOf(TenantOverlapException.class)
        .hasMessageContaining("acme").hasMessageContaining("globex");
    assertThat(registry.get(TenantId.of("globex"))).isEmpty();

    Tenant globex = TestTenants.silo("globex").build();
    registry.create(globex);
    assertThatThrownBy(() -> registry.replace(thief, 1)).isInstanceOf(TenantOverlapException.class);
    assertThat(registry.get(globex.id()).orElseThrow().tenant()).isEqualTo(globex);
    // The tenant's own item is replaced, not compared with itself.
    assertThat(registry.replace(globex.toBuilder().tier("basic").build(), 1).version()).isEqualTo(2);
  }

  @Test
  void aMissingTable_isNamed() {
    TenantRegistry registry = TenantRegistry.builder().client(Dynamo.client()).tableName("no-such-table").build();
    assertThatThrownBy(() -> registry.get(TenantId.of("acme"))).isInstanceOf(TenantRegistryException.class)
        .hasMessage("registry table no-such-table: GetItem failed: the table does not exist (in this account and Region)");
  }

  @Test
  void anUnreachableDynamo_isATypedError_withoutCredentials() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    TenantRegistry registry = TenantRegistry.builder().client(Dynamo.client(URI.create("http://127.0.0.1:" + closedPort)))
        .tableName("tenants").build();
    assertThatThrownBy(() -> registry.create(TestTenants.silo("acme").build()))
        .isInstanceOf(TenantRegistryException.class)
        .hasMessageStartingWith("registry table tenants: Scan failed (DynamoDB not reachable?)")
        .hasMessageNotContaining(Dynamo.SECRET_KEY);
  }

  @Test
  void builder_namesWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> TenantRegistry.builder().tableName("tenants").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("client is required");
    assertThatThrownBy(() -> TenantRegistry.builder().client(Dynamo.client()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tableName is required");
    assertThatThrownBy(() -> TenantRegistry.builder().tableName("a b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tableName must be");
    assertThatThrownBy(() -> TenantRegistry.builder().maxUpdateAttempts(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxUpdateAttempts");
    assertThatThrownBy(() -> Dynamo.newRegistry().replace(TestTenants.silo("acme").build(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use create");
  }

  @Test
  void createAll_importsACatalog_onceChecked_andIsIdempotent() {
    TenantRegistry registry = Dynamo.newRegistry();
    List<Tenant> tenants = TestTenants.many(30);
    assertThat(registry.createAll(tenants)).isEqualTo(30);
    assertThat(registry.all()).extracting(VersionedTenant::tenant).containsExactlyInAnyOrderElementsOf(tenants);
    assertThat(registry.createAll(tenants)).as("run again").isZero();

    Tenant changed = tenants.get(0).toBuilder().tier("premium").build();
    assertThatThrownBy(() -> registry.createAll(List.of(changed))).isInstanceOf(RegistryConflictException.class)
        .hasMessageContaining("already exists with another record");
    Tenant acme = TestTenants.silo("acme").build();
    Tenant thief = TestTenants.silo("globex").storage(acme.storage().orElseThrow()).build();
    assertThatThrownBy(() -> registry.createAll(List.of(acme, thief))).isInstanceOf(TenantOverlapException.class);
    assertThat(registry.get(acme.id())).as("nothing written").isEmpty();
    assertThatThrownBy(() -> registry.createAll(List.of(acme, acme))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("named twice");
  }

  @Test
  void anInvalidItem_blocksWritesOfOtherTenants_butNotItsOwnFix() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    registry.create(acme);
    // acme's item is damaged: its bucket can no longer be read, so nobody may claim walls now.
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> broken =
        dev.tenantkit.registry.internal.RegistryItems.toItem(acme, 2, java.time.Instant.now());
    broken.put("record", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("{}"));
    Dynamo.client().putItem(b -> b.tableName(registry.tableName()).item(broken));

    Tenant thief = TestTenants.silo("globex").storage(acme.storage().orElseThrow()).build();
    assertThatThrownBy(() -> registry.create(thief)).isInstanceOf(TenantRegistryException.class)
        .hasMessageContaining("item 'acme' is not a valid record").hasMessageContaining("fix or delete it");
    assertThatThrownBy(() -> registry.createAll(List.of(TestTenants.silo("initech").build())))
        .isInstanceOf(TenantRegistryException.class).hasMessageContaining("item 'acme' is not a valid record");
    assertThat(registry.get(TenantId.of("globex"))).isEmpty();

    assertThat(registry.replace(acme, 2).version()).as("the fix").isEqualTo(3);
    registry.create(TestTenants.silo("globex").build());
  }

  @Test
  void aNewRecord_isCheckedAgainstEachTenant_evenWhenTwoOthersAlreadyOverlap() {
    TenantRegistry registry = Dynamo.newRegistry();
    Tenant acme = TestTenants.silo("acme").build();
    registry.create(acme);
    registry.create(TestTenants.silo("globex").build());
    // globex rewritten past the writer's check to take acme's bucket (two racing writers could).
    Tenant globexOnAcme = TestTenants.silo("globex").storage(acme.storage().orElseThrow()).build();
    Dynamo.client().putItem(b -> b.tableName(registry.tableName())
        .item(dev.tenantkit.registry.internal.RegistryItems.toItem(globexOnAcme, 2, java.time.Instant.now())));

    // A third tenant on the same bucket is refused, whichever of the two it is compared with first.
    Tenant third = TestTenants.silo("initech").storage(acme.storage().orElseThrow()).build();
    assertThatThrownBy(() -> registry.create(third)).isInstanceOf(TenantOverlapException.class)
        .hasMessageContaining("initech");
    // An unrelated tenant is still written.
    registry.create(TestTenants.silo("umbrella").build());
  }
}
