package dev.tenantkit.provision.cli;

import dev.tenantkit.provision.TenantStackSpec;
import dev.tenantkit.provision.TenantTemplates;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code synth}: the template, its resources by type and the estimated fixed monthly cost in the
 * stack's Region; needs no AWS account or network. Prints progress while CDK synthesises and keeps
 * the cloud assembly (with cdk-nag's and CDK's reports) under {@code --out}.
 */
@Command(name = "synth", description = "Write the tenant's CloudFormation template to --out and print a summary "
    + "(resources by type, estimated fixed monthly cost). Needs no AWS account or network.")
final class SynthCommand implements Callable<Integer> {
  @Mixin
  SpecOptions spec = new SpecOptions();

  @Option(names = "--out", required = true, description = "directory for <stack>.template.json (and cdk.out/)")
  Path out = Path.of(".");

  @CommandLine.Spec
  CommandLine.Model.@org.jspecify.annotations.Nullable CommandSpec command;

  @Override
  public Integer call() throws IOException {
    TenantStackSpec s = spec.spec();
    PrintWriter p = java.util.Objects.requireNonNull(command, "picocli injects the spec").commandLine().getOut();
    Path assembly = spec.assemblyDir(s, out.resolve("cdk.out")).toAbsolutePath();
    TenantTemplates.Synthesized t = NagException.synthChecked(s, assembly, p::println);
    Files.createDirectories(out);
    Path file = out.resolve(s.stackName() + ".template.json");
    Files.writeString(file, t.json());
    p.printf("%s: tier %s, %d AZs, written to %s (%,d bytes)%n", s.stackName(), s.tier().name(),
        s.availabilityZones(), file, Files.size(file));
    p.println("cdk-nag AwsSolutions: no unsuppressed findings");
    p.println("Reports (kept): " + String.join(", ", reports(t.assemblyDirectory())));
    p.println();
    p.println("Resources by type:");
    Map<String, Integer> byType = t.resourcesByType();
    byType.forEach((type, n) -> p.printf("  %3d  %s%n", n, type));
    p.printf("  %3d  in all%n", byType.values().stream().mapToInt(Integer::intValue).sum());
    p.println();
    printCost(p, s);
    return 0;
  }

  /** cdk-nag's CSV reports and CDK's validation report in the assembly, by absolute path. */
  private static List<String> reports(Path assembly) throws IOException {
    try (Stream<Path> files = Files.list(assembly)) {
      List<String> found = files.filter(f -> f.getFileName().toString().endsWith("NagReport.csv")
              || f.getFileName().toString().equals("validation-report.json"))
          .map(f -> f.toAbsolutePath().toString()).sorted().toList();
      return found.isEmpty() ? List.of(assembly.toString()) : found;
    }
  }

  private static void printCost(PrintWriter p, TenantStackSpec s) {
    CostEstimate cost = CostEstimate.load();
    if (!cost.hasRegion(s.region())) {
      p.printf("Estimated fixed monthly cost: not estimated, the price table (of %s) has no prices for %s "
          + "(it has %s); see the AWS Pricing Calculator%n", cost.asOf(), s.region(),
          String.join(", ", cost.regions()));
      return;
    }
    p.printf("Estimated fixed monthly cost, USD, %s (%s; price table of %s):%n", s.region(),
        cost.regionName(s.region()), cost.asOf());
    double total = 0;
    boolean unknown = false;
    for (var e : cost.monthly(s).entrySet()) {
      if (Double.isNaN(e.getValue())) {
        unknown = true;
        p.printf("  %10s  %s%n", "n/a", e.getKey() + " (type not in the price table for " + s.region() + ")");
      } else {
        total += e.getValue();
        p.printf("  %10.2f  %s%n", e.getValue(), e.getKey());
      }
    }
    p.printf("  %10.2f  total%s%n", total, unknown ? " (without the n/a lines)" : "");
    p.println("  " + cost.basis());
  }
}
