package dev.tenantkit.provision.cli;

import dev.tenantkit.core.TenantKitException;
import dev.tenantkit.provision.InvalidStackSpecException;
import dev.tenantkit.provision.OnboardingException;
import dev.tenantkit.provision.PreflightException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code tenantkit-provision}: a tenant's isolated stack from the command line. Exit codes: 0 done;
 * 1 the deployment or deletion failed (the record says FAILED, ACTIVE with the failed update's
 * reason, or OFFBOARDING); 2 bad arguments or spec (one line per problem); 3 preflight refused (a
 * quota would be exceeded); 4 cdk-nag found an unsuppressed issue; 5 AWS could not be reached or
 * refused the credentials. Each subcommand is its own class; this one maps outcomes to exit codes.
 */
@Command(name = "tenantkit-provision", mixinStandardHelpOptions = true, version = "TenantKit 0.1.0-SNAPSHOT",
    description = "Synthesise, deploy, inspect and delete a tenant's isolated AWS stack.",
    subcommands = {SynthCommand.class, DeployCommand.class, StatusCommand.class, DiffCommand.class,
        DestroyCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:deployment or deletion failed", "2:bad arguments or spec",
        "3:preflight refused (quota)", "4:cdk-nag finding", "5:AWS unreachable or credentials refused"})
public final class ProvisionCli {
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int PREFLIGHT = 3;
  static final int NAG = 4;
  static final int AWS = 5;

  private ProvisionCli() {}

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command; for tests and embedding. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(ProvisionCli.class);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      int code = exitCode(e);
      if (code < 0) {
        throw e;
      }
      err.println(message(e, code));
      return code;
    });
    return cl.execute(args);
  }

  /** The documented exit code for what a command threw, or -1 for a bug (rethrown). */
  static int exitCode(Exception e) {
    if (e instanceof InvalidStackSpecException || e instanceof CliSpecException) {
      return USAGE;
    }
    if (e instanceof PreflightException || e instanceof OnboardingException && e.getCause() instanceof PreflightException) {
      return PREFLIGHT;
    }
    if (e instanceof NagException) {
      return NAG;
    }
    if (e instanceof SdkException || e.getCause() instanceof SdkException) {
      return AWS;
    }
    if (e instanceof TenantKitException) {
      return FAILED;
    }
    return -1;
  }

  /** What the user is told: the error's own message, the preflight's shortfalls, or the AWS error. */
  private static String message(Exception e, int code) {
    Throwable cause = e.getCause();
    if (code == AWS) {
      return "AWS: " + (cause instanceof SdkException ? cause.getMessage() : e.getMessage());
    }
    if (code == PREFLIGHT && e instanceof OnboardingException && cause != null) {
      return String.valueOf(cause.getMessage());
    }
    return String.valueOf(e.getMessage());
  }
}
