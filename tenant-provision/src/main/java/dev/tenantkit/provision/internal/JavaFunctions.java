package dev.tenantkit.provision.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.RecursiveLoop;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * What TenantKit's Java function constructs share ({@code TenantIsolatedFunction},
 * {@code GatewayVerifiedFunction}): the function with the latest Java runtime on arm64, JSON logs
 * to a log group of its own kept 90 days, X-Ray active tracing and recursive loops stopped; an
 * execution role that may write that log group and nothing else; the builders' checks.
 */
public final class JavaFunctions {
  private JavaFunctions() {}

  /** The function and its execution role. */
  public record Parts(Function function, Role role) {}

  /**
   * Builds the log group ({@code Logs}), the role ({@code Role}) and the function
   * ({@code Function}) in {@code scope}; {@code specific} adds what one construct sets beyond these.
   */
  public static Parts build(Construct scope, String roleDescription, Code code, String handler, int memoryMb,
      int timeoutSeconds, Map<String, String> environment, String description, Consumer<Function.Builder> specific) {
    LogGroup logs = LogGroup.Builder.create(scope, "Logs").retention(RetentionDays.THREE_MONTHS)
        .removalPolicy(RemovalPolicy.RETAIN).build();
    Role role = Role.Builder.create(scope, "Role").assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
        .description(roleDescription).build();
    // Its own log group, not AWSLambdaBasicExecutionRole's logs:* on every group.
    role.addToPolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
        .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
        .resources(List.of(logs.getLogGroupArn() + ":*")).build());
    Function.Builder function = Function.Builder.create(scope, "Function")
        .runtime(Runtime.JAVA_25)
        .architecture(Architecture.ARM_64)
        .code(code)
        .handler(handler)
        .memorySize(memoryMb)
        .timeout(Duration.seconds(timeoutSeconds))
        .environment(environment)
        .role(role)
        .logGroup(logs)
        .loggingFormat(LoggingFormat.JSON)
        .tracing(Tracing.ACTIVE)
        .recursiveLoop(RecursiveLoop.TERMINATE)
        .description(description);
    specific.accept(function);
    Parts parts = new Parts(function.build(), role);
    String logGroupId = Stack.of(logs).getLogicalId((CfnElement) logs.getNode().getDefaultChild());
    Nag.suppress(role, "AwsSolutions-IAM5", "Log streams are created per execution environment under the function's"
        + " own log group (its ARN then :*, no other group); X-Ray's PutTraceSegments and PutTelemetryRecords take"
        + " no resource (AWS documents Resource * for them)",
        List.of("Resource::<" + logGroupId + ".Arn>:*", "Resource::*"));
    return parts;
  }

  /** A handler name, or the builder's refusal. */
  public static String handler(String handler) {
    if (handler == null || handler.isBlank()) {
      throw new IllegalArgumentException("handler must name the handler class, such as com.example.Handler");
    }
    return handler;
  }

  /** A memory size Lambda accepts, or the builder's refusal. */
  public static int memoryMb(int memoryMb) {
    if (memoryMb < 128 || memoryMb > 10_240) {
      throw new IllegalArgumentException("memoryMb must be 128 to 10240, was " + memoryMb);
    }
    return memoryMb;
  }

  /** A timeout of 1 to {@code max} seconds ({@code limit} says whose limit that is), or the builder's refusal. */
  public static int timeoutSeconds(int timeoutSeconds, int max, String limit) {
    if (timeoutSeconds < 1 || timeoutSeconds > max) {
      throw new IllegalArgumentException("timeoutSeconds must be 1 to " + max + " (" + limit + "), was "
          + timeoutSeconds);
    }
    return timeoutSeconds;
  }
}
