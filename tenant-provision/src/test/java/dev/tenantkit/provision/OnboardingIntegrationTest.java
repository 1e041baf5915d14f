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
 * Onboarding end to end with the real SDK clients: CloudFormation against a loopback endpoint
 * speaking its query protocol (no CloudFormation emulator exists here), EC2 for the preflight
 * likewise, and the template uploaded to a real S3 protocol server (LocalS3), since a tenant
 * template is over CloudFormation's inline limit.
 */
class OnboardingIntegrationTest {
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

  @Test
  void onboard_deploysThroughAChangeSet_streamsEvents_andWritesOutputsIntoTheRecord(@TempDir Path dir) throws Exception {
    Path catalogFile = dir.resolve("catalog.json");
    List<String> progress = new ArrayList<>();
    List<TenantStatus> saved = new ArrayList<>();
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      cfn.outputsOnCreate.putAll(outputs("acme"));
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = TenantOnboarding.builder().catalog(catalog)
          .deployer(StackDeployer.builder().cloudFormation(cfn.client()).templateBucket(s3.client(), TEMPLATES)
              .pollInterval(Duration.ofMillis(1)).progress(progress::add).build())
          .preflight(Preflight.builder().ec2(ec2.client()).build())
          .onChange(c -> {
            saved.add(c.find(TenantId.of("acme")).orElseThrow().status());
            try {
              TenantCatalog.writeFile(catalogFile, c.all());
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .build();

      Tenant acme = onboarding.onboard(Synth.spec("standard").build());

      assertThat(saved).containsExactly(TenantStatus.REQUESTED, TenantStatus.PROVISIONING, TenantStatus.ACTIVE);
      assertThat(acme.status()).isEqualTo(TenantStatus.ACTIVE);
      assertThat(acme.identity().orElseThrow().userPoolId()).isEqualTo("eu-west-1_AbC123");
      assertThat(acme.storage().orElseThrow().bucket()).isEqualTo("tenantkit-acme-storagedata1a2b3c");
      DatabaseConfig db = acme.database().orElseThrow();
      assertThat(db.credentials()).isEqualTo(DatabaseConfig.CredentialsSource.IAM);
      assertThat(db.host()).isEqualTo("acme.abc123.eu-west-1.rds.amazonaws.com");
      assertThat(acme.stack().orElseThrow().albDnsName()).contains("elb.amazonaws.com");
      // The file the service reads now has the ACTIVE record, with no hand editing.
      assertThat(TenantCatalog.fromFile(catalogFile).require(TenantId.of("acme"))).isEqualTo(acme);

      // Preflight ran; the change set carried the capabilities and tags; the template went via S3.
      assertThat(ec2.actions).contains("DescribeVpcs", "DescribeAddresses", "DescribeAccountAttributes",
          "DescribeNatGateways");
      LoopbackCloudFormation.Call create = cfn.calls.stream().filter(c -> c.action().equals("CreateChangeSet"))
          .findFirst().orElseThrow();
      assertThat(create.params()).containsEntry("ChangeSetType", "CREATE").containsEntry("StackName", "tenantkit-acme")
          .containsValue("CAPABILITY_AUTO_EXPAND").containsValue("tenantkit:tenant").doesNotContainKey("TemplateBody");
      String url = create.params().get("TemplateURL");
      assertThat(url).contains(TEMPLATES).contains("tenantkit/templates/tenantkit-acme/");
      String key = url.substring(url.indexOf("tenantkit/templates/"));
      String uploaded = s3.client().getObjectAsBytes(b -> b.bucket(TEMPLATES).key(key)).asString(StandardCharsets.UTF_8);
      assertThat(uploaded).contains("\"AWS::RDS::DBInstance\"")
          .hasSizeGreaterThan(StackDeployer.INLINE_TEMPLATE_LIMIT);
      assertThat(cfn.actions()).containsSubsequence("CreateChangeSet", "DescribeChangeSet", "ExecuteChangeSet",
          "DescribeStacks");
      assertThat(progress).anyMatch(l -> l.contains("AWS::EC2::VPC") && l.contains("CREATE_COMPLETE"));
      assertThat(progress).anyMatch(l -> l.contains("tenantkit-acme") && l.contains("CREATE_COMPLETE"));

      // Onboarding again is safe: no changes, still ACTIVE, same record.
      int executions = (int) cfn.actions().stream().filter("ExecuteChangeSet"::equals).count();
      Tenant again = onboarding.onboard(Synth.spec("standard").build());
      assertThat(again).isEqualTo(acme);
      assertThat(cfn.actions().stream().filter("ExecuteChangeSet"::equals).count()).isEqualTo(executions);
      assertThat(progress).anyMatch(l -> l.contains("no changes"));
    }
  }

  @Test
  void failedDeployment_leavesTheRecordFailedWithTheReason_andOnboardingResumes() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      cfn.outputsOnCreate.putAll(outputs("globex"));
      cfn.failNextAt = "DatabaseInstanceAA8A5FDE";
      cfn.failNextReason = "DB instance class db.m6g.large is not supported in eu-west-1b";
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = TenantOnboarding.builder().catalog(catalog)
          .deployer(StackDeployer.builder().cloudFormation(cfn.client()).templateBucket(s3.client(), TEMPLATES)
              .pollInterval(Duration.ofMillis(1)).build())
          .preflight(Preflight.builder().ec2(ec2.client()).build()).build();
      TenantStackSpec spec = Synth.spec("basic").tenant("globex").build();

      assertThatThrownBy(() -> onboarding.onboard(spec)).isInstanceOfSatisfying(OnboardingException.class, e -> {
        assertThat(e.record().status()).isEqualTo(TenantStatus.FAILED);
        assertThat(e.getMessage()).contains("ROLLBACK_COMPLETE").contains("not supported in eu-west-1b");
      });
      Tenant failed = catalog.find(TenantId.of("globex")).orElseThrow();
      assertThat(failed.status()).isEqualTo(TenantStatus.FAILED);
      assertThat(failed.statusReason()).hasValueSatisfying(r -> assertThat(r).contains("DatabaseInstanceAA8A5FDE"));

      // Resume: the rolled-back stack is deleted and created again; the tenant becomes ACTIVE.
      Tenant resumed = onboarding.onboard(spec);
      assertThat(resumed.status()).isEqualTo(TenantStatus.ACTIVE);
      assertThat(cfn.actions()).containsSubsequence("ExecuteChangeSet", "UpdateTerminationProtection", "DeleteStack",
          "CreateChangeSet", "ExecuteChangeSet");
    }
  }

  @Test
  void preflight_refusesWhenTheRegionsQuotasCannotHoldTheStack_beforeAnythingIsDeployed() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      ec2.vpcs = 3;
      ec2.elasticIps = 4; // two premium tenants' worth of NAT gateways in two AZs
      ec2.natGatewayAzs.addAll(List.of("eu-west-1a", "eu-west-1b", "eu-west-1a", "eu-west-1b"));
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = TenantOnboarding.builder().catalog(catalog)
          .deployer(StackDeployer.builder().cloudFormation(cfn.client()).templateBucket(s3.client(), TEMPLATES)
              .pollInterval(Duration.ofMillis(1)).build())
          .preflight(Preflight.builder().ec2(ec2.client()).build()).build();

      assertThatThrownBy(() -> onboarding.onboard(Synth.spec("premium").tenant("initech").build()))
          .isInstanceOfSatisfying(OnboardingException.class, e -> {
            assertThat(e.getCause()).isInstanceOf(PreflightException.class);
            assertThat(((PreflightException) e.getCause()).shortfalls()).containsExactly(
                "Elastic IPs: the stack needs 2 (one per NAT gateway), 4 of 5 are in use in eu-west-1 "
                    + "(quota L-0263D0A3, EC2-VPC Elastic IPs)");
            assertThat(e.record().status()).isEqualTo(TenantStatus.FAILED);
          });
      assertThat(cfn.actions()).doesNotContain("CreateChangeSet");
    }
  }

  @Test
  void offboardDeletingData_appliesTheDisposableVariant_emptiesTheBuckets_thenDeletes() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation()) {
      Map<String, String> outputs = outputs("wonka");
      outputs.put(StackOutputs.LOGS_BUCKET_NAME, "tenantkit-wonka-storagelogs1a2b3c");
      cfn.outputsOnCreate.putAll(outputs);
      for (String bucket : List.of(outputs.get(StackOutputs.BUCKET_NAME), outputs.get(StackOutputs.LOGS_BUCKET_NAME))) {
        s3.createBucket(bucket);
        for (int i = 0; i < 3; i++) {
          s3.client().putObject(b -> b.bucket(bucket).key("k" + java.util.UUID.randomUUID()),
              software.amazon.awssdk.core.sync.RequestBody.fromString("data"));
        }
      }
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = TenantOnboarding.builder().catalog(catalog).s3(s3.client())
          .deployer(StackDeployer.builder().cloudFormation(cfn.client()).templateBucket(s3.client(), TEMPLATES)
              .pollInterval(Duration.ofMillis(1)).build()).build();
      TenantStackSpec spec = Synth.spec("basic").tenant("wonka").build();
      onboarding.onboard(spec);

      assertThat(onboarding.offboardDeletingData(spec).status()).isEqualTo(TenantStatus.OFFBOARDED);
      assertThat(s3.keys(outputs.get(StackOutputs.BUCKET_NAME))).isEmpty();
      assertThat(s3.keys(outputs.get(StackOutputs.LOGS_BUCKET_NAME))).isEmpty();
      assertThat(cfn.stacks).doesNotContainKey("tenantkit-wonka");
      // The update before the deletion carried the disposable template.
      String url = cfn.calls.stream().filter(c -> c.action().equals("CreateChangeSet")
          && "UPDATE".equals(c.params().get("ChangeSetType"))).findFirst().orElseThrow().params().get("TemplateURL");
      String key = url.substring(url.indexOf("tenantkit/templates/"));
      assertThat(s3.client().getObjectAsBytes(b -> b.bucket(TEMPLATES).key(key)).asString(StandardCharsets.UTF_8))
          .contains("\"DeletionProtection\" : false");
    }
  }

  @Test
  void lifecycle_suspendReactivateOffboard_andOnlyLegalMoves() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation()) {
      cfn.outputsOnCreate.putAll(outputs("hooli"));
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = TenantOnboarding.builder().catalog(catalog)
          .deployer(StackDeployer.builder().cloudFormation(cfn.client()).templateBucket(s3.client(), TEMPLATES)
              .pollInterval(Duration.ofMillis(1)).build()).build();
      TenantId hooli = TenantId.of("hooli");
      onboarding.onboard(Synth.spec("basic").tenant("hooli").build());

      assertThat(onboarding.suspend(hooli, "unpaid invoice").status()).isEqualTo(TenantStatus.SUSPENDED);
      assertThatThrownBy(() -> onboarding.onboard(Synth.spec("basic").tenant("hooli").build()))
          .isInstanceOf(OnboardingException.class).hasMessageContaining("use reactivate");
      assertThat(onboarding.reactivate(hooli).status()).isEqualTo(TenantStatus.ACTIVE);
      assertThatThrownBy(() -> onboarding.reactivate(hooli)).hasMessageContaining("is ACTIVE, not SUSPENDED");

      assertThat(onboarding.offboard(hooli).status()).isEqualTo(TenantStatus.OFFBOARDED);
      assertThat(cfn.stacks).doesNotContainKey("tenantkit-hooli");
      assertThat(onboarding.offboard(hooli).status()).isEqualTo(TenantStatus.OFFBOARDED); // idempotent
    }
  }
}
