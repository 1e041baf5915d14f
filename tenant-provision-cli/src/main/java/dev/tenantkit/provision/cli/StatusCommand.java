package dev.tenantkit.provision.cli;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.provision.StackDeployer;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code status}: the stack's CloudFormation status and outputs; exit 1 when there is no stack. */
@Command(name = "status", description = "Print the stack's status and outputs.")
final class StatusCommand implements Callable<Integer> {
  @Option(names = "--tenant", required = true)
  String tenant = "";

  @Option(names = "--region", required = true)
  String region = "";

  @Mixin
  AwsOptions aws = new AwsOptions();

  @CommandLine.Spec
  CommandLine.Model.@Nullable CommandSpec command;

  @Override
  public Integer call() {
    String stack = "tenantkit-" + TenantId.of(tenant).value();
    PrintWriter p = command.commandLine().getOut();
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
