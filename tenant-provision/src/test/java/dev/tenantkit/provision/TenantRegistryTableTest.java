package dev.tenantkit.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.core.TenantId;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;

/**
 * The registry table of the control-plane stack, synthesised and checked with CDK assertions and
 * cdk-nag's AwsSolutions pack, and the two read grants.
 */
class TenantRegistryTableTest {

  private record Synthed(Template template, List<String> nagFindings) {}

  private static Synthed synth() {
    App app = App.Builder.create().build();
    Stack stack = new Stack(app, "ControlPlane", StackProps.builder()
        .env(Environment.builder().region("eu-west-1").account("111122223333").build()).build());
    TenantRegistryTable registry = new TenantRegistryTable(stack, "Registry", "tenantkit-tenants");
    Role silo = Role.Builder.create(stack, "SiloRole").assumedBy(new ServicePrincipal("ec2.amazonaws.com")).build();
    Role pooled = Role.Builder.create(stack, "PooledRole").assumedBy(new ServicePrincipal("ec2.amazonaws.com")).build();
    registry.grantOwnItem(silo, TenantId.of("acme"));
    registry.grantAllItems(pooled);
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().build()));
    app.synth();
    List<String> findings = new java.util.ArrayList<>();
    Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))
        .forEach(m -> findings.add(m.getId() + " " + m.getEntry().getData()));
    Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))
        .forEach(m -> findings.add(m.getId() + " " + m.getEntry().getData()));
    return new Synthed(Template.fromStack(stack), findings);
  }

  @Test
  void table_keyedByTenantId_onDemand_recoverable_protected_retained_encrypted_nagClean() {
    Synthed s = synth();
    assertThat(s.nagFindings()).as("cdk-nag findings").isEmpty();
    Template t = s.template();
    t.resourceCountIs("AWS::DynamoDB::Table", 1);
    t.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
        "TableName", "tenantkit-tenants",
        "KeySchema", List.of(Map.of("AttributeName", "tenantId", "KeyType", "HASH")),
        "AttributeDefinitions", List.of(Map.of("AttributeName", "tenantId", "AttributeType", "S")),
        "BillingMode", "PAY_PER_REQUEST",
        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
        "DeletionProtectionEnabled", true,
        "SSESpecification", Map.of("SSEEnabled", true)));
    t.hasResource("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
  }

  /** Every statement of every IAM policy in the template, by Sid. */
  static Map<String, Map<String, Object>> statements(Template t) {
    ObjectMapper m = new ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode policies = m.valueToTree(t.findResources("AWS::IAM::Policy"));
    Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
    policies.forEach(p -> p.path("Properties").path("PolicyDocument").path("Statement").forEach(st -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> statement = m.convertValue(st, Map.class);
      out.put(String.valueOf(statement.get("Sid")), statement);
    }));
    return out;
  }

  /** A policy value as a list (CloudFormation writes a single value without the list). */
  static List<Object> values(Object value) {
    return value instanceof List<?> l ? List.copyOf(l) : List.of(value);
  }

  @Test
  void siloGrant_isGetItemOfItsOwnKeyOnly_pooledGrant_readsAll_andNeitherWrites() throws Exception {
    Template t = synth().template();
    Map<String, Map<String, Object>> statements = statements(t);
    Map<String, Object> own = statements.get("ReadOwnTenantRecord");
    assertThat(own).as(statements.toString()).isNotNull();
    assertThat(own.get("Effect")).isEqualTo("Allow");
    assertThat(values(own.get("Action"))).containsExactly("dynamodb:GetItem");
    assertThat(new ObjectMapper().writeValueAsString(own.get("Resource"))).contains("Fn::GetAtt").contains("Registry");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> condition = (Map<String, Map<String, Object>>) own.get("Condition");
    assertThat(condition).containsOnlyKeys("ForAllValues:StringEquals");
    assertThat(condition.get("ForAllValues:StringEquals")).containsOnlyKeys("dynamodb:LeadingKeys");
    assertThat(values(condition.get("ForAllValues:StringEquals").get("dynamodb:LeadingKeys"))).containsExactly("acme");

    Map<String, Object> all = statements.get("ReadAllTenantRecords");
    assertThat(all).isNotNull();
    assertThat(values(all.get("Action"))).containsExactly("dynamodb:GetItem", "dynamodb:Scan");
    assertThat(all).doesNotContainKey("Condition");
    String policies = new ObjectMapper().writeValueAsString(t.findResources("AWS::IAM::Policy"));
    assertThat(policies).doesNotContain("dynamodb:Put").doesNotContain("dynamodb:Update").doesNotContain("dynamodb:Delete")
        .doesNotContain("dynamodb:Query").doesNotContain("dynamodb:*").doesNotContain("dynamodb:Batch");
  }

  @Test
  void ownItemOnly_neverGrantsScan_whichTheConditionWouldNotStop() {
    var statement = TenantRegistryTable.ownItemOnly("arn:aws:dynamodb:eu-west-1:111122223333:table/t", TenantId.of("acme"));
    Map<String, Object> json = asMap(statement.toStatementJson());
    assertThat(values(json.get("Action"))).containsExactly("dynamodb:GetItem");
    assertThat(new ObjectMapper().valueToTree(json.get("Condition")).toString())
        .matches("\\{\"ForAllValues:StringEquals\":\\{\"dynamodb:LeadingKeys\":(\"acme\"|\\[\"acme\"\\])}}");
  }

  @Test
  void aTableName_dynamoWouldRefuse_isRefusedAtSynthesis() {
    App app = App.Builder.create().build();
    Stack stack = new Stack(app, "ControlPlane");
    assertThatThrownBy(() -> new TenantRegistryTable(stack, "Registry", "no spaces"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tableName must be");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) new ObjectMapper().convertValue(o, Map.class);
  }
}
