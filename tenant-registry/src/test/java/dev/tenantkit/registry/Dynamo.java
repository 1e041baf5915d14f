package dev.tenantkit.registry;

import dev.tenantkit.testkit.LocalDynamo;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** One dynalite per test JVM (tenant-testkit's LocalDynamo), a client for it, and fresh tables. */
final class Dynamo {
  /** Not a secret: dynalite accepts any credentials; tests check it never shows in a message. */
  static final String SECRET_KEY = "local-secret-key-not-real";
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static LocalDynamo dynamo;
  private static DynamoDbClient client;

  private Dynamo() {}

  static synchronized LocalDynamo server() {
    if (dynamo == null) {
      dynamo = LocalDynamo.start();
    }
    return dynamo;
  }

  static synchronized DynamoDbClient client() {
    if (client == null) {
      client = client(server().endpoint());
    }
    return client;
  }

  /** A client for {@code endpoint} that does not retry (an outage shows at once). */
  static DynamoDbClient client(URI endpoint) {
    return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(LocalDynamo.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", SECRET_KEY)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallTimeout(Duration.ofSeconds(10)))
        .build();
  }

  /** A registry table {@code tenants} on {@code server} (a test's own, to stop it). */
  static TenantRegistry registryOn(LocalDynamo server) {
    DynamoDbClient own = client(server.endpoint());
    TenantRegistry.createTable(own, "tenants");
    return TenantRegistry.builder().client(own).tableName("tenants").build();
  }

  /** A new, empty registry table on the shared server. */
  static TenantRegistry newRegistry() {
    String table = "tenants-" + TABLES.incrementAndGet();
    TenantRegistry.createTable(client(), table);
    return TenantRegistry.builder().client(client()).tableName(table).build();
  }
}
