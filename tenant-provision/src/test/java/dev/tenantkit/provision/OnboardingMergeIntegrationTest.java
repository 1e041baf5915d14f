package dev.tenantkit.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.core.WritableTenantCatalog;
import dev.tenantkit.testkit.LocalS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by an independent review: an operator's {@code anyClient} on the tenant's own pool made
 * the merge of a later update's outputs fail after the stack had changed, and the record then
 * said "nothing was changed". Onboarding end to end with the real SDK clients: CloudFormation against a loopback endpoint
 * speaking its query protocol (no CloudFormation emulator exists here), EC2 for the preflight
 * likewise, and the template uploaded to a real S3 protocol server (LocalS3), since a tenant
 * template is over CloudFormation's inline limit.
 */
class OnboardingMergeIntegrationTest {
  private static LocalS3 s3;
  private static final String TEMPLATES = "tenantkit-templates";

  @BeforeAll
  static void startS3() {
    s3 = LocalS3.start();
    s3.createBucket(TEMPLATES);
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  private static Map<String, String> outputs(String tenant) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    out.put(StackOutputs.ISSUER, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123");
    out.put(StackOutputs.USER_POOL_ID, "eu-west-1_AbC123");
    out.put(StackOutputs.USER_POOL_CLIENT_ID, "3n4b5urk1ft4fl3mg5e62d9ado");
    out.put(StackOutputs.BUCKET_NAME, "tenantkit-" + tenant + "-storagedata1a2b3c");
    out.put(StackOutputs.KMS_KEY_ARN, "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    out.put(StackOutputs.DATABASE_ENDPOINT, tenant + ".abc123.eu-west-1.rds.amazonaws.com");
    out.put(StackOutputs.DATABASE_PORT, "5432");
    out.put(StackOutputs.DATABASE_NAME, tenant);
    out.put(StackOutputs.DATABASE_USER, "app");
    out.put(StackOutputs.DATABASE_SECRET_ARN, "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf");
    out.put(StackOutputs.ALB_DNS_NAME, "tenantkit-" + tenant + "-123.eu-west-1.elb.amazonaws.com");
    return out;
  }

  private static TenantOnboarding onboarding(WritableTenantCatalog catalog, LoopbackCloudFormation cfn,
      LoopbackEc2 ec2, java.util.function.Consumer<String> progress) {
    return TenantOnboarding.builder().catalog(catalog)
        .deployer(StackDeployer.builder().cloudFormation(cfn.client()).templateBucket(s3.client(), TEMPLATES)
            .pollInterval(Duration.ofMillis(1)).progress(progress).build())
        .preflight(Preflight.builder().ec2(ec2.client()).build()).build();
  }

  @Test
  void update_ofATenantWhoseRecordAcceptsAnyClient_mergesAndKeepsIt() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      cfn.outputsOnCreate.putAll(outputs("acme"));
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = onboarding(catalog, cfn, ec2, line -> { });
      Tenant created = onboarding.onboard(Synth.spec("standard").build());
      catalog.put(created.toBuilder().identity(created.identity().orElseThrow().toBuilder()
          .appClientIds(java.util.Set.of()).anyClient(true).build()).build());
      Map<String, String> updated = new java.util.LinkedHashMap<>(outputs("acme"));
      updated.put(StackOutputs.USER_POOL_CLIENT_ID, "7q8r9s0t1u2v3w4x5y6z7a8b9c"); // the stack replaced its client
      cfn.outputsOnUpdate.putAll(updated);

      Tenant after = onboarding.onboard(Synth.spec("basic").build());
      assertThat(after.status()).isEqualTo(TenantStatus.ACTIVE);
      assertThat(after.tier().name()).isEqualTo("basic");
      assertThat(after.identity().orElseThrow().anyClient()).isTrue();
      assertThat(after.identity().orElseThrow().appClientIds()).isEmpty();
      assertThat(catalog.require(TenantId.of("acme"))).isEqualTo(after);
    }
  }

  @Test
  void update_whoseOutputsTheRecordCannotTake_saysTheStackChanged_notThatNothingDid() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      cfn.outputsOnCreate.putAll(outputs("acme"));
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = onboarding(catalog, cfn, ec2, line -> { });
      onboarding.onboard(Synth.spec("standard").build());
      // Another tenant already holds the load balancer the updated stack reports.
      Map<String, String> updated = new java.util.LinkedHashMap<>(outputs("acme"));
      updated.put(StackOutputs.ALB_DNS_NAME, "shared-alb-1.eu-west-1.elb.amazonaws.com");
      cfn.outputsOnUpdate.putAll(updated);
      catalog.put(Tenant.builder().id("globex").tier("basic").stack(dev.tenantkit.core.StackConfig.builder()
          .name("tenantkit-globex").albDnsName("shared-alb-1.eu-west-1.elb.amazonaws.com").build()).build());

      assertThatThrownBy(() -> onboarding.onboard(Synth.spec("basic").build()))
          .isInstanceOfSatisfying(OnboardingException.class,
              e -> assertThat(e.getMessage()).contains("the stack was changed").contains("albDnsName"));
      Tenant now = catalog.require(TenantId.of("acme"));
      assertThat(now.status()).isEqualTo(TenantStatus.ACTIVE);
      assertThat(now.statusReason().orElseThrow()).contains("the record still describes the previous stack")
          .doesNotContain("nothing was changed");
    }
  }
}
