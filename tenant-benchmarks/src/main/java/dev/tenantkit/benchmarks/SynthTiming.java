package dev.tenantkit.benchmarks;

import dev.tenantkit.provision.TenantStack;
import dev.tenantkit.provision.TenantStackSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awscdk.App;

/**
 * Synthesis time for one tenant stack and for ten tenant stacks in one CDK app (the cost of each
 * extra tenant), plus peak memory of the JVM heap and of the jsii Node.js process. A timing
 * harness rather than JMH: one synthesis takes seconds and runs in a Node.js child process, so
 * what matters is wall time over repeated runs in one warm JVM, reported with min, median and max.
 * Run: {@code java -cp tenant-benchmarks/target/benchmarks.jar dev.tenantkit.benchmarks.SynthTiming [rounds]}.
 */
public final class SynthTiming {
  private static final String CERT = "arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

  private SynthTiming() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    long cold = synth(1); // starts the jsii runtime and loads aws-cdk-lib into Node.js
    synth(1);
    long[] one = new long[rounds];
    long[] ten = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      one[i] = synth(1);
      ten[i] = synth(10);
    }
    Arrays.sort(one);
    Arrays.sort(ten);
    System.out.printf("first synthesis in a fresh JVM (jsii and Node.js start-up included): %d ms%n", cold);
    System.out.printf("rounds=%d (after 2 warm-up syntheses)%n", rounds);
    System.out.printf("1 tenant stack : min %d ms, median %d ms, max %d ms%n", one[0], one[rounds / 2], one[rounds - 1]);
    System.out.printf("10 tenant stacks: min %d ms, median %d ms, max %d ms%n", ten[0], ten[rounds / 2], ten[rounds - 1]);
    System.out.printf("per extra tenant (median): %d ms%n", (ten[rounds / 2] - one[rounds / 2]) / 9);
    long heapPeak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPeak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf("JVM heap peak (sum of pool peaks): %d MB%n", heapPeak >> 20);
    for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
      Path status = Path.of("/proc/" + child.pid() + "/status");
      if (Files.exists(status)) {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmHWM:")) {
            System.out.printf("child %s (%s) peak resident memory: %s%n", child.pid(),
                child.info().command().orElse("?"), line.substring(6).trim());
          }
        }
      }
    }
    System.exit(0);
  }

  private static long synth(int tenants) {
    long start = System.nanoTime();
    App app = App.Builder.create().build();
    List<TenantStack> stacks = new ArrayList<>();
    for (int i = 0; i < tenants; i++) {
      stacks.add(TenantStack.create(app, TenantStackSpec.builder().tenant(String.format("tenant-%02d", i))
          .tier(i % 3 == 0 ? "premium" : "standard").region("eu-west-1").certificateArn(CERT).build()));
    }
    app.synth();
    return (System.nanoTime() - start) / 1_000_000;
  }
}
