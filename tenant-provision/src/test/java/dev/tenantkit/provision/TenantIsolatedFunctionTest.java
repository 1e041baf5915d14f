package dev.tenantkit.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.sqs.Queue;

/** The tenant-isolated function construct, synthesised with cdk-nag's AwsSolutions pack. */
class TenantIsolatedFunctionTest {
  private static Template template;
  private static List<String> nagErrors;
  private static List<String> nagWarnings;

  static TenantIsolatedFunction function(Stack stack) {
    return TenantIsolatedFunction.builder(stack, "Documents")
        .code(Code.fromBucket(Bucket.fromBucketName(stack, "Artifacts", "acme-artifacts"), "documents-lambda.jar"))
        .handler("dev.tenantkit.examples.lambda.DocumentsHandler::handleRequest")
        .environment(Map.of("TENANTKIT_CATALOG", "/var/task/tenants.json"))
        .build();
  }

  @BeforeAll
  static void synth() {
    App app = App.Builder.create().build();
    Stack stack = new Stack(app, "Pooled");
    TenantIsolatedFunction fn = function(stack);
    Role data = Role.Builder.create(stack, "TenantData").assumedBy(new AccountRootPrincipal()).build();
    fn.allowTenantSessions(data);
    Synth.Checked checked = Synth.checked(app, stack);
    template = checked.template();
    nagErrors = checked.nagErrors();
    nagWarnings = checked.nagWarnings();
  }

  @Test
  void function_perTenantIsolation_latestJavaOnArm_jsonLogsKept_tracing_noSnapStart() {
    template.hasResourceProperties("AWS::Lambda::Function", Map.of(
        "TenancyConfig", Map.of("TenantIsolationMode", "PER_TENANT"),
        "Runtime", "java25",
        "Architectures", List.of("arm64"),
        "Timeout", 29,
        "MemorySize", 1024,
        "TracingConfig", Map.of("Mode", "Active"),
        "LoggingConfig", Match.objectLike(Map.of("LogFormat", "JSON")),
        "Handler", "dev.tenantkit.examples.lambda.DocumentsHandler::handleRequest"));
    template.hasResourceProperties("AWS::Lambda::Function", Map.of("SnapStart", Match.absent()));
    template.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 90));
  }

  @Test
  void role_writesItsOwnLogsOnly_andAssumesTheTenantDataRoleOnlyWithATenantTag() {
    String policies = template.findResources("AWS::IAM::Policy").toString();
    assertThat(policies).contains("logs:PutLogEvents").doesNotContain("logs:*").doesNotContain("s3:")
        .doesNotContain("dynamodb:").doesNotContain("rds-db:");
    template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement",
        Match.arrayWith(List.of(Match.objectLike(Map.of(
            "Action", List.of("sts:AssumeRole", "sts:TagSession"),
            "Condition", Map.of("Null", Map.of("aws:RequestTag/TenantId", "false"),
                "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of("TenantId"))))))))));
    // The data role trusts the function's role, with the tag required.
    template.hasResourceProperties("AWS::IAM::Role", Map.of("AssumeRolePolicyDocument", Map.of("Statement",
        Match.arrayWith(List.of(Match.objectLike(Map.of(
            "Action", List.of("sts:AssumeRole", "sts:TagSession"),
            "Condition", Map.of("Null", Map.of("aws:RequestTag/TenantId", "false"),
                "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of("TenantId"))))))))));
    assertThat(template.findResources("AWS::IAM::ManagedPolicy")).isEmpty();
    template.hasResourceProperties("AWS::IAM::Role", Map.of(
        "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
            "Principal", Map.of("Service", "lambda.amazonaws.com")))))),
        "ManagedPolicyArns", Match.absent()));
  }

  @Test
  void cdkNag_awsSolutions_hasNoUnsuppressedFinding() {
    assertThat(nagErrors).isEmpty();
    assertThat(nagWarnings).isEmpty();
  }

  @Test
  void anSqsEventSource_whichTheModeDoesNotAllow_isRefusedAtSynthesis() {
    Stack stack = new Stack(App.Builder.create().build(), "Other");
    TenantIsolatedFunction fn = function(stack);
    assertThatThrownBy(() -> fn.function().addEventSource(new SqsEventSource(new Queue(stack, "Q"))))
        .hasMessageContaining("tenant isolation");
  }

  @Test
  void builder_refusesWhatLambdaWouldRefuse() {
    Stack stack = new Stack(App.Builder.create().build(), "Bad");
    assertThatThrownBy(() -> TenantIsolatedFunction.builder(stack, "F").memoryMb(64))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memoryMb must be 128 to 10240, was 64");
    assertThatThrownBy(() -> TenantIsolatedFunction.builder(stack, "F").timeoutSeconds(901))
        .hasMessageContaining("timeoutSeconds must be 1 to 900");
    assertThatThrownBy(() -> TenantIsolatedFunction.builder(stack, "F").handler(" "))
        .hasMessageContaining("handler must name");
    assertThatThrownBy(() -> TenantIsolatedFunction.builder(stack, "F").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs its code and its handler");
  }
}
