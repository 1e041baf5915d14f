package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.TestTenants;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Two tenants in one shared bucket try to reach each other through every method, with hostile
 * keys, prefixes and tokens; a raw listing afterwards proves nothing moved.
 */
class StorageEscapeIntegrationTest {
  static LocalS3 s3;
  static TenantStorageClient client;
  static Tenant globex;
  static Tenant initech;
  static final byte[] SECRET = "initech's secret".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  @BeforeAll
  static void start() throws Exception {
    s3 = LocalS3.start();
    s3.createBucket(TestTenants.SHARED_BUCKET);
    globex = TestTenants.pooled("globex").build();
    initech = TestTenants.pooled("initech").build();
    client = TenantStorageClient.builder().s3Client(s3.client()).presigner(s3.presigner()).build();
    client.forTenant(initech).put("secret.txt", SECRET, PutOptions.none());
    client.forTenant(globex).put("mine.txt", new byte[] {1}, PutOptions.none());
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  @Test
  void everyHostileKey_refusedByEveryMethod_andNothingMoved() {
    TenantStorage g = client.forTenant(globex);
    Map<String, InvalidObjectKeyException.Rule> hostile = ObjectKeysTest.hostileKeys();
    List<Consumer<String>> methods = List.of(
        k -> g.put(k, new byte[] {6}, PutOptions.none()),
        k -> g.put(k, new java.io.ByteArrayInputStream(new byte[] {6}), PutOptions.none()),
        k -> g.create(k, new byte[] {6}, PutOptions.none()),
        g::get,
        k -> g.getRange(k, 0, 1),
        g::open,
        g::head,
        g::delete,
        k -> g.delete(List.of("mine.txt", k)),
        k -> g.copy(k, "stolen.txt"),
        k -> g.copy("mine.txt", k),
        k -> g.presignGet(k, Duration.ofMinutes(1)),
        k -> g.presignPut(k, Duration.ofMinutes(1), null),
        k -> g.list(k + "/", "/", 10, null));
    int refusals = 0;
    for (String key : hostile.keySet()) {
      for (Consumer<String> method : methods) {
        if (key.isEmpty() && method == methods.get(methods.size() - 1)) {
          continue; // "" + "/" as a listing prefix is "/", refused as ABSOLUTE: covered by other keys
        }
        assertThatThrownBy(() -> method.accept(key)).isInstanceOf(InvalidObjectKeyException.class);
        refusals++;
      }
    }
    assertThat(refusals).isGreaterThan(40 * 13);
    assertThat(s3.keys(TestTenants.SHARED_BUCKET)).containsExactly("tenants/globex/mine.txt", "tenants/initech/secret.txt");
    assertThat(client.forTenant(initech).get("secret.txt")).isEqualTo(SECRET);
    assertThat(client.forTenant(globex).exists("mine.txt")).isTrue();
  }

  @Test
  void otherTenantsSpace_unreachableThroughAnyMethod() {
    TenantStorage g = client.forTenant(globex);
    // Keys are relative: "tenants/initech/secret.txt" is globex's own (nonexistent) key.
    String theirs = "tenants/initech/secret.txt";
    assertThatThrownBy(() -> g.get(theirs)).isInstanceOf(StorageException.NotFound.class);
    assertThat(g.head(theirs)).isEmpty();
    assertThatThrownBy(() -> g.copy(theirs, "stolen.txt")).isInstanceOf(StorageException.NotFound.class);
    g.delete(theirs);
    g.delete(List.of(theirs, "secret.txt"));
    g.put("secret.txt", "overwrite?".getBytes(java.nio.charset.StandardCharsets.UTF_8), PutOptions.none());
    assertThat(g.list("", null, 1000, null).objects()).extracting(ObjectInfo::key)
        .containsExactlyInAnyOrder("mine.txt", "secret.txt");
    assertThat(g.list("tenants/", "/", 1000, null).objects()).isEmpty();
    assertThat(client.forTenant(initech).get("secret.txt")).isEqualTo(SECRET);
    assertThat(s3.keys(TestTenants.SHARED_BUCKET)).contains("tenants/initech/secret.txt", "tenants/globex/secret.txt");
    g.delete("secret.txt");
  }

  @Test
  void s3ReturningKeysOutsideThePrefix_isAnErrorNotData() throws Exception {
    // A misconfigured bucket or a bug upstream: simulated by rewriting the listing response.
    ExecutionInterceptor leak = new ExecutionInterceptor() {
      @Override
      public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (context.response() instanceof ListObjectsV2Response) {
          ListObjectsV2Response r = (ListObjectsV2Response) context.response();
          return r.toBuilder().contents(S3Object.builder().key("tenants/initech/secret.txt").size(1L).build()).build();
        }
        return context.response();
      }
    };
    try (S3Client leaky = s3.clientBuilder()
        .overrideConfiguration(o -> o.addExecutionInterceptor(leak)).build()) {
      TenantStorageClient leakyClient = TenantStorageClient.builder().s3Client(leaky).build();
      assertThatThrownBy(() -> leakyClient.forTenant(globex).list("", null, 100, null))
          .isInstanceOf(StorageException.IsolationViolation.class)
          .hasMessageNotContaining("secret");
    }
  }
}
