package dev.tenantkit.provision;

import dev.tenantkit.testkit.LoopbackCloudFormation;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.registry.RegistryConflictException;
import dev.tenantkit.registry.RegistryTenantCatalog;
import dev.tenantkit.registry.TenantRegistry;
import dev.tenantkit.registry.VersionedTenant;
import dev.tenantkit.testkit.LocalDynamo;
import dev.tenantkit.testkit.LocalS3;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Onboarding into the tenant registry, one tenant and many: the real SDK clients against the
 * loopback CloudFormation and EC2 endpoints (no emulator of either exists here; they speak the
 * query protocol), a real S3 protocol server for the templates (LocalS3) and a real DynamoDB
 * implementation for the registry (dynalite, through LocalDynamo).
 */
class RegistryOnboardingIntegrationTest {
  private static final String TEMPLATES = "tenantkit-templates";
  private static LocalS3 s3;
  private static LocalDynamo dynamo;
  private static DynamoDbClient dynamoDb;
  private static final AtomicInteger TABLES = new AtomicInteger();

  @BeforeAll
  static void start() {
    s3 = LocalS3.start();
    s3.createBucket(TEMPLATES);
    dynamo = LocalDynamo.start();
    dynamoDb = DynamoDbClient.builder().endpointOverride(dynamo.endpoint()).region(Region.of(LocalDynamo.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
  }

  @AfterAll
  static void stop() {
    s3.close();
    dynamo.close();
  }

  private static TenantRegistry newRegistry() {
    String table = "tenants-" + TABLES.incrementAndGet();
    TenantRegistry.createTable(dynamoDb, table);
    return TenantRegistry.builder().client(dynamoDb).tableName(table).build();
  }

  /** What each tenant's stack outputs: its own pool, bucket, database and ALB. */
  static Map<String, String> outputs(String stackName) {
    String t = stackName.substring("tenantkit-".length());
    Map<String, String> out = new LinkedHashMap<>();
    String pool = "eu-west-1_" + t.replace("-", "") + "Pool";
    out.put(StackOutputs.ISSUER, "https://cognito-idp.eu-west-1.amazonaws.com/" + pool);
    out.put(StackOutputs.USER_POOL_ID, pool);
    out.put(StackOutputs.USER_POOL_CLIENT_ID, "client" + t.replace("-", "") + "0123456789");
    out.put(StackOutputs.BUCKET_NAME, "tenantkit-" + t + "-storagedata1a2b3c");
    out.put(StackOutputs.LOGS_BUCKET_NAME, "tenantkit-" + t + "-storagelogs1a2b3c");
    out.put(StackOutputs.DATABASE_ENDPOINT, t + ".abc123.eu-west-1.rds.amazonaws.com");
    out.put(StackOutputs.DATABASE_PORT, "5432");
    out.put(StackOutputs.DATABASE_NAME, t.replace('-', '_'));
    out.put(StackOutputs.DATABASE_USER, "app");
    out.put(StackOutputs.DATABASE_SECRET_ARN, "arn:aws:secretsmanager:eu-west-1:111122223333:secret:" + t + "-AbCdEf");
    out.put(StackOutputs.ALB_DNS_NAME, "tenantkit-" + t + "-123.eu-west-1.elb.amazonaws.com");
    return out;
  }

  private static TenantOnboarding onboarding(TenantRegistry registry, LoopbackCloudFormation cfn, LoopbackEc2 ec2,
      List<String> progress, Preflight preflight) {
    cfn.outputsFor(RegistryOnboardingIntegrationTest::outputs);
    return TenantOnboarding.builder().registry(registry)
        .deployer(StackDeployer.builder().cloudFormation(cfn.client(CloudFormationClient.builder())).templateBucket(s3.client(), TEMPLATES)
            .pollInterval(Duration.ofMillis(1)).progress(progress::add).build())
        .preflight(preflight).progress(progress::add).build();
  }

  @Test
  void onboardAll_threeTenantsTwoAtATime_endActiveInTheRegistry_andAFleetReaderServesThem() throws Exception {
    TenantRegistry registry = newRegistry();
    List<String> progress = new CopyOnWriteArrayList<>();
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      TenantOnboarding onboarding = onboarding(registry, cfn, ec2, progress, Preflight.builder().ec2(ec2.client()).build());
      List<TenantStackSpec> specs = List.of(Synth.spec("basic").tenant("acme").build(),
          Synth.spec("basic").tenant("globex").build(), Synth.spec("basic").tenant("initech").build());

      List<TenantOnboarding.BatchOutcome> outcomes = onboarding.onboardAll(specs, 2);

      assertThat(outcomes).extracting(o -> o.tenant().value()).containsExactly("acme", "globex", "initech");
      assertThat(outcomes).allSatisfy(o -> {
        assertThat(o.succeeded()).as(String.valueOf(o.failure())).isTrue();
        assertThat(o.record().status()).isEqualTo(TenantStatus.ACTIVE);
      });
      for (String t : List.of("acme", "globex", "initech")) {
        VersionedTenant item = registry.get(TenantId.of(t)).orElseThrow();
        assertThat(item.tenant().status()).isEqualTo(TenantStatus.ACTIVE);
        // REQUESTED, PROVISIONING, ACTIVE: three conditional writes, none lost.
        assertThat(item.version()).isEqualTo(3);
        assertThat(item.tenant().storage().orElseThrow().bucket()).isEqualTo("tenantkit-" + t + "-storagedata1a2b3c");
        assertThat(progress).anyMatch(l -> l.contains("tenantkit-" + t) && l.contains("CREATE_COMPLETE"));
      }
      // One preflight for the batch: one DescribeVpcs, not one per tenant.
      assertThat(ec2.operations().stream().filter("DescribeVpcs"::equals).count()).isEqualTo(1);
      try (RegistryTenantCatalog fleet = RegistryTenantCatalog.builder().registry(registry).watch(false).build()) {
        assertThat(fleet.all()).extracting(x -> x.id().value()).containsExactly("acme", "globex", "initech");
      }
    }
  }

  @Test
  void onboardAll_aFailedTenant_doesNotStopTheOthers_andRunningTheBatchAgainResumesIt() throws Exception {
    TenantRegistry registry = newRegistry();
    List<String> progress = new CopyOnWriteArrayList<>();
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      TenantOnboarding onboarding = onboarding(registry, cfn, ec2, progress, Preflight.builder().ec2(ec2.client()).build());
      List<TenantStackSpec> specs = List.of(Synth.spec("basic").tenant("acme").build(),
          Synth.spec("basic").tenant("globex").build());
      // One at a time, so the injected failure hits the first deployment: acme's.
      cfn.failNextExecution("DatabaseInstance", "DB quota exceeded");

      List<TenantOnboarding.BatchOutcome> first = onboarding.onboardAll(specs, 1);

      assertThat(first.get(0).succeeded()).isFalse();
      assertThat(first.get(0).record().status()).isEqualTo(TenantStatus.FAILED);
      assertThat(first.get(0).failure()).hasMessageContaining("onboarding can be run again");
      assertThat(first.get(1).succeeded()).isTrue();
      assertThat(registry.get(TenantId.of("acme")).orElseThrow().tenant().status()).isEqualTo(TenantStatus.FAILED);

      long globexExecutions = cfn.calls().stream().filter(c -> c.operation().equals("ExecuteChangeSet")
          && c.params().getOrDefault("StackName", "").contains("globex")).count();
      List<TenantOnboarding.BatchOutcome> again = onboarding.onboardAll(specs, 2);

      assertThat(again).allMatch(TenantOnboarding.BatchOutcome::succeeded);
      assertThat(registry.get(TenantId.of("acme")).orElseThrow().tenant().status()).isEqualTo(TenantStatus.ACTIVE);
      assertThat(cfn.calls().stream().filter(c -> c.operation().equals("ExecuteChangeSet")
          && c.params().getOrDefault("StackName", "").contains("globex")).count())
          .as("globex was done: nothing to execute again").isEqualTo(globexExecutions);
    }
  }

  @Test
  void onboardAll_checksTheQuotasForTheWholeBatch_beforeAnythingStarts() throws Exception {
    TenantRegistry registry = newRegistry();
    List<String> progress = new CopyOnWriteArrayList<>();
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      ec2.vpcs = 2;
      // Each tenant alone fits (2 + 1 <= 4); the three together do not (2 + 3 > 4).
      TenantOnboarding onboarding = onboarding(registry, cfn, ec2, progress,
          Preflight.builder().ec2(ec2.client()).vpcQuota(4).build());
      List<TenantStackSpec> specs = List.of(Synth.spec("basic").tenant("acme").build(),
          Synth.spec("basic").tenant("globex").build(), Synth.spec("basic").tenant("initech").build());

      assertThatThrownBy(() -> onboarding.onboardAll(specs, 3)).isInstanceOf(PreflightException.class)
          .hasMessageContaining("a batch of 3 tenants").hasMessageContaining("VPCs: the batch of 3 needs 3, 2 of 4");

      assertThat(cfn.operations()).doesNotContain("CreateChangeSet");
      assertThat(registry.all()).isEmpty();
    }
  }

  @Test
  void onboardAll_refusesATenantNamedTwice_andAConcurrencyOutOfRange() throws Exception {
    TenantRegistry registry = newRegistry();
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      TenantOnboarding onboarding = onboarding(registry, cfn, ec2, new ArrayList<>(), Preflight.builder().ec2(ec2.client()).build());
      TenantStackSpec acme = Synth.spec("basic").tenant("acme").build();
      assertThatThrownBy(() -> onboarding.onboardAll(List.of(acme, acme), 2))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names tenant acme twice");
      assertThatThrownBy(() -> onboarding.onboardAll(List.of(acme), 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency must be between 1 and 32");
      assertThat(onboarding.onboardAll(List.of(), 4)).isEmpty();
      assertThat(cfn.operations()).isEmpty();
    }
  }

  @Test
  void onboard_anOperatorsChangeMadeMeanwhile_isNeverOverwritten() throws Exception {
    TenantRegistry registry = newRegistry();
    List<String> progress = new CopyOnWriteArrayList<>();
    TenantId acme = TenantId.of("acme");
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      cfn.outputsFor(RegistryOnboardingIntegrationTest::outputs);
      boolean[] changed = {false};
      TenantOnboarding onboarding = TenantOnboarding.builder().registry(registry)
          .deployer(StackDeployer.builder().cloudFormation(cfn.client(CloudFormationClient.builder())).templateBucket(s3.client(), TEMPLATES)
              .pollInterval(Duration.ofMillis(1)).progress(line -> {
                // While the stack deploys, another operator writes the record (tier premium).
                if (!changed[0] && line.contains("executing")) {
                  changed[0] = true;
                  registry.update(acme, t -> t.toBuilder().tier("premium").statusReason("set by an operator").build());
                }
              }).build())
          .build();

      assertThatThrownBy(() -> onboarding.onboard(Synth.spec("basic").build()))
          .isInstanceOf(RegistryConflictException.class).hasMessageContaining("tenant acme");

      Tenant now = registry.get(acme).orElseThrow().tenant();
      assertThat(now.tier().name()).isEqualTo("premium");
      assertThat(now.statusReason()).contains("set by an operator");
    }
  }

  @Test
  void builder_needsExactlyOneHomeForTheRecords() {
    assertThatThrownBy(() -> TenantOnboarding.builder().deployer(StackDeployer.builder()
        .cloudFormation(software.amazon.awssdk.services.cloudformation.CloudFormationClient.builder()
            .region(Region.EU_WEST_1).build()).build()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("catalog or registry");
  }
}
