package dev.tenantkit.benchmarks;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.storage.ObjectKeys;
import dev.tenantkit.storage.PutOptions;
import dev.tenantkit.storage.TenantStorage;
import dev.tenantkit.storage.TenantStorageClient;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.TestTenants;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * 1 KB put and get through a pooled tenant's {@link TenantStorage} view beside the raw
 * {@code S3Client} writing the same absolute key with the same SSE header, against S3Proxy
 * ({@link LocalS3}) running in a child JVM, same run. The server is kept out of the measured JVM
 * so its JIT and GC do not land on one benchmark's fork and not the other's. Plus key
 * validation alone for a typical 60-byte key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StorageBenchmark {
  static final String KEY = "bench/object.bin";
  static final String TYPICAL_KEY = "documents/2026/11/invoices/customer-4711/invoice-00012345.pdf";

  private OutOfProcessS3 server;
  private S3Client raw;
  private TenantStorage view;
  private String absoluteKey;
  private byte[] oneKb;

  @Setup
  public void setUp() {
    server = OutOfProcessS3.start();
    raw = LocalS3.clientBuilder(server.endpoint()).build();
    raw.createBucket(b -> b.bucket(TestTenants.SHARED_BUCKET));
    Tenant globex = TestTenants.pooled("globex").build();
    view = TenantStorageClient.builder().s3Client(raw).build().forTenant(globex);
    absoluteKey = globex.storage().orElseThrow().prefix() + KEY;
    oneKb = new byte[1024];
    new Random(1).nextBytes(oneKb);
    view.put(KEY, oneKb, PutOptions.none());
  }

  @TearDown
  public void tearDown() {
    raw.close();
    server.close();
  }

  @Benchmark
  public void putTenantView() {
    view.put(KEY, oneKb, PutOptions.none());
  }

  @Benchmark
  public Object putRawS3Client() {
    return raw.putObject(b -> b.bucket(TestTenants.SHARED_BUCKET).key(absoluteKey)
        .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromBytes(oneKb));
  }

  @Benchmark
  public byte[] getTenantView() {
    return view.get(KEY);
  }

  @Benchmark
  public byte[] getRawS3Client() {
    return raw.getObjectAsBytes(b -> b.bucket(TestTenants.SHARED_BUCKET).key(absoluteKey)).asByteArray();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public String validateTypicalKey() {
    ObjectKeys.check(TYPICAL_KEY, 15);
    return TYPICAL_KEY;
  }
}
