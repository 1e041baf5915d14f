package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.TestTenants;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * No STS server runs here: the real SDK STS client talks to a loopback endpoint that answers
 * AssumeRole in the STS query protocol (form-encoded POST in, XML out), so the SDK's own
 * marshalling runs and the test sees exactly what would be sent to AWS.
 */
class TenantCredentialsIntegrationTest {
  static final String ROLE = "arn:aws:iam::111122223333:role/tenantkit-storage";
  HttpServer server;
  StsClient sts;
  final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();
  volatile Duration expiresIn = Duration.ofHours(1);

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger n = new AtomicInteger();
    server.createContext("/", ex -> {
      Map<String, String> form = new LinkedHashMap<>();
      for (String pair : new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
        int eq = pair.indexOf('=');
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
      calls.add(form);
      int i = n.incrementAndGet();
      String xml = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
          + "<Credentials><AccessKeyId>ASIAEXAMPLE" + i + "</AccessKeyId><SecretAccessKey>secret" + i
          + "</SecretAccessKey><SessionToken>token" + i + "</SessionToken><Expiration>"
          + Instant.now().plus(expiresIn) + "</Expiration></Credentials>"
          + "<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/tenantkit-storage/"
          + form.get("RoleSessionName") + "</Arn><AssumedRoleId>AROAEXAMPLE:" + form.get("RoleSessionName")
          + "</AssumedRoleId></AssumedRoleUser><PackedPolicySize>12</PackedPolicySize></AssumeRoleResult>"
          + "<ResponseMetadata><RequestId>req-" + i + "</RequestId></ResponseMetadata></AssumeRoleResponse>";
      byte[] body = xml.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/xml");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    sts = StsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "base-secret")))
        .build();
  }

  @AfterEach
  void stop() {
    sts.close();
    server.stop(0);
  }

  static Tenant pooled(String id) {
    Tenant t = TestTenants.pooled(id).build();
    return t.toBuilder().storage(t.storage().orElseThrow().toBuilder().roleArn(ROLE).build()).build();
  }

  @Test
  void assumeRole_carriesTenantTagAndSessionPolicy_cachedPerTenant() throws Exception {
    try (TenantCredentials creds = TenantCredentials.builder().sts(sts).build()) {
      AwsSessionCredentials a = (AwsSessionCredentials) creds.forTenant(pooled("acme")).resolveCredentials();
      AwsSessionCredentials again = (AwsSessionCredentials) creds.forTenant(pooled("acme")).resolveCredentials();
      AwsSessionCredentials g = (AwsSessionCredentials) creds.forTenant(pooled("globex")).resolveCredentials();
      assertThat(calls).as("one STS call per tenant, not per request").hasSize(2);
      assertThat(again.sessionToken()).isEqualTo(a.sessionToken());
      assertThat(g.sessionToken()).isNotEqualTo(a.sessionToken());

      Map<String, String> acme = calls.get(0);
      assertThat(acme).containsEntry("Action", "AssumeRole").containsEntry("RoleArn", ROLE)
          .containsEntry("RoleSessionName", "tenantkit-acme").containsEntry("DurationSeconds", "3600")
          .containsEntry("Tags.member.1.Key", "TenantId").containsEntry("Tags.member.1.Value", "acme")
          .containsEntry("TransitiveTagKeys.member.1", "TenantId");
      String policy = acme.get("Policy");
      assertThat(policy).isEqualTo(SessionPolicies.forStorage(pooled("acme").storage().orElseThrow(), ROLE));
      assertThat(new ObjectMapper().readTree(policy).toString()).contains("tenants/acme/").doesNotContain("globex");
      assertThat(calls.get(1)).containsEntry("Tags.member.1.Value", "globex");
      assertThat(calls.get(1).get("Policy")).contains("tenants/globex/").doesNotContain("tenants/acme/");
    }
  }

  @Test
  void credentialsNearExpiry_refreshedBeforeTheyLapse() {
    // 30 s before expiry is inside the SDK's stale window (1 minute), where a refresh is
    // mandatory; the 5-minute prefetch window is jittered by the SDK, so not asserted on.
    expiresIn = Duration.ofSeconds(30);
    try (TenantCredentials creds = TenantCredentials.builder().sts(sts).build()) {
      AwsCredentialsProvider p = creds.forTenant(pooled("acme"));
      p.resolveCredentials();
      expiresIn = Duration.ofHours(1);
      p.resolveCredentials();
      assertThat(calls).hasSize(2);
      p.resolveCredentials();
      assertThat(calls).as("fresh again: cached").hasSize(2);
    }
  }

  @Test
  void customTag_noPolicy_andMissingRoleRefused() {
    try (TenantCredentials creds = TenantCredentials.builder().sts(sts).tagKey("tenant").sessionPolicy(false).build()) {
      creds.forTenant(pooled("acme")).resolveCredentials();
      assertThat(calls.get(0)).containsEntry("Tags.member.1.Key", "tenant").doesNotContainKey("Policy");
      assertThatThrownBy(() -> creds.forTenant(TestTenants.pooled("norole").build()))
          .isInstanceOf(TenantConfigurationException.class).hasMessageContaining("roleArn");
    }
  }

  @Test
  void recordChange_replacesTheProviderOnTheNextCall_withTheNewRoleAndPolicy() {
    try (TenantCredentials creds = TenantCredentials.builder().sts(sts).build()) {
      Tenant before = pooled("acme");
      AwsCredentialsProvider first = creds.forTenant(before);
      first.resolveCredentials();
      String otherRole = "arn:aws:iam::111122223333:role/tenantkit-storage-v2";
      Tenant after = before.toBuilder().storage(before.storage().orElseThrow().toBuilder().roleArn(otherRole)
          .prefix("tenants/acme/v2/").build()).build();
      AwsCredentialsProvider second = creds.forTenant(after);
      assertThat(second).isNotSameAs(first);
      second.resolveCredentials();
      assertThat(calls).hasSize(2);
      assertThat(calls.get(1)).containsEntry("RoleArn", otherRole);
      assertThat(calls.get(1).get("Policy")).contains("tenants/acme/v2/");
      // The same record again: the new provider is reused, no STS call.
      assertThat(creds.forTenant(after)).isSameAs(second);
      // The replaced provider was not closed under a thread still holding it: it still answers.
      assertThat(((AwsSessionCredentials) first.resolveCredentials()).sessionToken()).isEqualTo("token1");
    }
  }

  @Test
  void storageView_signsEveryRequestAndPresignedUrlWithTheTenantsSession() throws Exception {
    List<String> authorizations = new CopyOnWriteArrayList<>();
    List<String> sessionTokens = new CopyOnWriteArrayList<>();
    try (LocalS3 local = LocalS3.start();
        S3Client s3 = local.clientBuilder().overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            authorizations.add(context.httpRequest().firstMatchingHeader("Authorization").orElse(""));
            sessionTokens.add(context.httpRequest().firstMatchingHeader("X-Amz-Security-Token").orElse(""));
          }
        })).build();
        TenantCredentials creds = TenantCredentials.builder().sts(sts).build()) {
      local.createBucket(TestTenants.SHARED_BUCKET);
      TenantStorageClient storage = TenantStorageClient.builder().s3Client(s3).presigner(local.presigner())
          .credentials(creds).build();
      TenantStorage acme = storage.forTenant(pooled("acme"));
      TenantStorage globex = storage.forTenant(pooled("globex"));
      // S3Proxy does not know the sessions STS handed out, so it refuses them: what matters is
      // what each request was signed with.
      assertThatThrownBy(() -> acme.put("a.txt", new byte[] {1}, PutOptions.none())).isInstanceOf(StorageException.class);
      assertThatThrownBy(() -> globex.get("b.txt")).isInstanceOf(StorageException.class);
      assertThat(authorizations).hasSize(2);
      assertThat(authorizations.get(0)).contains("Credential=ASIAEXAMPLE1/");
      assertThat(sessionTokens.get(0)).isEqualTo("token1");
      assertThat(authorizations.get(1)).contains("Credential=ASIAEXAMPLE2/");
      assertThat(sessionTokens.get(1)).isEqualTo("token2");
      String url = acme.presignGet("a.txt", Duration.ofMinutes(1)).toString();
      assertThat(url).contains("X-Amz-Credential=ASIAEXAMPLE1").contains("X-Amz-Security-Token=token1");
    }
  }
}
