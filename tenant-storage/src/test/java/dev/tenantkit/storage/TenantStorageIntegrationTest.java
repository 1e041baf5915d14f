package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.TestTenants;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every operation on a real S3 protocol server (S3Proxy), for a silo bucket and a pooled prefix. */
class TenantStorageIntegrationTest {
  static LocalS3 s3;
  static TenantStorageClient client;
  static Tenant acme;     // its own bucket
  static Tenant globex;   // prefix of the shared bucket
  static Tenant initech;  // another prefix of the same shared bucket

  @BeforeAll
  static void start() throws Exception {
    s3 = LocalS3.start();
    s3.createBucket("tenantkit-acme");
    s3.createBucket(TestTenants.SHARED_BUCKET);
    acme = TestTenants.silo("acme").build();
    globex = TestTenants.pooled("globex").build();
    initech = TestTenants.pooled("initech").build();
    client = TenantStorageClient.builder().s3Client(s3.client()).presigner(s3.presigner())
        .multipartThresholdBytes(5 * 1024 * 1024).partSizeBytes(5 * 1024 * 1024)
        .build();
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  static Tenant tenant(String id) {
    return id.equals("acme") ? acme : id.equals("globex") ? globex : initech;
  }

  @ParameterizedTest
  @ValueSource(strings = {"acme", "globex"})
  void roundTrips_everyOperation(String id, @TempDir Path dir) throws Exception {
    Tenant t = tenant(id);
    TenantStorage storage = client.forTenant(t);
    String base = "rt-" + System.nanoTime() + "/";
    byte[] hello = "hello, tenant".getBytes(StandardCharsets.UTF_8);

    storage.put(base + "a.txt", hello, new PutOptions("text/plain", Map.of("owner", "alice")));
    assertThat(storage.get(base + "a.txt")).isEqualTo(hello);
    ObjectInfo info = storage.head(base + "a.txt").orElseThrow();
    assertThat(info.size()).isEqualTo(hello.length);
    assertThat(info.contentType()).startsWith("text/plain");
    assertThat(info.metadata()).containsEntry("owner", "alice");
    assertThat(storage.getRange(base + "a.txt", 7, 12)).isEqualTo("tenant".getBytes(StandardCharsets.UTF_8));
    try (InputStream in = storage.open(base + "a.txt")) {
      assertThat(in.readAllBytes()).isEqualTo(hello);
    }

    // A stream of unknown length, below the multipart threshold.
    storage.put(base + "stream.bin", new ByteArrayInputStream(new byte[70_000]), PutOptions.none());
    assertThat(storage.head(base + "stream.bin").orElseThrow().size()).isEqualTo(70_000);

    Path file = dir.resolve("f.txt");
    Files.writeString(file, "from a file");
    storage.put(base + "file.txt", file, PutOptions.contentType("text/plain"));
    assertThat(new String(storage.get(base + "file.txt"), StandardCharsets.UTF_8)).isEqualTo("from a file");

    storage.copy(base + "a.txt", base + "copy/a.txt");
    assertThat(storage.get(base + "copy/a.txt")).isEqualTo(hello);

    ListPage top = storage.list(base, "/", 100, null);
    assertThat(top.objects()).extracting(ObjectInfo::key)
        .containsExactlyInAnyOrder(base + "a.txt", base + "stream.bin", base + "file.txt");
    assertThat(top.commonPrefixes()).containsExactly(base + "copy/");

    storage.create(base + "once.txt", hello, PutOptions.none());
    assertThat(storage.exists(base + "once.txt")).isTrue();

    storage.delete(base + "a.txt");
    assertThat(storage.exists(base + "a.txt")).isFalse();
    assertThatThrownBy(() -> storage.get(base + "a.txt")).isInstanceOf(StorageException.NotFound.class);
    storage.delete(List.of(base + "stream.bin", base + "file.txt", base + "copy/a.txt", base + "once.txt"));
    assertThat(storage.list(base, null, 100, null).objects()).isEmpty();

    // Where the bytes landed: the silo's bucket root, or the tenant's prefix.
    storage.put(base + "where.txt", hello, PutOptions.none());
    String bucket = t.storage().orElseThrow().bucket();
    String expected = (t.storage().orElseThrow().layout() == StorageConfig.StorageLayout.PREFIX
        ? t.storage().orElseThrow().prefix() : "") + base + "where.txt";
    assertThat(s3.keys(bucket)).contains(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"acme", "globex"})
  void multipart_unknownLengthStreamAboveThreshold_roundTripsAndLeavesNoUpload(String id) {
    TenantStorage storage = client.forTenant(tenant(id));
    byte[] big = new byte[12 * 1024 * 1024 + 123];
    new Random(7).nextBytes(big);
    storage.put("big/blob.bin", new ByteArrayInputStream(big), PutOptions.contentType("application/octet-stream"));
    assertThat(storage.get("big/blob.bin")).isEqualTo(big);
    assertThat(storage.getRange("big/blob.bin", 6 * 1024 * 1024, 6 * 1024 * 1024 + 9))
        .isEqualTo(java.util.Arrays.copyOfRange(big, 6 * 1024 * 1024, 6 * 1024 * 1024 + 10));
    String bucket = tenant(id).storage().orElseThrow().bucket();
    assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    storage.delete("big/blob.bin");
  }

  @Test
  void paging_over1100Keys_allRelativeAndComplete() {
    TenantStorage storage = client.forTenant(globex);
    for (int i = 0; i < 1100; i++) {
      storage.put(String.format("paging/%04d.txt", i), new byte[] {(byte) i}, PutOptions.none());
    }
    List<String> keys = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      ListPage page = storage.list("paging/", null, 1000, token);
      page.objects().forEach(o -> keys.add(o.key()));
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(2);
    assertThat(keys).hasSize(1100).allMatch(k -> k.startsWith("paging/")).doesNotHaveDuplicates();
    // Another tenant cannot continue this listing with the token.
    String first = storage.list("paging/", null, 1000, null).nextToken();
    assertThatThrownBy(() -> client.forTenant(initech).list("paging/", null, 1000, first))
        .isInstanceOf(StorageException.IsolationViolation.class);
    assertThatThrownBy(() -> storage.list("", null, 1000, first))
        .as("same tenant, other listing").isInstanceOf(StorageException.IsolationViolation.class);
    assertThatThrownBy(() -> storage.list("paging/", null, 1000, "forged.token"))
        .isInstanceOf(StorageException.IsolationViolation.class);
    List<String> all = new ArrayList<>(keys);
    storage.delete(all);
    assertThat(storage.list("paging/", null, 10, null).objects()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"acme", "globex"})
  void presignedGetAndPut_throughAPlainHttpClient(String id) throws Exception {
    TenantStorage storage = client.forTenant(tenant(id));
    HttpClient http = HttpClient.newHttpClient();
    PresignedUpload upload = storage.presignPut("presigned/up.txt", Duration.ofMinutes(2), "text/plain");
    assertThat(upload.headers()).containsEntry("content-type", "text/plain")
        .containsEntry("x-amz-server-side-encryption", "AES256");
    HttpRequest.Builder put = HttpRequest.newBuilder(upload.url().toURI());
    upload.headers().forEach(put::header);
    HttpResponse<String> up = http.send(put.PUT(HttpRequest.BodyPublishers.ofString("uploaded by url")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(up.statusCode()).isEqualTo(200);
    // Without the signed headers the URL is refused: nobody can upload unencrypted through it.
    HttpResponse<String> bare = http.send(HttpRequest.newBuilder(upload.url().toURI())
        .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bare.statusCode()).isEqualTo(403);
    assertThat(new String(storage.get("presigned/up.txt"), StandardCharsets.UTF_8)).isEqualTo("uploaded by url");
    URI get = storage.presignGet("presigned/up.txt", Duration.ofMinutes(1)).toURI();
    assertThat(http.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofString()).body())
        .isEqualTo("uploaded by url");
    assertThatThrownBy(() -> storage.presignGet("presigned/up.txt", Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 s and 1 hour, was 2 hours");
    storage.delete("presigned/up.txt");
  }

  @Test
  void create_sendsIfNoneMatchStar() throws Exception {
    // S3 refuses a conditional create over an existing object with 412 (mapped to AlreadyExists);
    // S3Proxy 2.6.0 ignores If-None-Match on PUT, so here we prove the header is sent.
    java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    software.amazon.awssdk.core.interceptor.ExecutionInterceptor capture =
        new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
          @Override
          public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
              software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            context.httpRequest().firstMatchingHeader("If-None-Match").ifPresent(seen::add);
          }
        };
    try (software.amazon.awssdk.services.s3.S3Client capturing = s3.clientBuilder()
        .overrideConfiguration(o -> o.addExecutionInterceptor(capture)).build()) {
      TenantStorageClient c = TenantStorageClient.builder().s3Client(capturing).build();
      c.forTenant(globex).create("conditional.txt", new byte[] {1}, PutOptions.none());
      c.forTenant(globex).put("plain.txt", new byte[] {1}, PutOptions.none());
      c.forTenant(globex).delete(List.of("conditional.txt", "plain.txt"));
    }
    assertThat(seen).containsExactly("*");
  }

  @Test
  void current_readsTheTenantScope() {
    try (TenantScope ignored = TenantContext.open(globex)) {
      client.current().put("scoped.txt", new byte[] {1}, PutOptions.none());
    }
    assertThat(s3.keys(TestTenants.SHARED_BUCKET)).contains("tenants/globex/scoped.txt");
    assertThatThrownBy(() -> client.current()).isInstanceOf(dev.tenantkit.core.NoTenantException.class);
    client.forTenant(globex).delete("scoped.txt");
  }

  @Test
  void edges_ranges_pageSizes_batchDeletes_missingObjects_andPresignLifetimes() throws Exception {
    TenantStorage storage = client.forTenant(globex);
    storage.put("edges/one.txt", "abcdef".getBytes(StandardCharsets.UTF_8), PutOptions.none());
    assertThat(storage.getRange("edges/one.txt", 0, 0)).containsExactly('a');
    assertThat(storage.getRange("edges/one.txt", 2, 2)).containsExactly('c');
    assertThatThrownBy(() -> storage.getRange("edges/one.txt", -1, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.getRange("edges/one.txt", 3, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThat(storage.list("edges/", null, 1, null).objects()).hasSize(1);
    assertThat(storage.list("edges/", null, 1000, null).objects()).hasSize(1);
    assertThatThrownBy(() -> storage.list("edges/", null, 0, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.list("edges/", null, 1001, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.open("edges/missing.txt")).isInstanceOf(StorageException.NotFound.class);
    // A batch delete of more than S3's 1,000 keys per request.
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      many.add(String.format("edges/batch/%04d", i));
      storage.put(many.get(i), new byte[] {1}, PutOptions.none());
    }
    storage.delete(many);
    assertThat(storage.list("edges/batch/", null, 10, null).objects()).isEmpty();
    // Presigned lifetimes: positive, at most the maximum (1 hour by default).
    assertThat(storage.presignGet("edges/one.txt", Duration.ofHours(1))).isNotNull();
    assertThatThrownBy(() -> storage.presignGet("edges/one.txt", Duration.ofHours(1).plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.presignGet("edges/one.txt", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.presignGet("edges/one.txt", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    // Below 1 s a signature's whole-second expiry would be 0; the message names the range.
    assertThatThrownBy(() -> storage.presignGet("edges/one.txt", Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("presigned URL lifetime must be between 1 s and 1 hour, was 500 ms");
    storage.delete("edges/one.txt");
  }
}
