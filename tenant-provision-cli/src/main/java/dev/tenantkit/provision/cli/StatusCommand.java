package dev.tenantkit.provision.cli;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.provision.StackDeployer;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code status}: the stack's CloudFormation status and outputs; exit 1 when there is no stack. */
@Command(name = "status", description = "Print the stack's status and outputs.")
final class StatusCommand extends AwsCommand {
  @Option(names = "--tenant", required = true)
  String tenant = "";

  @Option(names = "--region", required = true)
  String region = "";

  @Override
  public Integer call() {
    String stack = "tenantkit-" + TenantId.of(tenant).value();
    PrintWriter p = out();
    Optional<StackDeployer.StackState> state = aws.deployer(region, p, null).status(stack);
    if (state.isEmpty()) {
      p.println(stack + ": no such stack in " + region);
      return ProvisionCli.FAILED;
    }
    p.println(stack + ": " + state.get().status() + (state.get().reason() == null ? "" : " (" + state.get().reason() + ")"));
    new TreeMap<>(state.get().outputs()).forEach((k, v) -> p.printf("  %-20s %s%n", k, v));
    return 0;
  }
}
