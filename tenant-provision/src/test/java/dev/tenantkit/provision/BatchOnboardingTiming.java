package dev.tenantkit.provision;

import dev.tenantkit.testkit.LoopbackCloudFormation;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.testkit.LocalS3;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A timing harness, not a test: onboards a batch of tenants through the loopback CloudFormation
 * (the real SDK client, the real synthesis and cdk-nag, templates through a real S3 protocol
 * server) at concurrency 1 and at concurrency N, in one JVM, and prints both wall times and
 * their ratio. The loopback stack takes {@code deploySeconds} from ExecuteChangeSet to
 * CREATE_COMPLETE, standing in for CloudFormation's own deployment time (real tenant stacks take
 * 10 to 20 minutes, mostly RDS and NAT gateways); synthesis is real and runs one tenant at a time
 * (jsii is single-threaded).
 *
 * <pre>
 * mvn -B -q -pl tenant-provision -am -DskipTests test-compile
 * mvn -B -q -pl tenant-provision exec:java -Dexec.skip=false -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.tenantkit.provision.BatchOnboardingTiming -Dexec.args="50 10 3"
 * </pre>
 */
public final class BatchOnboardingTiming {
  private BatchOnboardingTiming() {}

  public static void main(String[] args) throws Exception {
    int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    long deploySeconds = args.length > 2 ? Long.parseLong(args[2]) : 3;
    try (LocalS3 s3 = LocalS3.start()) {
      s3.createBucket("tenantkit-templates");
      // Warm-up: the first synthesis starts jsii's Node.js process and loads aws-cdk-lib.
      run(s3, List.of(spec("warmup")), 1, 0);
      long serial = run(s3, specs("serial", tenants), 1, deploySeconds);
      long parallel = run(s3, specs("batch", tenants), concurrency, deploySeconds);
      System.out.printf("tenants=%d deploy=%ds concurrency 1: %.1f s, concurrency %d: %.1f s, speed-up %.2fx%n",
          tenants, deploySeconds, serial / 1e3, concurrency, parallel / 1e3, (double) serial / parallel);
    }
    System.exit(0);
  }

  private static TenantStackSpec spec(String id) {
    return Synth.spec("basic").tenant(id).build();
  }

  private static List<TenantStackSpec> specs(String prefix, int count) {
    List<TenantStackSpec> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(spec(prefix + "-" + i));
    }
    return out;
  }

  private static long run(LocalS3 s3, List<TenantStackSpec> specs, int concurrency, long deploySeconds) {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation()) {
      cfn.outputsFor(RegistryOnboardingIntegrationTest::outputs);
      cfn.deployTime(java.time.Duration.ofMillis(deploySeconds * 1000));
      TenantOnboarding onboarding = TenantOnboarding.builder().catalog(TenantCatalog.inMemory())
          .deployer(StackDeployer.builder().cloudFormation(cfn.client(CloudFormationClient.builder())).templateBucket(s3.client(), "tenantkit-templates")
              .pollInterval(Duration.ofMillis(200)).timeout(Duration.ofMinutes(30)).build())
          .build();
      long t0 = System.nanoTime();
      List<TenantOnboarding.BatchOutcome> outcomes = onboarding.onboardAll(specs, concurrency);
      long millis = (System.nanoTime() - t0) / 1_000_000;
      long failed = outcomes.stream().filter(o -> !o.succeeded()).count();
      if (failed > 0) {
        throw new IllegalStateException(failed + " tenants failed: " + outcomes.stream()
            .filter(o -> !o.succeeded()).findFirst().orElseThrow().failure());
      }
      return millis;
    }
  }
}
