package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.TestTenants;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A listing pages across a fleet: instances that share continuation token keys continue each
 * other's listings, through a key rotation; tokens stay bound to the tenant and the listing. On a
 * real S3 protocol server (S3Proxy); each "instance" is its own {@link TenantStorageClient}.
 */
class ContinuationTokenFleetIntegrationTest {
  static LocalS3 s3;
  static final Tenant GLOBEX = TestTenants.pooled("globex").build();
  static final Tenant INITECH = TestTenants.pooled("initech").build();

  @BeforeAll
  static void start() {
    s3 = LocalS3.start();
    s3.createBucket(TestTenants.SHARED_BUCKET);
    TenantStorage globex = instance(null).forTenant(GLOBEX);
    for (int i = 0; i < 25; i++) {
      globex.put(String.format("fleet/%02d.txt", i), new byte[] {(byte) i}, PutOptions.none());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  private static byte[] key() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  private static TenantStorageClient instance(ContinuationTokenKeys keys) {
    TenantStorageClient.Builder b = TenantStorageClient.builder().s3Client(s3.client());
    return (keys == null ? b : b.continuationTokenKeys(keys)).build();
  }

  /** Lists fleet/ ten keys a page, each page from the next instance in turn. */
  private static List<String> listAcross(Tenant tenant, TenantStorageClient... instances) {
    List<String> keys = new ArrayList<>();
    String token = null;
    int page = 0;
    do {
      ListPage p = instances[page++ % instances.length].forTenant(tenant).list("fleet/", null, 10, token);
      p.objects().forEach(o -> keys.add(o.key()));
      token = p.nextToken();
    } while (token != null);
    return keys;
  }

  @Test
  void sharedKeys_letAnotherInstanceContinueTheListing() {
    ContinuationTokenKeys shared = ContinuationTokenKeys.of(key());
    assertThat(listAcross(GLOBEX, instance(shared), instance(shared), instance(shared)))
        .hasSize(25).doesNotHaveDuplicates();
  }

  @Test
  void withoutConfiguredKeys_anotherInstanceRefusesTheToken_sayingWhy() {
    String token = instance(null).forTenant(GLOBEX).list("fleet/", null, 10, null).nextToken();
    assertThatThrownBy(() -> instance(null).forTenant(GLOBEX).list("fleet/", null, 10, token))
        .isInstanceOf(StorageException.IsolationViolation.class).hasMessageContaining("continuationTokenKeys");
  }

  @Test
  void rotation_inTheDocumentedSteps_neverBreaksAListingThatStraddlesTwoSteps() {
    byte[] oldKey = key();
    byte[] newKey = key();
    TenantStorageClient start = instance(ContinuationTokenKeys.of(oldKey));
    TenantStorageClient newKeyAccepted = instance(ContinuationTokenKeys.of(oldKey, newKey));
    TenantStorageClient newKeyIssues = instance(ContinuationTokenKeys.of(newKey, oldKey));
    TenantStorageClient oldKeyDropped = instance(ContinuationTokenKeys.of(newKey));
    // A fleet half-way through any step lists across both halves.
    assertThat(listAcross(GLOBEX, start, newKeyAccepted)).hasSize(25);
    assertThat(listAcross(GLOBEX, newKeyAccepted, newKeyIssues)).hasSize(25);
    assertThat(listAcross(GLOBEX, newKeyIssues, oldKeyDropped)).hasSize(25);
    // Once the old key is gone, its tokens are refused.
    String old = start.forTenant(GLOBEX).list("fleet/", null, 10, null).nextToken();
    assertThatThrownBy(() -> oldKeyDropped.forTenant(GLOBEX).list("fleet/", null, 10, old))
        .isInstanceOf(StorageException.IsolationViolation.class);
  }

  @Test
  void sharedKeys_neverLetATokenCrossTenantsOrListings() {
    ContinuationTokenKeys shared = ContinuationTokenKeys.of(key());
    TenantStorageClient a = instance(shared);
    TenantStorageClient b = instance(shared);
    String token = a.forTenant(GLOBEX).list("fleet/", null, 10, null).nextToken();
    assertThatThrownBy(() -> b.forTenant(INITECH).list("fleet/", null, 10, token))
        .isInstanceOf(StorageException.IsolationViolation.class);
    assertThatThrownBy(() -> b.forTenant(GLOBEX).list("", null, 10, token))
        .isInstanceOf(StorageException.IsolationViolation.class);
    assertThatThrownBy(() -> b.forTenant(GLOBEX).list("fleet/", "/", 10, token))
        .isInstanceOf(StorageException.IsolationViolation.class);
    // A token of another key ring (another deployment) is refused too.
    assertThatThrownBy(() -> instance(ContinuationTokenKeys.of(key())).forTenant(GLOBEX).list("fleet/", null, 10, token))
        .isInstanceOf(StorageException.IsolationViolation.class);
  }

  @Test
  void keys_areValidated_andNeverPrinted() {
    assertThatThrownBy(() -> ContinuationTokenKeys.of(new byte[16])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes");
    byte[] k = key();
    assertThatThrownBy(() -> ContinuationTokenKeys.of(k, k.clone())).hasMessageContaining("repeats");
    assertThatThrownBy(() -> ContinuationTokenKeys.fromBase64("not base64!")).hasMessageContaining("base64");
    String b64 = Base64.getEncoder().encodeToString(k);
    ContinuationTokenKeys keys = ContinuationTokenKeys.fromBase64(b64);
    assertThat(keys.toString()).doesNotContain(b64).doesNotContain(Base64.getUrlEncoder().encodeToString(k));
    assertThat(keys.isGenerated()).isFalse();
    assertThat(keys.toString()).doesNotContain("generated").matches("ContinuationTokenKeys\\[[0-9a-f]{8}\\]");
    assertThat(ContinuationTokenKeys.generated().isGenerated()).isTrue();
    assertThat(ContinuationTokenKeys.generated().toString()).contains("generated, this process only");
    // Either base64 alphabet, whatever character a key happens to start with.
    byte[] dashFirst = key();
    dashFirst[0] = (byte) 0xf8; // its URL-safe base64 starts with '-', its standard base64 with '+'
    String url = Base64.getUrlEncoder().encodeToString(dashFirst);
    String standard = Base64.getEncoder().encodeToString(dashFirst);
    assertThat(url).startsWith("-");
    assertThat(ContinuationTokenKeys.fromBase64(url).toString()).isEqualTo(ContinuationTokenKeys.of(dashFirst).toString());
    assertThat(ContinuationTokenKeys.fromBase64(standard).toString()).isEqualTo(ContinuationTokenKeys.of(dashFirst).toString());
  }
}
