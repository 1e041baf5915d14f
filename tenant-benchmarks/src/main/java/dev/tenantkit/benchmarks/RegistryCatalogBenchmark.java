package dev.tenantkit.benchmarks;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.registry.RegistryTenantCatalog;
import dev.tenantkit.registry.TenantRegistry;
import dev.tenantkit.testkit.LocalDynamo;
import dev.tenantkit.testkit.TestTenants;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A lookup in the registry catalog (1,000 tenants read from a real DynamoDB implementation,
 * dynalite, into its snapshot) beside the same lookup in today's in-memory catalog of the same
 * records, in the same run: {@code require} of a served tenant, rotating over 64 ids. The registry
 * is read once in the set-up; the measured path never calls DynamoDB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RegistryCatalogBenchmark {
  private LocalDynamo dynamo;
  private DynamoDbClient client;
  private RegistryTenantCatalog registryCatalog;
  private TenantCatalog inMemory;
  private TenantId[] ids;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    List<Tenant> tenants = TestTenants.many(1000);
    dynamo = LocalDynamo.start();
    client = DynamoDbClient.builder().endpointOverride(dynamo.endpoint()).region(Region.of(LocalDynamo.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
    TenantRegistry.createTable(client, "tenants");
    TenantRegistry.builder().client(client).tableName("tenants").build().createAll(tenants);
    registryCatalog = RegistryTenantCatalog.builder().client(client, "tenants").watch(false).build();
    if (registryCatalog.all().size() != tenants.size()) {
      throw new IllegalStateException("the registry served " + registryCatalog.all().size() + " tenants");
    }
    inMemory = TenantCatalog.inMemory(tenants);
    ids = new TenantId[64];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = TenantId.of("tenant-" + (i * 15));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    registryCatalog.close();
    client.close();
    dynamo.close();
  }

  /** The registry catalog's lookup (its in-memory snapshot). */
  @Benchmark
  public Tenant registryRequire() {
    return registryCatalog.require(ids[next++ & 63]);
  }

  /** Today's in-memory catalog, same records, same ids. */
  @Benchmark
  public Tenant inMemoryRequire() {
    return inMemory.require(ids[next++ & 63]);
  }
}
