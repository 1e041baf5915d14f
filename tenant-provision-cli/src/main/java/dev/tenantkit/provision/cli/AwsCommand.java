package dev.tenantkit.provision.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** What every subcommand that talks to AWS has: the AWS options, and the command's output. */
abstract class AwsCommand implements Callable<Integer> {
  @Mixin
  AwsOptions aws = new AwsOptions();

  @CommandLine.Spec
  CommandLine.Model.@Nullable CommandSpec command;

  /** Where the command prints (picocli's out, so tests can capture it). */
  PrintWriter out() {
    if (command == null) {
      throw new IllegalStateException("not run by picocli");
    }
    return command.commandLine().getOut();
  }
}
