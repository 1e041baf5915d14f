package dev.tenantkit.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.db.DbCredentials;
import dev.tenantkit.db.IamAuthTokenFactory;
import dev.tenantkit.db.TlsMode;
import dev.tenantkit.provision.StackDeployer;
import dev.tenantkit.provision.StackOutputs;
import dev.tenantkit.provision.TenantOnboarding;
import dev.tenantkit.provision.TenantStackSpec;
import dev.tenantkit.registry.TenantRegistry;
import dev.tenantkit.spring.TenantDataSourceCustomizer;
import dev.tenantkit.testkit.LocalDynamo;
import dev.tenantkit.testkit.LocalPostgres;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.LocalTokenIssuer;
import dev.tenantkit.testkit.LocalUserPool;
import dev.tenantkit.testkit.LoopbackCloudFormation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * From {@code onboard} to a serving tenant, with nothing set by hand in between: two tenants are
 * onboarded through CloudFormation into the DynamoDB registry, each stack's instance bootstraps
 * its database at first boot from the variables its user data writes, and the documents service
 * in AWS mode, reading that registry, passes the whole isolation scenario.
 *
 * <p>Real parts: the CDK synthesis of each tenant's stack, the real SDK clients, dynalite
 * (through LocalDynamo) for the registry, PostgreSQL for each tenant's RDS database, an S3
 * protocol server for the template bucket and the tenants' buckets, a Cognito-shaped issuer for
 * each tenant's user pool, RDS IAM authentication tokens signed by the real SDK. Stand-ins, each
 * because nothing local can be the real one:
 *
 * <ul>
 *   <li>CloudFormation is a loopback endpoint speaking its query protocol (tenant-testkit's
 *       {@link LoopbackCloudFormation}); it creates no resources, so the test makes what each
 *       stack would hold (user pool, bucket, database) and the stack outputs point at them;</li>
 *   <li>the stack's outputs: those the template gives literally (the database name and user) are
 *       taken from the deployed template, the others (endpoints, ids) point at the stand-ins;</li>
 *   <li>the instance's boot: the test reads the environment file from the user data of the
 *       template the onboarding deployed, resolving each CloudFormation expression in it through
 *       the stack output with the same expression; the CA bundle path is a temporary file (and
 *       the pinned instance's state directory a temporary one), the services listen on a free
 *       port, and the database is reached in plaintext on loopback (the embedded PostgreSQL has
 *       no TLS to verify);</li>
 *   <li>the master secret (Secrets Manager, tested in tenant-db against a loopback endpoint): the
 *       test hands the bootstrap the local superuser, and checks the ARN it was asked for is the
 *       stack's;</li>
 *   <li>the local PostgreSQL accepts any password from members of {@code rds_iam} (RDS checks the
 *       signed token; it cannot).</li>
 * </ul>
 *
 * <p>Both tenants get silo stacks (every onboarded tenant does), on one local PostgreSQL: each
 * spec names its own database and application role, as separate RDS instances would keep them
 * apart anyway.
 */
class OnboardedTenantsIntegrationTest {
  private static final String TABLE = "tenantkit-tenants";
  private static final String TEMPLATES = "tenantkit-templates";
  private static final String CERT =
      "arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
  }

  @TempDir Path dir;

  @Test
  void twoTenantsOnboardedThroughCloudFormation_bootTheirDatabases_andTheServiceOnTheRegistryPassesEveryCheck()
      throws Exception {
    try (LocalPostgres pg = LocalPostgres.start(); LocalS3 s3 = LocalS3.start();
        LocalTokenIssuer issuer = LocalTokenIssuer.start(); LocalDynamo dynamo = LocalDynamo.start();
        LoopbackCloudFormation cfn = new LoopbackCloudFormation();
        CloudFormationClient cloudFormation = cfn.client(CloudFormationClient.builder());
        DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(dynamo.endpoint())
            .region(Region.of(LocalDynamo.REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build()) {
      Map<String, LocalUserPool> pools = Map.of("acme", issuer.pool("eu-west-1_AcmePool"),
          "globex", issuer.pool("eu-west-1_GlobexPool"));
      Map<String, TenantStackSpec> specs = new LinkedHashMap<>();
      for (String t : List.of("acme", "globex")) {
        specs.put("tenantkit-" + t, TenantStackSpec.builder().tenant(t).tier("basic").region("eu-west-1")
            .certificateArn(CERT).databaseUser(t + "_app").registryTable(TABLE).registryRegion("eu-west-1")
            .service("s3://acme-artifacts/documents-service.jar", "java -jar documents-service.jar").build());
        // What CloudFormation would create: the stack's bucket and its RDS database (with its master user).
        s3.createBucket("tenantkit-" + t + "-data");
        pg.executeAsSuperuser("postgres", "CREATE DATABASE " + specs.get("tenantkit-" + t).databaseName());
      }
      s3.createBucket(TEMPLATES);
      cfn.outputsFor(stack -> outputs(s3, specs.get(stack), pools.get(specs.get(stack).tenantId().value()), pg));
      TenantRegistry.createTable(dynamoDb, TABLE);
      TenantRegistry registry = TenantRegistry.builder().client(dynamoDb).tableName(TABLE).build();

      // 1. Onboarding: both tenants, two at a time, into the registry.
      TenantOnboarding onboarding = TenantOnboarding.builder().registry(registry)
          .deployer(StackDeployer.builder().cloudFormation(cloudFormation).templateBucket(s3.client(), TEMPLATES)
              .pollInterval(Duration.ofMillis(1)).build())
          .build();
      List<TenantOnboarding.BatchOutcome> outcomes = onboarding.onboardAll(List.copyOf(specs.values()), 2);
      assertThat(outcomes).allSatisfy(o -> assertThat(o.succeeded()).as(String.valueOf(o.failure())).isTrue());
      for (String t : List.of("acme", "globex")) {
        Tenant record = registry.get(TenantId.of(t)).orElseThrow().tenant();
        assertThat(record.status()).isEqualTo(TenantStatus.ACTIVE);
        DatabaseConfig db = record.database().orElseThrow();
        assertThat(db.isolation()).isEqualTo(IsolationMode.SILO);
        assertThat(db.credentials()).isEqualTo(CredentialsSource.IAM);
        assertThat(db.database()).isEqualTo(specs.get("tenantkit-" + t).databaseName());
        assertThat(db.user()).isEqualTo(t + "_app");
        assertThat(record.storage().orElseThrow().layout()).isEqualTo(StorageConfig.StorageLayout.BUCKET);
        assertThat(record.storage().orElseThrow().bucket()).isEqualTo("tenantkit-" + t + "-data");
        assertThat(record.identity().orElseThrow().issuer().toString()).isEqualTo(pools.get(t).issuer());
      }

      // 2. Each stack's instance at first boot: the environment file from its user data, then the
      //    database bootstrap it runs with the master secret.
      Path ca = Files.writeString(dir.resolve("rds-global-bundle.pem"), "not used on loopback\n");
      for (TenantStackSpec spec : specs.values()) {
        Map<String, String> boot = bootEnvironment(s3, spec, cfn);
        assertThat(boot).containsEntry("TENANTKIT_TENANT_ID", spec.tenantId().value())
            .containsEntry("TENANTKIT_REGISTRY_TABLE", TABLE).containsEntry("TENANTKIT_DB_HOST", pg.host());
        boot.put("TENANTKIT_RDS_CA_BUNDLE", ca.toString());
        String[] secretAskedFor = new String[1];
        assertThat(DemoService.bootstrapDatabase(AwsSettings.from(boot), db -> {
          secretAskedFor[0] = db.secretArn();
          return new DbCredentials(LocalPostgres.SUPERUSER, "the master secret's password");
        }, TlsMode.PLAINTEXT_ON_LOOPBACK)).isPresent();
        assertThat(secretAskedFor[0]).isEqualTo(outputsOf(spec, cfn).get(StackOutputs.DATABASE_SECRET_ARN));
      }

      // 3. The fleet: the documents service in AWS mode on the registry, every check of the scenario.
      AwsSettings fleet = AwsSettings.from(Map.of("TENANTKIT_REGISTRY_TABLE", TABLE,
          "TENANTKIT_RDS_CA_BUNDLE", ca.toString(), "TENANTKIT_SUBDOMAIN", "{tenant}.localhost",
          "TENANTKIT_STATE_DIR", dir.resolve("fleet").toString()));
      IamAuthTokenFactory iam = IamAuthTokenFactory.builder()
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local")))
          .build();
      // The SDK clients on the stand-ins; IAM database tokens signed with local keys (the local
      // PostgreSQL accepts any password for an rds_iam role).
      Map<String, Object> clients = Map.of("dynamoDbClient", dynamoDb, "s3Client", s3.client(),
          "s3Presigner", s3.presigner(),
          "iamTokens", (TenantDataSourceCustomizer) db -> db.credentials(CredentialsSource.IAM, iam));
      try (DemoService.Running app = DemoService.start(RegistryModeIntegrationTest.withLocalDatabases(fleet), clients,
          null)) {
        TenantCatalog catalog = app.context().getBean(TenantCatalog.class);
        Scenario.Result result = Scenario.run(app.port(), new Scenario.Stands(
            (tenant, user, scopes) -> token(pools.get(tenant), tenant, user, scopes), catalog,
            Map.of("acme", IsolationMode.SILO, "globex", IsolationMode.SILO), pg, s3, Scenario.MetricReader.of(app)));
        assertThat(result.checks()).hasSize(22);
        assertThat(result.failed()).as(result.table()).isZero();
      }

      // 4. A silo stack's own instance: pinned to its tenant by its boot variables, it reads only
      //    its tenant's item and serves no other tenant.
      Map<String, String> acmeBoot = bootEnvironment(s3, specs.get("tenantkit-acme"), cfn);
      acmeBoot.putAll(Map.of("TENANTKIT_RDS_CA_BUNDLE", ca.toString(),
          "TENANTKIT_STATE_DIR", dir.resolve("acme").toString()));
      AwsSettings acmeSettings = AwsSettings.from(acmeBoot);
      try (DemoService.Running acme = DemoService.start(RegistryModeIntegrationTest.withLocalDatabases(acmeSettings),
          clients, null)) {
        TenantCatalog acmeCatalog = acme.context().getBean(TenantCatalog.class);
        assertThat(acmeCatalog.all()).extracting(t -> t.id().value()).containsExactly("acme");
        HttpResponse<String> own = get(acme.port(), "acme.localhost", token(pools.get("acme"), "acme", "alice"));
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("q3-report.txt").doesNotContain("plan.txt");
        HttpResponse<String> other = get(acme.port(), "globex.localhost",
            token(pools.get("globex"), "globex", "gina"));
        assertThat(other.statusCode()).isBetween(400, 499);
        assertThat(other.body()).doesNotContain("plan.txt");
      }
    }
  }

  /**
   * What the tenant's stack outputs: every output of the template the onboarding deployed, a
   * literal one (the database name and user) as the template says it, one CloudFormation would
   * resolve (an endpoint, a pool id) pointing at the local stand-in the stack would have created.
   */
  private static Map<String, String> outputs(LocalS3 s3, TenantStackSpec spec, LocalUserPool pool, LocalPostgres pg) {
    String t = spec.tenantId().value();
    Map<String, String> standIns = Map.of(
        StackOutputs.ISSUER, pool.issuer(),
        StackOutputs.USER_POOL_ID, pool.id(),
        StackOutputs.USER_POOL_CLIENT_ID, pool.clientId(),
        StackOutputs.BUCKET_NAME, "tenantkit-" + t + "-data",
        StackOutputs.LOGS_BUCKET_NAME, "tenantkit-" + t + "-logs",
        StackOutputs.DATABASE_ENDPOINT, pg.host(),
        StackOutputs.DATABASE_PORT, Integer.toString(pg.port()),
        StackOutputs.DATABASE_SECRET_ARN, "arn:aws:secretsmanager:eu-west-1:111122223333:secret:" + t + "-master-AbCdEf",
        StackOutputs.ALB_DNS_NAME, "tenantkit-" + t + "-123.eu-west-1.elb.amazonaws.com");
    Map<String, String> out = new LinkedHashMap<>();
    try {
      deployedTemplate(s3, spec).path("Outputs").properties().forEach(o -> {
        JsonNode value = o.getValue().path("Value");
        String v = value.isTextual() ? value.asText() : standIns.get(o.getKey());
        assertThat(v).as("a stand-in for the stack's output " + o.getKey()).isNotNull();
        out.put(o.getKey(), v);
      });
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /**
   * The environment file the stack's instances write at boot, read from the user data of the
   * template the onboarding deployed (in the template bucket). Each CloudFormation expression in
   * it (the database's endpoint, its master secret) is resolved as CloudFormation would, through
   * the stack output that has the same expression.
   */
  private static Map<String, String> bootEnvironment(LocalS3 s3, TenantStackSpec spec, LoopbackCloudFormation cfn)
      throws Exception {
    JsonNode template = deployedTemplate(s3, spec);
    Map<String, String> outputs = outputsOf(spec, cfn);
    Map<JsonNode, String> resolved = new HashMap<>();
    template.path("Outputs").properties().forEach(o -> {
      String value = outputs.get(o.getKey());
      if (value != null) {
        resolved.put(o.getValue().path("Value"), value);
      }
    });
    StringBuilder userData = new StringBuilder();
    for (JsonNode resource : template.path("Resources")) {
      JsonNode parts = resource.path("Properties").path("LaunchTemplateData").path("UserData")
          .path("Fn::Base64").path("Fn::Join").path(1);
      for (JsonNode part : parts) {
        if (part.isTextual()) {
          userData.append(part.asText());
        } else {
          String value = resolved.get(part);
          assertThat(value).as("a stack output resolving " + part).isNotNull();
          userData.append(value);
        }
      }
    }
    String text = userData.toString();
    int start = text.indexOf("<<'TENANTKIT_ENV'\n");
    assertThat(start).as("the user data writes the environment file").isNotNegative();
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : text.substring(start).split("\n")) {
      if (line.equals("TENANTKIT_ENV")) {
        break;
      }
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("cat ")) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  private static JsonNode deployedTemplate(LocalS3 s3, TenantStackSpec spec) throws Exception {
    for (S3Object object : s3.client().listObjectsV2(r -> r.bucket(TEMPLATES)).contents()) {
      String body = s3.client().getObjectAsBytes(r -> r.bucket(TEMPLATES).key(object.key()))
          .asString(StandardCharsets.UTF_8);
      if (body.contains("TENANTKIT_STACK=" + spec.stackName() + "\\n")) {
        return JSON.readTree(body);
      }
    }
    throw new AssertionError("no template of " + spec.stackName() + " in " + TEMPLATES);
  }

  private static Map<String, String> outputsOf(TenantStackSpec spec, LoopbackCloudFormation cfn) {
    try (CloudFormationClient client = cfn.client(CloudFormationClient.builder())) {
      Map<String, String> out = new LinkedHashMap<>();
      Iterator<software.amazon.awssdk.services.cloudformation.model.Output> it = client
          .describeStacks(r -> r.stackName(spec.stackName())).stacks().get(0).outputs().iterator();
      it.forEachRemaining(o -> out.put(o.outputKey(), o.outputValue()));
      return out;
    }
  }

  private static String token(LocalUserPool pool, String tenant, String user, String... scopes) {
    return pool.accessToken().tenant(tenant).subject(user).groups("tenant-user").scopes(scopes)
        .expiresIn(Duration.ofHours(1)).sign();
  }

  private static HttpResponse<String> get(int port, String host, String token) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/documents")).header("Host", host).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
