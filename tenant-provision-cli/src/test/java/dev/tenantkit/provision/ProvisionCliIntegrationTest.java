package dev.tenantkit.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.provision.cli.ProvisionCli;
import dev.tenantkit.registry.TenantRegistry;
import dev.tenantkit.testkit.LocalDynamo;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.LoopbackCloudFormation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The CLI as a user runs it, in-process: synth offline; deploy, status, diff and destroy with the
 * real SDK clients against loopback CloudFormation and EC2 endpoints (their query protocols) and
 * a real S3 protocol server for the template upload. Exit codes as documented.
 */
class ProvisionCliIntegrationTest {
  private static LocalS3 s3;

  @BeforeAll
  static void start() {
    // The SDK's default credentials chain reads these: the local S3 server's own (the loopback
    // CloudFormation and EC2 endpoints accept any). No real account is involved.
    System.setProperty("aws.accessKeyId", LocalS3.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", LocalS3.SECRET_KEY);
    s3 = LocalS3.start();
    s3.createBucket("templates");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = ProvisionCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static List<String> spec(String tenant, String tier) {
    return List.of("--tenant", tenant, "--tier", tier, "--region", "eu-west-1", "--certificate-arn", Synth.CERT);
  }

  private static String[] args(List<String> first, String... rest) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(rest));
    return all.toArray(new String[0]);
  }

  @Test
  void synth_writesTheTemplate_andPrintsResourcesAndCost(@TempDir Path out) throws Exception {
    List<String> a = new ArrayList<>(List.of("synth"));
    a.addAll(spec("acme", "premium"));
    Run r = cli(args(a, "--out", out.toString()));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readString(out.resolve("tenantkit-acme.template.json"))).contains("AWS::RDS::DBInstance");
    assertThat(r.out()).contains("cdk-nag AwsSolutions: no unsuppressed findings")
        .contains("2  AWS::EC2::NatGateway").contains("in all")
        .contains("eu-west-1 (Europe (Ireland); price table of 2026-11-01)").contains("compute (2 x m6i.large)")
        .contains("total");
  }

  @Test
  void synth_printsProgressWhileItRuns_andTheReportsItNamesOutliveTheCommand(@TempDir Path out) throws Exception {
    List<String> a = new ArrayList<>(List.of("synth"));
    a.addAll(spec("acme", "basic"));
    Run r = cli(args(a, "--out", out.toString()));
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    int written = lines.indexOf(lines.stream().filter(l -> l.contains("written to")).findFirst().orElseThrow());
    // Progress lines come before the summary, one per step (never asserting how long a step takes).
    assertThat(lines.subList(0, written)).anyMatch(l -> l.startsWith("synth tenantkit-acme: starting the CDK runtime"))
        .anyMatch(l -> l.startsWith("synth tenantkit-acme: network"))
        .anyMatch(l -> l.startsWith("synth tenantkit-acme: database"))
        .anyMatch(l -> l.startsWith("synth tenantkit-acme: identity"))
        .anyMatch(l -> l.startsWith("synth tenantkit-acme: done"));
    // The reports it names are files under --out, not in a temporary directory the CDK runtime removes.
    String reports = lines.stream().filter(l -> l.startsWith("Reports (kept): ")).findFirst().orElseThrow()
        .substring("Reports (kept): ".length());
    List<Path> paths = java.util.Arrays.stream(reports.split(", ")).map(Path::of).toList();
    assertThat(paths).isNotEmpty().anyMatch(p -> p.getFileName().toString().endsWith("NagReport.csv"));
    for (Path p : paths) {
      assertThat(p).isAbsolute().isRegularFile().startsWith(out.toAbsolutePath());
    }
  }

  @Test
  void synth_inARegionWithoutPrices_namesTheRegion_insteadOfPricingItAsAnother(@TempDir Path out) {
    Run r = cli("synth", "--tenant", "acme", "--tier", "basic", "--region", "ap-southeast-2", "--certificate-arn",
        "arn:aws:acm:ap-southeast-2:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        "--out", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("has no prices for ap-southeast-2").contains("eu-west-1, us-east-1")
        .doesNotContain("total").doesNotContain("Europe (Ireland)");
  }

  @Test
  void badSpec_exitsTwo_withOneLinePerProblem() {
    Run r = cli("synth", "--tenant", "Bad!", "--tier", "gold", "--region", "eu-west-1", "--certificate-arn", "x",
        "--capacity", "two", "--out", "/tmp/never");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().filter(l -> l.startsWith("  ")).count()).isEqualTo(4);
    assertThat(r.err()).contains("tenant: ").contains("tier: ").contains("certificateArn: ").contains("capacity: ");
    assertThat(cli("synth", "--tenant", "acme").exit()).isEqualTo(2); // missing required options
    Run okta = cli("synth", "--tenant", "acme", "--region", "eu-west-1", "--certificate-arn", Synth.CERT,
        "--okta-metadata-url", "https://acme.okta.com/app/exk1/sso/saml/metadata", "--out", "/tmp/never");
    assertThat(okta.exit()).isEqualTo(2);
    assertThat(okta.err()).contains("callbackUrls: required with Okta federation");
  }

  /** What the tenant's stack outputs (its own pool, bucket and database). */
  private static Map<String, String> outputs(String tenant) {
    return outputs(tenant, "app");
  }

  private static Map<String, String> outputs(String tenant, String dbUser) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(StackOutputs.ISSUER, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_" + tenant + "Pool");
    out.put(StackOutputs.USER_POOL_ID, "eu-west-1_" + tenant + "Pool");
    out.put(StackOutputs.USER_POOL_CLIENT_ID, "3n4b5urk1ft4fl3mg5e62d9" + tenant);
    out.put(StackOutputs.BUCKET_NAME, "tenantkit-" + tenant + "-data");
    out.put(StackOutputs.DATABASE_ENDPOINT, tenant + ".abc.eu-west-1.rds.amazonaws.com");
    out.put(StackOutputs.DATABASE_PORT, "5432");
    out.put(StackOutputs.DATABASE_NAME, tenant);
    out.put(StackOutputs.DATABASE_USER, dbUser);
    out.put(StackOutputs.ALB_DNS_NAME, tenant + "-1.eu-west-1.elb.amazonaws.com");
    return out;
  }

  @Test
  void deploy_severalTenantsIntoTheRegistry_oneBatch_eachActive_andTheirInstancesBootKnowingTheRegistry()
      throws Exception {
    try (LocalDynamo dynamo = LocalDynamo.start(); LoopbackCloudFormation cfn = new LoopbackCloudFormation();
        LoopbackEc2 ec2 = new LoopbackEc2();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(dynamo.endpoint())
            .region(Region.of(LocalDynamo.REGION)).build()) {
      TenantRegistry.createTable(dynamoDb, "tenants");
      cfn.outputsFor(stack -> outputs(stack.substring("tenantkit-".length()), "documents_app"));
      List<String> deploy = new ArrayList<>(List.of("deploy", "--tenant", "acme", "--tenant", "globex",
          "--tier", "basic", "--region", "eu-west-1", "--certificate-arn", Synth.CERT,
          "--registry-table", "tenants", "--db-user", "documents_app",
          "--service-artifact", "s3://acme-artifacts/documents-service.jar",
          "--service-command", "java -jar /opt/tenantkit/documents-service.jar",
          "--template-bucket", "templates", "--concurrency", "2",
          "--endpoint-url", cfn.endpoint().toString(), "--ec2-endpoint-url", ec2.endpoint().toString(),
          "--s3-endpoint-url", s3.endpoint().toString(), "--dynamodb-endpoint-url", dynamo.endpoint().toString(),
          "--poll-seconds", "0.001"));

      Run d = cli(deploy.toArray(new String[0]));

      assertThat(d.exit()).as(d.err()).isZero();
      assertThat(d.out()).contains("acme: ACTIVE").contains("globex: ACTIVE")
          .contains("registry tenants updated: 2 of 2 tenants onboarded");
      TenantRegistry registry = TenantRegistry.builder().client(dynamoDb).tableName("tenants").build();
      for (String t : List.of("acme", "globex")) {
        assertThat(registry.get(TenantId.of(t)).orElseThrow().tenant().status()).isEqualTo(TenantStatus.ACTIVE);
        assertThat(cfn.stackStatus("tenantkit-" + t)).contains("CREATE_COMPLETE");
      }
      // One quota preflight for the batch.
      assertThat(ec2.operations().stream().filter("DescribeVpcs"::equals).count()).isEqualTo(1);
      String templates = String.join("\n", s3.keys("templates").stream().map(k -> s3.client()
          .getObjectAsBytes(r -> r.bucket("templates").key(k)).asUtf8String()).toList());
      assertThat(templates).contains("TENANTKIT_REGISTRY_TABLE=tenants").contains("TENANTKIT_TENANT_ID=globex")
          .contains("TENANTKIT_DB_APP_USER=documents_app").contains("ExecStart=/bin/sh -c 'java -jar");
      assertThat(registry.get(TenantId.of("acme")).orElseThrow().tenant().database().orElseThrow().user())
          .isEqualTo("documents_app"); // the record and the instances name the same database user

      // Offboarding keeps the record where onboarding put it.
      Run x = cli("destroy", "--tenant", "globex", "--tier", "basic", "--region", "eu-west-1", "--certificate-arn",
          Synth.CERT, "--registry-table", "tenants", "--endpoint-url", cfn.endpoint().toString(),
          "--dynamodb-endpoint-url", dynamo.endpoint().toString(), "--poll-seconds", "0.001");
      assertThat(x.exit()).as(x.err()).isZero();
      assertThat(registry.get(TenantId.of("globex")).orElseThrow().tenant().status())
          .isEqualTo(TenantStatus.OFFBOARDED);
      assertThat(registry.get(TenantId.of("acme")).orElseThrow().tenant().status()).isEqualTo(TenantStatus.ACTIVE);
    }
  }

  @Test
  void deploy_withCatalogAndRegistry_orWithNeither_orTwoTenantsForOneTenantCommands_exitsTwo(@TempDir Path dir) {
    List<String> both = new ArrayList<>(List.of("deploy"));
    both.addAll(spec("acme", "basic"));
    both.addAll(List.of("--catalog", dir.resolve("c.json").toString(), "--registry-table", "tenants",
        "--template-bucket", "templates", "--skip-preflight", "--endpoint-url", "http://127.0.0.1:9"));
    Run r = cli(both.toArray(new String[0]));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--catalog and --registry-table: give one place");

    List<String> neither = new ArrayList<>(List.of("deploy"));
    neither.addAll(spec("acme", "basic"));
    neither.addAll(List.of("--template-bucket", "templates", "--skip-preflight", "--endpoint-url", "http://127.0.0.1:9"));
    Run n = cli(neither.toArray(new String[0]));
    assertThat(n.exit()).isEqualTo(2);
    assertThat(n.err()).contains("--catalog or --registry-table: one is required");

    List<String> two = new ArrayList<>(List.of("synth", "--tenant", "globex", "--out", dir.toString()));
    two.addAll(spec("acme", "basic"));
    Run t = cli(two.toArray(new String[0]));
    assertThat(t.exit()).isEqualTo(2);
    assertThat(t.err()).contains("--tenant: this command takes one tenant, was given 2");

    // One tenant's identity provider must never be trusted by a whole batch's user pools.
    List<String> okta = new ArrayList<>(List.of("deploy", "--tenant", "globex", "--okta-metadata-url",
        "https://acme.okta.com/app/exk1/sso/saml/metadata", "--callback-url", "https://acme.example.com/cb",
        "--assembly-dir", dir.toString()));
    okta.addAll(spec("acme", "basic"));
    okta.addAll(List.of("--catalog", dir.resolve("c.json").toString(), "--template-bucket", "templates"));
    Run o = cli(okta.toArray(new String[0]));
    assertThat(o.exit()).isEqualTo(2);
    assertThat(o.err()).contains("--okta-metadata-url: is one tenant's own").contains("--callback-url: is one tenant's own")
        .contains("--assembly-dir: is one tenant's own");

    List<String> concurrency = new ArrayList<>(List.of("deploy", "--tenant", "globex", "--concurrency", "0"));
    concurrency.addAll(spec("acme", "basic"));
    concurrency.addAll(List.of("--catalog", dir.resolve("c.json").toString(), "--template-bucket", "templates"));
    Run c = cli(concurrency.toArray(new String[0]));
    assertThat(c.exit()).isEqualTo(2);
    assertThat(c.err()).contains("--concurrency: must be 1 to 20, was 0");
  }

  @Test
  void deployStatusDiffDestroy_throughTheRealSdkAgainstLoopbacks(@TempDir Path dir) throws Exception {
    Path catalog = dir.resolve("catalog.json");
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      cfn.outputsOnCreate(outputs("acme"));
      String[] aws = {"--endpoint-url", cfn.endpoint().toString(), "--ec2-endpoint-url", ec2.endpoint().toString(),
          "--s3-endpoint-url", s3.endpoint().toString(), "--poll-seconds", "0.001"};

      List<String> deploy = new ArrayList<>(List.of("deploy"));
      deploy.addAll(spec("acme", "basic"));
      deploy.addAll(List.of("--catalog", catalog.toString(), "--template-bucket", "templates"));
      deploy.addAll(List.of(aws));
      Run d = cli(deploy.toArray(new String[0]));
      assertThat(d.exit()).as(d.err()).isZero();
      assertThat(d.out()).contains("CREATE_COMPLETE").contains("UserPoolId").contains("is ACTIVE");
      assertThat(TenantCatalog.fromFile(catalog).require(TenantId.of("acme")).database().orElseThrow().host())
          .isEqualTo("acme.abc.eu-west-1.rds.amazonaws.com");

      Run s = cli("status", "--tenant", "acme", "--region", "eu-west-1", "--endpoint-url", cfn.endpoint().toString());
      assertThat(s.exit()).isZero();
      assertThat(s.out()).contains("tenantkit-acme: CREATE_COMPLETE").contains("acme-1.eu-west-1.elb.amazonaws.com");

      List<String> diff = new ArrayList<>(List.of("diff"));
      diff.addAll(spec("acme", "basic"));
      diff.addAll(List.of("--template-bucket", "templates", "--s3-endpoint-url", s3.endpoint().toString(),
          "--endpoint-url", cfn.endpoint().toString(), "--poll-seconds", "0.001"));
      Run df = cli(diff.toArray(new String[0]));
      assertThat(df.exit()).as(df.err()).isZero();
      assertThat(df.out()).contains("no changes");

      List<String> destroy = new ArrayList<>(List.of("destroy"));
      destroy.addAll(spec("acme", "basic"));
      destroy.addAll(List.of("--catalog", catalog.toString(), "--endpoint-url", cfn.endpoint().toString(),
          "--poll-seconds", "0.001"));
      Run x = cli(destroy.toArray(new String[0]));
      assertThat(x.exit()).as(x.err()).isZero();
      assertThat(x.out()).contains("deleted").contains("OFFBOARDED").contains("retained");
      assertThat(TenantCatalog.fromFile(catalog).find(TenantId.of("acme")).orElseThrow().status())
          .isEqualTo(TenantStatus.OFFBOARDED);
      assertThat(cli("status", "--tenant", "acme", "--region", "eu-west-1", "--endpoint-url",
          cfn.endpoint().toString()).exit()).isEqualTo(1);
    }
  }

  @Test
  void deploy_whenAQuotaWouldBeExceeded_exitsThree(@TempDir Path dir) throws Exception {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation(); LoopbackEc2 ec2 = new LoopbackEc2()) {
      ec2.vpcs = 5;
      List<String> deploy = new ArrayList<>(List.of("deploy"));
      deploy.addAll(spec("globex", "basic"));
      deploy.addAll(List.of("--catalog", dir.resolve("c.json").toString(), "--template-bucket", "templates",
          "--endpoint-url", cfn.endpoint().toString(), "--ec2-endpoint-url", ec2.endpoint().toString(),
          "--s3-endpoint-url", s3.endpoint().toString(), "--poll-seconds", "0.001"));
      Run r = cli(deploy.toArray(new String[0]));
      assertThat(r.exit()).isEqualTo(3);
      assertThat(r.err()).contains("VPCs: the stack needs 1, 5 of 5 are in use in eu-west-1");
      assertThat(cfn.operations()).doesNotContain("CreateChangeSet");
    }
  }
}
