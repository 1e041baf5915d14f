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
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * The function behind an HTTP API JWT authorizer, synthesised with cdk-nag's AwsSolutions pack:
 * what {@code ApiGatewayJwtGuard}'s trust rests on is in the template.
 */
class GatewayVerifiedFunctionTest {
  private static final String ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Acme";
  private static Template template;
  private static List<String> nagErrors;
  private static List<String> nagWarnings;

  static GatewayVerifiedFunction.Builder function(Stack stack) {
    return GatewayVerifiedFunction.builder(stack, "Documents")
        .code(Code.fromBucket(Bucket.fromBucketName(stack, "Artifacts", "acme-artifacts"), "documents-lambda.jar"))
        .handler("dev.tenantkit.examples.lambda.DocumentsHandler::handleRequest")
        .issuer(ISSUER)
        .audience(List.of("acme-app-client"))
        .environment(Map.of("TENANTKIT_CATALOG", "/var/task/tenants.json"));
  }

  @BeforeAll
  static void synth() {
    App app = App.Builder.create().build();
    Stack stack = new Stack(app, "Acme");
    function(stack).build();
    Synth.Checked checked = Synth.checked(app, stack);
    template = checked.template();
    nagErrors = checked.nagErrors();
    nagWarnings = checked.nagWarnings();
  }

  @Test
  void everyRoute_isBehindTheJwtAuthorizer_ofTheOneIssuer_readingTheAuthorizationHeader() {
    template.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 1);
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
        "AuthorizerType", "JWT",
        "IdentitySource", List.of("$request.header.Authorization"),
        "JwtConfiguration", Map.of("Issuer", ISSUER, "Audience", List.of("acme-app-client"))));
    Map<String, Map<String, Object>> routes = template.findResources("AWS::ApiGatewayV2::Route");
    assertThat(routes).isNotEmpty();
    routes.values().forEach(route -> assertThat(route.toString()).contains("AuthorizationType=JWT"));
  }

  @Test
  void onlyThisApi_mayInvokeTheFunction_whichHasNoOtherTrigger() {
    template.resourceCountIs("AWS::Lambda::Permission", 1);
    template.hasResourceProperties("AWS::Lambda::Permission", Map.of(
        "Action", "lambda:InvokeFunction",
        "Principal", "apigateway.amazonaws.com",
        "SourceArn", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(Match.arrayWith(List.of(
            ":execute-api:", Match.objectLike(Map.of("Ref", Match.stringLikeRegexp("DocumentsApi.*")))))))))));
    template.resourceCountIs("AWS::Lambda::EventSourceMapping", 0);
    template.resourceCountIs("AWS::Lambda::Url", 0);
  }

  @Test
  void theFunction_bindsTokensWithoutCheckingSignatures_andItsRoleWritesItsOwnLogsOnly() {
    template.hasResourceProperties("AWS::Lambda::Function", Map.of(
        "Environment", Map.of("Variables", Map.of(
            "TENANTKIT_API_GATEWAY_VERIFIES_TOKENS", "true",
            "TENANTKIT_CATALOG", "/var/task/tenants.json")),
        "Runtime", "java25",
        "Architectures", List.of("arm64"),
        "Timeout", 29,
        "TracingConfig", Map.of("Mode", "Active")));
    String policies = template.findResources("AWS::IAM::Policy").toString();
    assertThat(policies).contains("logs:PutLogEvents").doesNotContain("logs:*").doesNotContain("s3:")
        .doesNotContain("dynamodb:").doesNotContain("sts:");
  }

  @Test
  void theStage_logsAccessWithoutTokens_andIsThrottled() {
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
        "StageName", "$default",
        "AutoDeploy", true,
        "DefaultRouteSettings", Match.objectLike(Map.of("ThrottlingRateLimit", 100, "ThrottlingBurstLimit", 200)),
        "AccessLogSettings", Match.objectLike(Map.of("Format", Match.stringLikeRegexp(".*authorizer.error.*")))));
    String stage = template.findResources("AWS::ApiGatewayV2::Stage").toString();
    assertThat(stage).doesNotContain("authorization").doesNotContain("claims");
    template.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 90));
  }

  @Test
  void cdkNag_awsSolutions_hasNoUnsuppressedFinding() {
    assertThat(nagErrors).isEmpty();
    assertThat(nagWarnings).isEmpty();
  }

  @Test
  void builder_refusesWhatWouldLetMoreIn() {
    Stack stack = new Stack(App.Builder.create().build(), "Refused");
    assertThatThrownBy(() -> GatewayVerifiedFunction.builder(stack, "F").issuer("http://idp.example"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    assertThatThrownBy(() -> GatewayVerifiedFunction.builder(stack, "F").issuer(ISSUER + "?x=1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query");
    assertThatThrownBy(() -> GatewayVerifiedFunction.builder(stack, "F").audience(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audience");
    assertThatThrownBy(() -> GatewayVerifiedFunction.builder(stack, "F")
        .environment(Map.of("TENANTKIT_API_GATEWAY_VERIFIES_TOKENS", "false")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set by GatewayVerifiedFunction");
    assertThatThrownBy(() -> GatewayVerifiedFunction.builder(stack, "F").timeoutSeconds(30))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("29");
    // Without an issuer or audience there is no authorizer to build: refused, never an open API.
    assertThatThrownBy(() -> GatewayVerifiedFunction.builder(stack, "F")
        .code(Code.fromInline("x")).handler("x.Handler").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer and audience");
  }
}
