package dev.tenantkit.provision.cli;

import dev.tenantkit.provision.StackDeployer;
import dev.tenantkit.provision.TenantStackSpec;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code diff}: the resource changes a deploy would make, from a change set that is deleted again. */
@Command(name = "diff", description = "Preview the changes a deploy would make (a change set, deleted again).")
final class DiffCommand extends AwsCommand {
  @Mixin
  SpecOptions spec = new SpecOptions();

  @Option(names = "--template-bucket", required = true)
  String templateBucket = "";

  @Override
  public Integer call() {
    TenantStackSpec s = spec.spec();
    PrintWriter p = out();
    String template = NagException.synthChecked(s, spec.assemblyDir(s, null), p::println).json();
    List<StackDeployer.ResourceChange> changes = aws.deployer(s.region(), p, templateBucket)
        .diff(s.stackName(), template);
    if (changes.isEmpty()) {
      p.println(s.stackName() + ": no changes");
    }
    for (StackDeployer.ResourceChange c : changes) {
      p.printf("  %-8s %-45s %-40s %s%n", c.action(), c.logicalId(), c.resourceType(),
          c.replacement().isEmpty() ? "" : "replacement: " + c.replacement());
    }
    return 0;
  }
}
