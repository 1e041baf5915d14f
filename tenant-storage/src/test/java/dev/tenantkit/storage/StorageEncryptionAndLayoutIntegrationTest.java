package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.TestTenants;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Server-side encryption comes from the tenant record; access points are addressed as such. */
class StorageEncryptionAndLayoutIntegrationTest {
  static LocalS3 s3;

  @BeforeAll
  static void start() throws Exception {
    s3 = LocalS3.start();
    s3.createBucket("tenantkit-acme");
    s3.createBucket(TestTenants.SHARED_BUCKET);
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  /** Captures the SSE headers of each PUT, COPY and multipart create sent to S3Proxy. */
  static List<Map<String, String>> writesOf(Tenant tenant, java.util.function.Consumer<TenantStorage> work) {
    List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
    ExecutionInterceptor capture = new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        var r = context.httpRequest();
        if (r.method().name().equals("PUT")) {
          Map<String, String> h = new java.util.TreeMap<>();
          for (String name : List.of("x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
              "x-amz-server-side-encryption-bucket-key-enabled")) {
            r.firstMatchingHeader(name).ifPresent(v -> h.put(name, v));
          }
          seen.add(h);
        }
      }
    };
    try (S3Client client = s3.clientBuilder()
        .overrideConfiguration(o -> o.addExecutionInterceptor(capture)).build()) {
      work.accept(TenantStorageClient.builder().s3Client(client).build().forTenant(tenant));
    }
    return seen;
  }

  @Test
  void kmsTenant_everyWriteAsksForSseKmsWithItsKeyAndBucketKeys() {
    String key = "arn:aws:kms:eu-west-1:111122223333:key/acme-key";
    Tenant acme = TestTenants.silo("acme").build();
    acme = acme.toBuilder().storage(acme.storage().orElseThrow().toBuilder().kmsKeyArn(key).build()).build();
    List<Map<String, String>> writes = writesOf(acme, st -> {
      st.put("enc/a.txt", new byte[] {1}, PutOptions.none());
      st.copy("enc/a.txt", "enc/b.txt");
    });
    assertThat(writes).hasSize(2).allSatisfy(h -> assertThat(h)
        .containsEntry("x-amz-server-side-encryption", "aws:kms")
        .containsEntry("x-amz-server-side-encryption-aws-kms-key-id", key)
        .containsEntry("x-amz-server-side-encryption-bucket-key-enabled", "true"));
  }

  @Test
  void tenantWithoutKey_usesSseS3() {
    List<Map<String, String>> writes = writesOf(TestTenants.pooled("globex").build(),
        st -> st.put("enc/a.txt", new byte[] {1}, PutOptions.none()));
    assertThat(writes).singleElement().satisfies(h -> assertThat(h)
        .containsEntry("x-amz-server-side-encryption", "AES256")
        .doesNotContainKey("x-amz-server-side-encryption-aws-kms-key-id"));
  }

  @Test
  void accessPointLayout_addressesTheAccessPointWithoutPrefix() throws Exception {
    String ap = "arn:aws:s3:eu-west-1:111122223333:accesspoint/acme";
    Tenant tenant = TestTenants.tenant("acme").storage(StorageConfig.builder()
        .layout(StorageConfig.StorageLayout.ACCESS_POINT).accessPointArn(ap).build()).build();
    // Presigning is offline: it shows where requests go without an AWS account.
    try (S3Presigner presigner = S3Presigner.builder().region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x"))).build();
        S3Client unused = S3Client.builder().region(Region.EU_WEST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x"))).build()) {
      TenantStorage st = TenantStorageClient.builder().s3Client(unused).presigner(presigner).build().forTenant(tenant);
      URL url = st.presignGet("docs/a.txt", Duration.ofMinutes(1));
      assertThat(url.getHost()).isEqualTo("acme-111122223333.s3-accesspoint.eu-west-1.amazonaws.com");
      assertThat(url.getPath()).isEqualTo("/docs/a.txt");
    }
  }
}
