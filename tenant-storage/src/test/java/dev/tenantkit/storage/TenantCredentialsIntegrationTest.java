package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.LoopbackSts;
import dev.tenantkit.testkit.TestTenants;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/** Tenant-scoped STS credentials against {@link LoopbackSts}, the SDK's own STS client talking to it. */
class TenantCredentialsIntegrationTest {
  static final String ROLE = "arn:aws:iam::111122223333:role/tenantkit-storage";
  LoopbackSts loopback;
  StsClient sts;

  @BeforeEach
  void start() {
    loopback = new LoopbackSts();
    sts = loopback.client(StsClient.builder());
  }

  @AfterEach
  void stop() {
    sts.close();
    loopback.close();
  }

  /** The parameters of every AssumeRole call so far. */
  List<Map<String, String>> calls() {
    return loopback.calls().stream().map(LoopbackSts.Call::params).toList();
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
      assertThat(calls()).as("one STS call per tenant, not per request").hasSize(2);
      assertThat(again.sessionToken()).isEqualTo(a.sessionToken());
      assertThat(g.sessionToken()).isNotEqualTo(a.sessionToken());

      Map<String, String> acme = calls().get(0);
      assertThat(acme).containsEntry("Action", "AssumeRole").containsEntry("RoleArn", ROLE)
          .containsEntry("RoleSessionName", "tenantkit-acme").containsEntry("DurationSeconds", "3600")
          .containsEntry("Tags.member.1.Key", "TenantId").containsEntry("Tags.member.1.Value", "acme")
          .containsEntry("TransitiveTagKeys.member.1", "TenantId");
      String policy = acme.get("Policy");
      assertThat(policy).isEqualTo(SessionPolicies.forStorage(pooled("acme").storage().orElseThrow(), ROLE));
      assertThat(new ObjectMapper().readTree(policy).toString()).contains("tenants/acme/").doesNotContain("globex");
      assertThat(calls().get(1)).containsEntry("Tags.member.1.Value", "globex");
      assertThat(calls().get(1).get("Policy")).contains("tenants/globex/").doesNotContain("tenants/acme/");
    }
  }

  @Test
  void clear_dropsEverySession_soTheNextCallAssumesTheRoleAgain() {
    try (TenantCredentials creds = TenantCredentials.builder().sts(sts).build()) {
      AwsSessionCredentials before = (AwsSessionCredentials) creds.forTenant(pooled("acme")).resolveCredentials();
      creds.clear(); // as after a SnapStart restore
      AwsSessionCredentials after = (AwsSessionCredentials) creds.forTenant(pooled("acme")).resolveCredentials();
      assertThat(calls()).hasSize(2);
      assertThat(after.sessionToken()).isNotEqualTo(before.sessionToken());
      assertThat(calls().get(1)).containsEntry("Tags.member.1.Value", "acme");
    }
  }

  @Test
  void credentialsNearExpiry_refreshedBeforeTheyLapse() {
    // 30 s before expiry is inside the SDK's stale window (1 minute), where a refresh is
    // mandatory; the 5-minute prefetch window is jittered by the SDK, so not asserted on.
    loopback.expiresIn(Duration.ofSeconds(30));
    try (TenantCredentials creds = TenantCredentials.builder().sts(sts).build()) {
      AwsCredentialsProvider p = creds.forTenant(pooled("acme"));
      p.resolveCredentials();
      loopback.expiresIn(Duration.ofHours(1));
      p.resolveCredentials();
      assertThat(calls()).hasSize(2);
      p.resolveCredentials();
      assertThat(calls()).as("fresh again: cached").hasSize(2);
    }
  }

  @Test
  void customTag_noPolicy_andMissingRoleRefused() {
    try (TenantCredentials creds = TenantCredentials.builder().sts(sts).tagKey("tenant").sessionPolicy(false).build()) {
      creds.forTenant(pooled("acme")).resolveCredentials();
      assertThat(calls().get(0)).containsEntry("Tags.member.1.Key", "tenant").doesNotContainKey("Policy");
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
      assertThat(calls()).hasSize(2);
      assertThat(calls().get(1)).containsEntry("RoleArn", otherRole);
      assertThat(calls().get(1).get("Policy")).contains("tenants/acme/v2/");
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
