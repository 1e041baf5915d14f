package dev.tenantkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** The loopback CloudFormation through the real SDK client: what a deployment sees of it. */
class LoopbackCloudFormationIntegrationTest {
  private static final String TEMPLATE = "{\"Resources\":{\"Data\":{\"Type\":\"AWS::S3::Bucket\"}}}";

  @Test
  void aCreatedStack_reachesCreateComplete_withTheOutputsForItsName_andIsProtectedFromDeletion() {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation();
        CloudFormationClient client = cfn.client(CloudFormationClient.builder())) {
      cfn.outputsFor(name -> Map.of("BucketName", name + "-data"));
      createAndExecute(client, "tenantkit-acme", ChangeSetType.CREATE, TEMPLATE);

      Stack stack = settle(() -> describe(client, "tenantkit-acme"));
      assertThat(stack.stackStatusAsString()).isEqualTo("CREATE_COMPLETE");
      assertThat(stack.outputs()).singleElement().satisfies(o -> {
        assertThat(o.outputKey()).isEqualTo("BucketName");
        assertThat(o.outputValue()).isEqualTo("tenantkit-acme-data");
      });
      assertThat(cfn.stackStatus("tenantkit-acme")).contains("CREATE_COMPLETE");
      assertThat(cfn.stackStatus("tenantkit-globex")).isEmpty();
      assertThat(client.describeStackEvents(r -> r.stackName("tenantkit-acme")).stackEvents().get(0)
          .resourceStatusAsString()).isEqualTo("CREATE_COMPLETE");

      // Created with termination protection, as the deployer asks: deletion is refused until it is off.
      assertThatThrownBy(() -> client.deleteStack(r -> r.stackName("tenantkit-acme")))
          .isInstanceOf(CloudFormationException.class).hasMessageContaining("TerminationProtection");
      client.updateTerminationProtection(r -> r.stackName("tenantkit-acme").enableTerminationProtection(false));
      client.deleteStack(r -> r.stackName("tenantkit-acme"));
      assertThatThrownBy(() -> settle(() -> describe(client, "tenantkit-acme")))
          .isInstanceOf(CloudFormationException.class).hasMessageContaining("does not exist");
      assertThat(cfn.stackNames()).isEmpty();
    }
  }

  @Test
  void aFailedCreation_rollsBack_andAnUpdateThatChangesNothing_isAFailedChangeSet() {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation();
        CloudFormationClient client = cfn.client(CloudFormationClient.builder())) {
      cfn.outputsOnCreate(Map.of("BucketName", "b"));
      cfn.failNextExecution("Data", "bucket name taken");
      createAndExecute(client, "tenantkit-acme", ChangeSetType.CREATE, TEMPLATE);
      Stack stack = settle(() -> describe(client, "tenantkit-acme"));
      assertThat(stack.stackStatusAsString()).isEqualTo("ROLLBACK_COMPLETE");
      assertThat(stack.stackStatusReason()).contains("[Data]");
      assertThat(client.describeStackEvents(r -> r.stackName("tenantkit-acme")).stackEvents())
          .anySatisfy(e -> {
            assertThat(e.logicalResourceId()).isEqualTo("Data");
            assertThat(e.resourceType()).isEqualTo("AWS::S3::Bucket"); // from the template
            assertThat(e.resourceStatusReason()).isEqualTo("bucket name taken");
          });

      try (LoopbackCloudFormation second = new LoopbackCloudFormation();
          CloudFormationClient other = second.client(CloudFormationClient.builder())) {
        createAndExecute(other, "s", ChangeSetType.CREATE, TEMPLATE);
        settle(() -> describe(other, "s"));
        other.createChangeSet(r -> r.stackName("s").changeSetName("again").changeSetType(ChangeSetType.UPDATE)
            .templateBody(TEMPLATE).capabilities(Capability.knownValues()));
        assertThat(other.describeChangeSet(r -> r.stackName("s").changeSetName("again")).statusReason())
            .contains("didn't contain changes");
      }
      assertThatThrownBy(() -> client.createChangeSet(r -> r.stackName("x").changeSetName("c")
          .changeSetType(ChangeSetType.CREATE).templateBody(TEMPLATE)))
          .isInstanceOf(CloudFormationException.class).hasMessageContaining("Requires capabilities");
    }
  }

  @Test
  void anInjectedFailure_failsTheNextExecutionOnly_andAPrettyPrintedTemplateIsNotAnEmptyChange() {
    try (LoopbackCloudFormation cfn = new LoopbackCloudFormation();
        CloudFormationClient client = cfn.client(CloudFormationClient.builder())) {
      cfn.failNextExecution("Data", "bucket name taken");
      createAndExecute(client, "first", ChangeSetType.CREATE, TEMPLATE);
      String pretty = "{\n  \"Resources\": {\n    \"Data\": {\n      \"Type\": \"AWS::S3::Bucket\"\n    }\n  }\n}";
      createAndExecute(client, "second", ChangeSetType.CREATE, pretty);
      assertThat(settle(() -> describe(client, "first")).stackStatusAsString()).isEqualTo("ROLLBACK_COMPLETE");
      Stack second = settle(() -> describe(client, "second"));
      assertThat(second.stackStatusAsString()).isEqualTo("CREATE_COMPLETE");
      assertThat(second.stackStatusReason()).isNull();
    }
  }

  private static void createAndExecute(CloudFormationClient client, String stack, ChangeSetType type, String body) {
    client.createChangeSet(r -> r.stackName(stack).changeSetName("cs-1").changeSetType(type).templateBody(body)
        .capabilities(Capability.knownValues()));
    client.executeChangeSet(r -> r.stackName(stack).changeSetName("cs-1"));
  }

  private static Stack describe(CloudFormationClient client, String name) {
    return client.describeStacks(r -> r.stackName(name)).stacks().get(0);
  }

  /** Describes until the stack is no longer in progress (the loopback moves one step per call). */
  private static Stack settle(Supplier<Stack> describe) {
    for (int i = 0; i < 20; i++) {
      Stack s = describe.get();
      if (!s.stackStatusAsString().endsWith("IN_PROGRESS")) {
        return s;
      }
    }
    throw new AssertionError("the stack never settled");
  }
}
