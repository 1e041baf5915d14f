package dev.tenantkit.provision;

import dev.tenantkit.testkit.LoopbackCloudFormation;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

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
      cfn.outputsOnCreate(outputs("acme"));
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = TenantOnboarding.builder().catalog(catalog)
          .deployer(StackDeployer.builder().cloudFormation(cfn.client(CloudFormationClient.builder())).templateBucket(s3.client(), TEMPLATES)
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
      assertThat(ec2.operations()).contains("DescribeVpcs", "DescribeAddresses", "DescribeAccountAttributes",
          "DescribeNatGateways");
      LoopbackCloudFormation.Call create = cfn.calls().stream().filter(c -> c.operation().equals("CreateChangeSet"))
          .findFirst().orElseThrow();
      assertThat(create.params()).containsEntry("ChangeSetType", "CREATE").containsEntry("StackName", "tenantkit-acme")
          .containsValue("CAPABILITY_AUTO_EXPAND").containsValue("tenantkit:tenant").doesNotContainKey("TemplateBody");
      String url = create.params().get("TemplateURL");
      assertThat(url).contains(TEMPLATES).contains("tenantkit/templates/tenantkit-acme/");
      String key = url.substring(url.indexOf("tenantkit/templates/"));
      String uploaded = s3.client().getObjectAsBytes(b -> b.bucket(TEMPLATES).key(key)).asString(StandardCharsets.UTF_8);
      assertThat(uploaded).contains("\"AWS::RDS::DBInstance\"")
          .hasSizeGreaterThan(StackDeployer.INLINE_TEMPLATE_LIMIT);
      assertThat(cfn.operations()).containsSubsequence("CreateChangeSet", "DescribeChangeSet", "ExecuteChangeSet",
          "DescribeStacks");
      assertThat(progress).anyMatch(l -> l.contains("AWS::EC2::VPC") && l.contains("CREATE_COMPLETE"));
      assertThat(progress).anyMatch(l -> l.contains("tenantkit-acme") && l.contains("CREATE_COMPLETE"));

      // Onboarding again is safe: no changes, still ACTIVE, same record.
      int executions = (int) cfn.operations().stream().filter("ExecuteChangeSet"::equals).count();
      Tenant again = onboarding.onboard(Synth.spec("standard").build());
      assertThat(again).isEqualTo(acme);
      assertThat(cfn.operations().stream().filter("ExecuteChangeSet"::equals).count()).isEqualTo(executions);
      assertThat(progress).anyMatch(l -> l.contains("no changes"));
    }
  }

  @Test
  void failedDeployment_leavesTheRecordFailedWithTheReason_andOnboardingResumes() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      cfn.outputsOnCreate(outputs("globex"));
      cfn.failNextExecution("DatabaseInstanceAA8A5FDE", "DB instance class db.m6g.large is not supported in eu-west-1b");
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = TenantOnboarding.builder().catalog(catalog)
          .deployer(StackDeployer.builder().cloudFormation(cfn.client(CloudFormationClient.builder())).templateBucket(s3.client(), TEMPLATES)
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
      assertThat(cfn.operations()).containsSubsequence("ExecuteChangeSet", "UpdateTerminationProtection", "DeleteStack",
          "CreateChangeSet", "ExecuteChangeSet");
    }
  }

  private static TenantOnboarding onboarding(WritableTenantCatalog catalog, LoopbackCloudFormation cfn,
      LoopbackEc2 ec2, java.util.function.Consumer<String> progress) {
    return TenantOnboarding.builder().catalog(catalog)
        .deployer(StackDeployer.builder().cloudFormation(cfn.client(CloudFormationClient.builder())).templateBucket(s3.client(), TEMPLATES)
            .pollInterval(Duration.ofMillis(1)).progress(progress).build())
        .preflight(Preflight.builder().ec2(ec2.client()).build()).build();
  }

  @Test
  void onboard_whenActive_updatesWhileStillServing_thenActiveWithTheNewTier() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      cfn.outputsOnCreate(outputs("acme"));
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantId acme = TenantId.of("acme");
      onboarding(catalog, cfn, ec2, line -> { }).onboard(Synth.spec("basic").build());
      // While the stack update runs (its streamed events), the catalog must still serve the tenant.
      List<String> servedDuringUpdate = new ArrayList<>();
      List<TenantStatus> saved = new ArrayList<>();
      List<Boolean> served = new ArrayList<>();
      TenantOnboarding watched = TenantOnboarding.builder().catalog(catalog)
          .deployer(StackDeployer.builder().cloudFormation(cfn.client(CloudFormationClient.builder())).templateBucket(s3.client(), TEMPLATES)
              .pollInterval(Duration.ofMillis(1)).progress(line -> {
                Tenant t = catalog.find(acme).orElseThrow();
                if (t.status() == TenantStatus.UPDATING && line.contains("UPDATE_IN_PROGRESS")) {
                  servedDuringUpdate.add(catalog.require(acme).tier().name()); // throws if not served
                }
              }).build())
          .preflight(Preflight.builder().ec2(ec2.client()).build())
          .onChange(c -> {
            Tenant t = c.find(acme).orElseThrow();
            saved.add(t.status());
            served.add(t.status().isServing());
          }).build();

      Tenant updated = watched.onboard(Synth.spec("standard").build()); // a tier change

      assertThat(saved).containsExactly(TenantStatus.UPDATING, TenantStatus.ACTIVE);
      assertThat(served).containsOnly(true);
      // Served throughout, from the record of the stack as it still was (tier basic).
      assertThat(servedDuringUpdate).isNotEmpty().containsOnly("basic");
      assertThat(updated.status()).isEqualTo(TenantStatus.ACTIVE);
      assertThat(updated.tier().name()).isEqualTo("standard");
      assertThat(updated.statusReason()).isEmpty();
      assertThat(cfn.calls().stream().filter(c -> c.operation().equals("CreateChangeSet")).reduce((a, b) -> b)
          .orElseThrow().params()).containsEntry("ChangeSetType", "UPDATE");
    }
  }

  @Test
  void onboard_whenAnUpdateFailsAndRollsBack_theTenantStaysActiveWithTheFailureRecorded() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      cfn.outputsOnCreate(outputs("acme"));
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = onboarding(catalog, cfn, ec2, line -> { });
      Tenant before = onboarding.onboard(Synth.spec("basic").build());
      cfn.failNextExecution("DatabaseInstanceAA8A5FDE", "DB instance class db.t4g.small is not supported for Multi-AZ in eu-west-1b");

      assertThatThrownBy(() -> onboarding.onboard(Synth.spec("standard").build()))
          .isInstanceOfSatisfying(OnboardingException.class, e -> {
            assertThat(e.record().status()).isEqualTo(TenantStatus.ACTIVE);
            assertThat(e.getMessage()).contains("rolled back").contains("still ACTIVE");
          });

      assertThat(cfn.stackStatus("tenantkit-acme").orElseThrow()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
      Tenant after = catalog.find(TenantId.of("acme")).orElseThrow();
      assertThat(after.status()).isEqualTo(TenantStatus.ACTIVE); // never FAILED: the tenant still works
      assertThat(after.statusReason()).hasValueSatisfying(r -> assertThat(r).contains("UPDATE_ROLLBACK_COMPLETE")
          .contains("standard").contains("not supported for Multi-AZ"));
      // The record still describes the stack as it is after the rollback.
      assertThat(after.tier().name()).isEqualTo("basic");
      assertThat(after.toBuilder().statusReason(null).build()).isEqualTo(before);

      // Running it again retries the update; success clears the recorded failure.
      Tenant retried = onboarding.onboard(Synth.spec("standard").build());
      assertThat(retried.status()).isEqualTo(TenantStatus.ACTIVE);
      assertThat(retried.tier().name()).isEqualTo("standard");
      assertThat(retried.statusReason()).isEmpty();
    }
  }

  @Test
  void onboard_again_mergesTheStacksOutputs_keepingWhatTheOperatorAdded() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      cfn.outputsOnCreate(outputs("acme"));
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = onboarding(catalog, cfn, ec2, line -> { });
      Tenant created = onboarding.onboard(Synth.spec("standard").build());
      // The operator adds what the stack does not own.
      catalog.put(created.toBuilder()
          .identity(created.identity().orElseThrow().toBuilder().appClientIds("operatorclient1")
              .jwksUri("https://keys.acme.example.com/jwks.json").build())
          .storage(created.storage().orElseThrow().toBuilder()
              .roleArn("arn:aws:iam::111122223333:role/acme-storage").build())
          .database(created.database().orElseThrow().toBuilder().schema("app").build())
          .build());
      // The update replaces the stack's app client and load balancer, and (basic tier) drops the KMS key.
      Map<String, String> updated = new java.util.LinkedHashMap<>(outputs("acme"));
      updated.put(StackOutputs.USER_POOL_CLIENT_ID, "7q8r9s0t1u2v3w4x5y6z7a8b9c");
      updated.put(StackOutputs.ALB_DNS_NAME, "tenantkit-acme-456.eu-west-1.elb.amazonaws.com");
      updated.remove(StackOutputs.KMS_KEY_ARN);
      cfn.outputsOnUpdate(updated);

      Tenant merged = onboarding.onboard(Synth.spec("basic").build());

      // What the stack owns comes from its outputs...
      assertThat(merged.identity().orElseThrow().appClientIds())
          .containsExactlyInAnyOrder("7q8r9s0t1u2v3w4x5y6z7a8b9c", "operatorclient1"); // old stack client gone
      assertThat(merged.stack().orElseThrow().albDnsName()).isEqualTo("tenantkit-acme-456.eu-west-1.elb.amazonaws.com");
      assertThat(merged.storage().orElseThrow().kmsKeyArn()).isNull();
      assertThat(merged.tier().name()).isEqualTo("basic");
      // ...and what the operator added stays.
      assertThat(merged.identity().orElseThrow().jwksUri()).hasToString("https://keys.acme.example.com/jwks.json");
      assertThat(merged.storage().orElseThrow().roleArn()).isEqualTo("arn:aws:iam::111122223333:role/acme-storage");
      assertThat(merged.database().orElseThrow().schema()).isEqualTo("app");
      assertThat(merged.database().orElseThrow().credentials()).isEqualTo(DatabaseConfig.CredentialsSource.IAM);
    }
  }

  @Test
  void preflight_onAnUpdate_checksOnlyWhatTheChangeAdds() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      cfn.outputsOnCreate(outputs("acme"));
      // The basic stack holds a VPC and one NAT gateway (in eu-west-1a, as LoopbackEc2's nat-0).
      cfn.resourceOnCreate("NetworkVpc7FB7348F", "AWS::EC2::VPC", "vpc-0");
      cfn.resourceOnCreate("NetworkVpcpublicSubnet1NATGateway939C8F7E", "AWS::EC2::NatGateway",
          "nat-0");
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = onboarding(catalog, cfn, ec2, line -> { });
      onboarding.onboard(Synth.spec("basic").build());
      // The Region is now full: 5 of 5 VPCs and Elastic IPs, this tenant's included.
      ec2.vpcs = 5;
      ec2.elasticIps = 5;
      ec2.natGatewayAzs.add("eu-west-1a");
      int changeSets = (int) cfn.operations().stream().filter("CreateChangeSet"::equals).count();

      // Premium adds a NAT gateway in eu-west-1b (and its Elastic IP), but no VPC.
      assertThatThrownBy(() -> onboarding.onboard(Synth.spec("premium").build()))
          .isInstanceOfSatisfying(OnboardingException.class, e -> {
            assertThat(e.getCause()).isInstanceOf(PreflightException.class);
            assertThat(((PreflightException) e.getCause()).shortfalls()).containsExactly(
                "Elastic IPs: the update adds 1 NAT gateway(s), one Elastic IP each, 5 of 5 are in use in "
                    + "eu-west-1 (quota L-0263D0A3, EC2-VPC Elastic IPs)");
            assertThat(e.record().status()).isEqualTo(TenantStatus.ACTIVE);
          });
      assertThat(cfn.operations().stream().filter("CreateChangeSet"::equals).count()).isEqualTo(changeSets);
      assertThat(catalog.find(TenantId.of("acme")).orElseThrow().statusReason())
          .hasValueSatisfying(r -> assertThat(r).contains("Elastic IPs"));

      // With one Elastic IP free the update goes ahead, though every VPC is in use: it needs none.
      ec2.elasticIps = 4;
      assertThat(onboarding.onboard(Synth.spec("premium").build()).tier().name()).isEqualTo("premium");
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
          .deployer(StackDeployer.builder().cloudFormation(cfn.client(CloudFormationClient.builder())).templateBucket(s3.client(), TEMPLATES)
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
      assertThat(cfn.operations()).doesNotContain("CreateChangeSet");
    }
  }

  @Test
  void offboardDeletingData_appliesTheDisposableVariant_emptiesTheBuckets_thenDeletes() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation()) {
      Map<String, String> outputs = outputs("wonka");
      outputs.put(StackOutputs.LOGS_BUCKET_NAME, "tenantkit-wonka-storagelogs1a2b3c");
      cfn.outputsOnCreate(outputs);
      for (String bucket : List.of(outputs.get(StackOutputs.BUCKET_NAME), outputs.get(StackOutputs.LOGS_BUCKET_NAME))) {
        s3.createBucket(bucket);
        for (int i = 0; i < 3; i++) {
          s3.client().putObject(b -> b.bucket(bucket).key("k" + java.util.UUID.randomUUID()),
              software.amazon.awssdk.core.sync.RequestBody.fromString("data"));
        }
      }
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = TenantOnboarding.builder().catalog(catalog).s3(s3.client())
          .deployer(StackDeployer.builder().cloudFormation(cfn.client(CloudFormationClient.builder())).templateBucket(s3.client(), TEMPLATES)
              .pollInterval(Duration.ofMillis(1)).build()).build();
      TenantStackSpec spec = Synth.spec("basic").tenant("wonka").build();
      onboarding.onboard(spec);

      assertThat(onboarding.offboardDeletingData(spec).status()).isEqualTo(TenantStatus.OFFBOARDED);
      assertThat(s3.keys(outputs.get(StackOutputs.BUCKET_NAME))).isEmpty();
      assertThat(s3.keys(outputs.get(StackOutputs.LOGS_BUCKET_NAME))).isEmpty();
      assertThat(cfn.stackNames()).doesNotContain("tenantkit-wonka");
      // The update before the deletion carried the disposable template.
      String url = cfn.calls().stream().filter(c -> c.operation().equals("CreateChangeSet")
          && "UPDATE".equals(c.params().get("ChangeSetType"))).findFirst().orElseThrow().params().get("TemplateURL");
      String key = url.substring(url.indexOf("tenantkit/templates/"));
      assertThat(s3.client().getObjectAsBytes(b -> b.bucket(TEMPLATES).key(key)).asString(StandardCharsets.UTF_8))
          .contains("\"DeletionProtection\" : false");
    }
  }

  @Test
  void lifecycle_suspendReactivateOffboard_andOnlyLegalMoves() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation()) {
      cfn.outputsOnCreate(outputs("hooli"));
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = TenantOnboarding.builder().catalog(catalog)
          .deployer(StackDeployer.builder().cloudFormation(cfn.client(CloudFormationClient.builder())).templateBucket(s3.client(), TEMPLATES)
              .pollInterval(Duration.ofMillis(1)).build()).build();
      TenantId hooli = TenantId.of("hooli");
      onboarding.onboard(Synth.spec("basic").tenant("hooli").build());

      assertThat(onboarding.suspend(hooli, "unpaid invoice").status()).isEqualTo(TenantStatus.SUSPENDED);
      assertThatThrownBy(() -> onboarding.onboard(Synth.spec("basic").tenant("hooli").build()))
          .isInstanceOf(OnboardingException.class).hasMessageContaining("use reactivate");
      assertThat(onboarding.reactivate(hooli).status()).isEqualTo(TenantStatus.ACTIVE);
      assertThatThrownBy(() -> onboarding.reactivate(hooli)).hasMessageContaining("is ACTIVE, not SUSPENDED");

      assertThat(onboarding.offboard(hooli).status()).isEqualTo(TenantStatus.OFFBOARDED);
      assertThat(cfn.stackNames()).doesNotContain("tenantkit-hooli");
      assertThat(onboarding.offboard(hooli).status()).isEqualTo(TenantStatus.OFFBOARDED); // idempotent
    }
  }

  // Found by an independent review: an operator's anyClient on the tenant's own pool made the
  // merge of a later update's outputs fail after the stack had changed, and the record then said
  // "nothing was changed".
  @Test
  void update_ofATenantWhoseRecordAcceptsAnyClient_mergesAndKeepsIt() throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      cfn.outputsOnCreate(outputs("acme"));
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = onboarding(catalog, cfn, ec2, line -> { });
      Tenant created = onboarding.onboard(Synth.spec("standard").build());
      catalog.put(created.toBuilder().identity(created.identity().orElseThrow().toBuilder()
          .appClientIds(java.util.Set.of()).anyClient(true).build()).build());
      Map<String, String> updated = new java.util.LinkedHashMap<>(outputs("acme"));
      updated.put(StackOutputs.USER_POOL_CLIENT_ID, "7q8r9s0t1u2v3w4x5y6z7a8b9c"); // the stack replaced its client
      cfn.outputsOnUpdate(updated);

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
      cfn.outputsOnCreate(outputs("acme"));
      WritableTenantCatalog catalog = TenantCatalog.inMemory();
      TenantOnboarding onboarding = onboarding(catalog, cfn, ec2, line -> { });
      onboarding.onboard(Synth.spec("standard").build());
      // Another tenant already holds the load balancer the updated stack reports.
      Map<String, String> updated = new java.util.LinkedHashMap<>(outputs("acme"));
      updated.put(StackOutputs.ALB_DNS_NAME, "shared-alb-1.eu-west-1.elb.amazonaws.com");
      cfn.outputsOnUpdate(updated);
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
