package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.testkit.AwsWireProtocol;
import dev.tenantkit.testkit.LoopbackAwsEndpoint;
import dev.tenantkit.testkit.TestTenants;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What tenant storage does with S3 answers S3Proxy never gives (it ignores {@code If-None-Match}
 * on PUT and deletes every key of a batch): the real SDK client against a loopback endpoint that
 * answers S3's REST-XML, so the SDK's own parsing of the 412 and of a batch's errors runs.
 */
class S3AnswersIntegrationTest {
  static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";

  /** An S3 that holds one existing key and fails the batch deletes it is told to. */
  static final class FakeS3 extends LoopbackAwsEndpoint {
    volatile boolean deleteErrors;

    FakeS3() {
      super(AwsWireProtocol.query(NS));
    }

    @Override
    protected Reply answer(Call call) {
      if (call.method().equals("PUT") && "*".equals(call.header("If-None-Match"))
          && call.path().endsWith("/racing.txt")) {
        // S3's answer when another conditional write to the key is in flight.
        return Reply.of(409, "application/xml", "<Error><Code>ConditionalRequestConflict</Code>"
            + "<Message>A conflicting conditional operation is currently in progress</Message></Error>");
      }
      if (call.method().equals("PUT") && call.path().endsWith("/slow.txt")) {
        // S3 shedding load: a 503 the SDK retries, then gives up on.
        return Reply.of(503, "application/xml", "<Error><Code>SlowDown</Code>"
            + "<Message>Please reduce your request rate.</Message></Error>");
      }
      if (call.method().equals("PUT")) {
        return "*".equals(call.header("If-None-Match")) && call.path().endsWith("/taken.txt")
            ? Reply.of(412, "application/xml", "<Error><Code>PreconditionFailed</Code>"
                + "<Message>At least one of the pre-conditions you specified did not hold</Message></Error>")
            : Reply.of(200, "application/xml", "");
      }
      if (call.method().equals("POST")) { // DeleteObjects
        String body = deleteErrors
            ? "<Error><Key>x</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>" : "";
        return Reply.of(200, "application/xml", "<DeleteResult xmlns=\"" + NS + "\">" + body + "</DeleteResult>");
      }
      return Reply.of(404, "application/xml", "<Error><Code>NoSuchKey</Code><Message>none</Message></Error>");
    }
  }

  FakeS3 fake;
  S3Client s3;
  TenantStorage acme;

  @BeforeEach
  void start() {
    fake = new FakeS3();
    s3 = fake.client(S3Client.builder().forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
    Tenant tenant = TestTenants.silo("acme").build();
    acme = TenantStorageClient.builder().s3Client(s3).build().forTenant(tenant);
  }

  @AfterEach
  void stop() {
    s3.close();
    fake.close();
  }

  @Test
  void s3SheddingLoad_isUnavailable_a503WithRetryAfter_namingTheTenantAndS3sCode() {
    assertThatThrownBy(() -> acme.put("slow.txt", new byte[] {1}, PutOptions.none()))
        .isInstanceOfSatisfying(StorageException.Unavailable.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(503);
          assertThat(e.problemHeaders()).containsEntry("Retry-After", "1");
        })
        .hasMessageContaining("acme").hasMessageContaining("SlowDown").hasMessageContaining("HTTP 503");
    // A client error of S3's stays a plain failure.
    assertThatThrownBy(() -> acme.get("missing.txt")).isInstanceOf(StorageException.NotFound.class);
  }

  @Test
  void s3NotReached_everyOperationIsUnavailable_namingTheTenantAndTheKindOfFailure() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort(); // nothing listens here once closed: connections are refused
    }
    try (S3Client unreachable = S3Client.builder().forcePathStyle(true).region(software.amazon.awssdk.regions.Region.EU_WEST_1)
        .endpointOverride(java.net.URI.create("http://127.0.0.1:" + closed))
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("k", "s")))
        .build()) {
      TenantStorage storage = TenantStorageClient.builder().s3Client(unreachable).build()
          .forTenant(TestTenants.silo("acme").build());
      List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = List.of(
          () -> storage.put("a.txt", new byte[] {1}, PutOptions.none()), () -> storage.get("a.txt"),
          () -> storage.head("a.txt"), () -> storage.list("", null, 10, null), () -> storage.delete("a.txt"));
      for (var call : calls) {
        assertThatThrownBy(call).isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("acme")
            .hasMessageContaining("could not reach S3").hasMessageNotContaining("127.0.0.1");
      }
    }
  }

  @Test
  void anSdkFailureThatRetryingWouldNotMend_isAPlainStorageFailure_notUnavailable() {
    Map<software.amazon.awssdk.core.exception.SdkClientException, String> failures = Map.of(
        software.amazon.awssdk.core.exception.SdkClientException.create("the request could not be built"),
        "SdkClientException",
        software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute HTTP request",
            new javax.net.ssl.SSLHandshakeException("PKIX path building failed")), "SSLHandshakeException",
        software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute HTTP request",
            new java.net.UnknownHostException("acme-bucket.s3.no-such-region.amazonaws.com")), "UnknownHostException");
    for (var failure : failures.entrySet()) {
      try (S3Client failing = fake.client(S3Client.builder().forcePathStyle(true)
          .overrideConfiguration(c -> c.addExecutionInterceptor(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
              throw failure.getKey();
            }
          })))) {
        TenantStorage storage = TenantStorageClient.builder().s3Client(failing).build()
            .forTenant(TestTenants.silo("acme").build());
        assertThatThrownBy(() -> storage.put("a.txt", new byte[] {1}, PutOptions.none()))
            .isExactlyInstanceOf(StorageException.class).hasMessageContaining("acme")
            .hasMessageContaining(failure.getValue()).hasMessageNotContaining("amazonaws.com");
      }
    }
  }

  @Test
  void create_whenS3SaysTheKeyExistsOrIsBeingWritten_isAlreadyExistsNamingTheTenantsKey() {
    assertThatThrownBy(() -> acme.create("taken.txt", new byte[] {1}, PutOptions.none()))
        .isInstanceOf(StorageException.AlreadyExists.class).hasMessageContaining("taken.txt");
    assertThatThrownBy(() -> acme.create("racing.txt", new byte[] {1}, PutOptions.none()))
        .isInstanceOf(StorageException.AlreadyExists.class).hasMessageContaining("racing.txt");
    acme.create("free.txt", new byte[] {1}, PutOptions.none());
    assertThat(fake.calls()).extracting(c -> c.header("If-None-Match")).containsOnly("*");
  }

  @Test
  void delete_batchOfExactlyOneThousand_isOneRequest_andMoreAreSplitAtOneThousand() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      keys.add("batch/" + i);
    }
    acme.delete(keys);
    assertThat(fake.calls()).hasSize(1);
    keys.add("batch/1000");
    acme.delete(keys);
    assertThat(fake.calls()).hasSize(3);
  }

  @Test
  void delete_whenS3ReportsErrorsForSomeKeys_failsNamingTheTenantAndTheCount() {
    fake.deleteErrors = true;
    assertThatThrownBy(() -> acme.delete(List.of("a", "b")))
        .isInstanceOf(StorageException.class).hasMessageContaining("tenant acme")
        .hasMessageContaining("1 object(s)").hasMessageContaining("AccessDenied");
  }
}
