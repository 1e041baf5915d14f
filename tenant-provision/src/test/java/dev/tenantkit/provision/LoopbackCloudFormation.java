package dev.tenantkit.provision;

import static dev.tenantkit.testkit.AwsWireProtocol.xmlText;

import dev.tenantkit.testkit.AwsWireProtocol;
import dev.tenantkit.testkit.LoopbackAwsEndpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * No CloudFormation emulator exists here, so this loopback endpoint answers the CloudFormation
 * query protocol (form-encoded {@code Action=...} POSTs, XML responses and errors) for the calls
 * a deployment makes. The real SDK client talks to it, so the SDK's own marshalling and error
 * mapping run. Its stacks move one step per {@code DescribeStacks} after a change set executes
 * (IN_PROGRESS, then COMPLETE; with an injected failure a creation ends ROLLBACK_COMPLETE and an
 * update goes UPDATE_ROLLBACK_IN_PROGRESS, then UPDATE_ROLLBACK_COMPLETE with its previous outputs
 * and resources, as CloudFormation's update rollback does), with an event per resource.
 * {@code ListStackResources} answers the resources the test says the stack holds. The plumbing
 * (server, form parsing, XML shapes, call recording) comes from {@link LoopbackAwsEndpoint}.
 */
final class LoopbackCloudFormation extends LoopbackAwsEndpoint {
  static final class StackSim {
    final String name;
    final String id;
    String status;
    String reason;
    String template;
    String templateUrl;
    Map<String, String> outputs = new LinkedHashMap<>();
    final List<String[]> events = new ArrayList<>(); // id, logicalId, type, status, reason, time
    String pendingTarget; // the status an executing change set ends in
    long pendingSince; // System.nanoTime() when it was set
    boolean terminationProtection;
    List<String[]> resources = new ArrayList<>(); // logicalId, type, physicalId

    StackSim(String name) {
      this.name = name;
      this.id = "arn:aws:cloudformation:eu-west-1:111122223333:stack/" + name + "/" + java.util.UUID.randomUUID();
    }
  }

  static final class ChangeSetSim {
    final String stack;
    final String type;
    final String template;
    final String templateUrl;
    final int resources;

    ChangeSetSim(String stack, String type, String template, String templateUrl, int resources) {
      this.stack = stack;
      this.type = type;
      this.template = template;
      this.templateUrl = templateUrl;
      this.resources = resources;
    }
  }

  final Map<String, StackSim> stacks = new LinkedHashMap<>();
  final Map<String, ChangeSetSim> changeSets = new LinkedHashMap<>();
  /** Outputs a created stack reports (what the real stack would output). */
  final Map<String, String> outputsOnCreate = new LinkedHashMap<>();
  /** When set, a created stack's outputs by stack name (many tenants in one run); else outputsOnCreate. */
  volatile java.util.function.Function<String, Map<String, String>> outputsFor;
  /**
   * How long an executing change set takes before its stack reaches its terminal status (0: the
   * next DescribeStacks). Models CloudFormation's deployment time for the batch measurement.
   */
  volatile long deployMillis;
  /** Outputs a successfully updated stack reports; unchanged outputs when empty. */
  final Map<String, String> outputsOnUpdate = new LinkedHashMap<>();
  /** Resources (logicalId, type, physicalId) a created stack holds. */
  final List<String[]> resourcesOnCreate = new CopyOnWriteArrayList<>();
  /** Resources a successfully updated stack holds; unchanged when empty. */
  final List<String[]> resourcesOnUpdate = new CopyOnWriteArrayList<>();
  /** When set, the next execution fails at this logical id with this reason. */
  volatile String failNextAt;
  volatile String failNextReason;
  private final AtomicInteger eventIds = new AtomicInteger();

  LoopbackCloudFormation() {
    super(AwsWireProtocol.query("http://cloudformation.amazonaws.com/doc/2010-05-15/"));
  }

  CloudFormationClient client() {
    return client(CloudFormationClient.builder());
  }

  @Override
  protected synchronized Reply answer(Call call) {
    Map<String, String> p = call.params();
    String action = call.operation();
    String stackName = p.get("StackName");
    StackSim stack = stackName == null ? null : stacks.get(stackName);
    switch (action) {
      case "DescribeStacks": {
        if (stack == null) {
          return error(400, "ValidationError", "Stack with id " + stackName + " does not exist");
        }
        advance(stack);
        StringBuilder outs = new StringBuilder();
        stack.outputs.forEach((k, v) -> outs.append("<member><OutputKey>").append(k).append("</OutputKey><OutputValue>")
            .append(xmlText(v)).append("</OutputValue></member>"));
        return ok(call, "<Stacks><member><StackName>" + stack.name + "</StackName><StackId>" + stack.id
            + "</StackId><CreationTime>2026-12-01T10:00:00Z</CreationTime><StackStatus>" + stack.status
            + "</StackStatus>" + (stack.reason == null ? "" : "<StackStatusReason>" + xmlText(stack.reason)
            + "</StackStatusReason>") + "<EnableTerminationProtection>" + stack.terminationProtection
            + "</EnableTerminationProtection><Outputs>" + outs + "</Outputs></member></Stacks>");
      }
      case "CreateChangeSet": {
        String type = p.getOrDefault("ChangeSetType", "UPDATE");
        if (type.equals("CREATE") && stack != null) {
          return error(400, "AlreadyExistsException", "Stack [" + stackName + "] already exists");
        }
        if (type.equals("UPDATE") && stack == null) {
          return error(400, "ValidationError", "Stack [" + stackName + "] does not exist");
        }
        if (!List.of("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND").stream()
            .allMatch(c -> p.containsValue(c))) {
          return error(400, "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM, CAPABILITY_AUTO_EXPAND]");
        }
        String body = p.get("TemplateBody");
        String url = p.get("TemplateURL");
        if (type.equals("CREATE")) {
          StackSim s = new StackSim(stackName);
          s.status = "REVIEW_IN_PROGRESS";
          stacks.put(stackName, s);
        }
        int resources = body == null ? 42 : count(body, "\"Type\":");
        // A template given by URL is content-addressed (the deployer names it by its SHA-256).
        boolean same = stack != null && (body != null ? body.equals(stack.template) : url.equals(stack.templateUrl));
        changeSets.put(p.get("ChangeSetName"), new ChangeSetSim(stackName, type, body, url, same ? 0 : resources));
        return ok(call, "<Id>arn:aws:cloudformation:eu-west-1:111122223333:changeSet/" + p.get("ChangeSetName")
            + "/1</Id><StackId>" + stacks.get(stackName).id + "</StackId>");
      }
      case "DescribeChangeSet": {
        ChangeSetSim cs = changeSets.get(p.get("ChangeSetName"));
        if (cs == null) {
          return error(400, "ChangeSetNotFound", "ChangeSet [" + p.get("ChangeSetName") + "] does not exist");
        }
        StringBuilder changes = new StringBuilder();
        for (int i = 0; i < Math.min(cs.resources, 3); i++) {
          changes.append("<member><Type>Resource</Type><ResourceChange><Action>")
              .append(cs.type.equals("CREATE") ? "Add" : "Modify").append("</Action><LogicalResourceId>Resource")
              .append(i).append("</LogicalResourceId><ResourceType>AWS::S3::Bucket</ResourceType>")
              .append(cs.type.equals("CREATE") ? "" : "<Replacement>False</Replacement>")
              .append("</ResourceChange></member>");
        }
        boolean empty = cs.resources == 0;
        return ok(call, "<ChangeSetName>" + p.get("ChangeSetName") + "</ChangeSetName><StackName>" + cs.stack
            + "</StackName><Status>" + (empty ? "FAILED" : "CREATE_COMPLETE") + "</Status>"
            + (empty ? "<StatusReason>The submitted information didn't contain changes. Submit different "
            + "information to create a change set.</StatusReason>" : "")
            + "<ExecutionStatus>" + (empty ? "UNAVAILABLE" : "AVAILABLE") + "</ExecutionStatus><Changes>" + changes
            + "</Changes>");
      }
      case "ExecuteChangeSet": {
        ChangeSetSim cs = changeSets.remove(p.get("ChangeSetName"));
        StackSim s = stacks.get(cs.stack);
        boolean create = cs.type.equals("CREATE");
        s.status = create ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS";
        s.pendingTarget = failNextAt != null ? (create ? "ROLLBACK_COMPLETE" : "UPDATE_ROLLBACK_COMPLETE")
            : (create ? "CREATE_COMPLETE" : "UPDATE_COMPLETE");
        s.pendingSince = System.nanoTime();
        if (create || failNextAt == null) { // a rolled-back update keeps the previous template
          s.template = cs.template;
          s.templateUrl = cs.templateUrl;
        }
        s.terminationProtection = true;
        event(s, s.name, "AWS::CloudFormation::Stack", s.status, "User Initiated");
        return ok(call, "");
      }
      case "DeleteChangeSet":
        changeSets.remove(p.get("ChangeSetName"));
        return ok(call, "");
      case "DescribeStackEvents": {
        if (stack == null) {
          return error(400, "ValidationError", "Stack [" + stackName + "] does not exist");
        }
        StringBuilder ev = new StringBuilder();
        for (int i = stack.events.size() - 1; i >= 0; i--) { // newest first, as CloudFormation lists them
          String[] e = stack.events.get(i);
          ev.append("<member><EventId>").append(e[0]).append("</EventId><StackName>").append(stack.name)
              .append("</StackName><StackId>").append(stack.id).append("</StackId><LogicalResourceId>").append(e[1])
              .append("</LogicalResourceId><ResourceType>").append(e[2]).append("</ResourceType><Timestamp>")
              .append(e[5]).append("</Timestamp><ResourceStatus>").append(e[3]).append("</ResourceStatus>")
              .append(e[4] == null ? "" : "<ResourceStatusReason>" + xmlText(e[4]) + "</ResourceStatusReason>")
              .append("</member>");
        }
        return ok(call, "<StackEvents>" + ev + "</StackEvents>");
      }
      case "ListStackResources": {
        if (stack == null) {
          return error(400, "ValidationError", "Stack with id " + stackName + " does not exist");
        }
        StringBuilder rs = new StringBuilder();
        for (String[] r : stack.resources) {
          rs.append("<member><LogicalResourceId>").append(r[0]).append("</LogicalResourceId><PhysicalResourceId>")
              .append(r[2]).append("</PhysicalResourceId><ResourceType>").append(r[1])
              .append("</ResourceType><LastUpdatedTimestamp>2026-12-01T10:00:00Z</LastUpdatedTimestamp>"
                  + "<ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>");
        }
        return ok(call, "<StackResourceSummaries>" + rs + "</StackResourceSummaries>");
      }
      case "UpdateTerminationProtection":
        if (stack != null) {
          stack.terminationProtection = Boolean.parseBoolean(p.get("EnableTerminationProtection"));
        }
        return ok(call, "<StackId>" + (stack == null ? "" : stack.id) + "</StackId>");
      case "DeleteStack":
        if (stack != null) {
          if (stack.terminationProtection) {
            return error(400, "ValidationError", "Stack [" + stackName + "] cannot be deleted while TerminationProtection is enabled");
          }
          stack.status = "DELETE_IN_PROGRESS";
          stack.pendingTarget = "DELETE_COMPLETE";
          event(stack, stack.name, "AWS::CloudFormation::Stack", "DELETE_IN_PROGRESS", "User Initiated");
        }
        return ok(call, "");
      default:
        return error(400, "InvalidAction", "unsupported action " + action);
    }
  }

  /** One step per DescribeStacks: IN_PROGRESS -> resource events -> terminal status. */
  private void advance(StackSim s) {
    if (s.pendingTarget == null) {
      return;
    }
    if (deployMillis > 0 && System.nanoTime() - s.pendingSince < deployMillis * 1_000_000L) {
      return;
    }
    String target = s.pendingTarget;
    s.pendingTarget = null;
    if (target.equals("DELETE_COMPLETE")) {
      event(s, s.name, "AWS::CloudFormation::Stack", "DELETE_COMPLETE", null);
      stacks.remove(s.name);
      return;
    }
    if (target.equals("UPDATE_ROLLBACK_COMPLETE") && !s.status.equals("UPDATE_ROLLBACK_IN_PROGRESS")) {
      // An update that fails rolls back first: one more step before the terminal status.
      event(s, failNextAt, "AWS::RDS::DBInstance", "UPDATE_FAILED", failNextReason);
      event(s, s.name, "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_IN_PROGRESS",
          "The following resource(s) failed to update: [" + failNextAt + "].");
      s.status = "UPDATE_ROLLBACK_IN_PROGRESS";
      s.pendingTarget = target;
      return;
    }
    if (target.endsWith("ROLLBACK_COMPLETE")) {
      boolean create = target.startsWith("ROLLBACK");
      if (create) {
        event(s, failNextAt, "AWS::RDS::DBInstance", "CREATE_FAILED", failNextReason);
      }
      event(s, s.name, "AWS::CloudFormation::Stack", target, null);
      s.status = target;
      s.reason = create ? "The following resource(s) failed to create: [" + failNextAt + "]. Rollback requested by user."
          : null;
      failNextAt = null;
      failNextReason = null;
      return; // an update's rollback keeps the previous outputs and resources
    }
    event(s, "NetworkVpc", "AWS::EC2::VPC", target.startsWith("CREATE") ? "CREATE_COMPLETE" : "UPDATE_COMPLETE", null);
    event(s, s.name, "AWS::CloudFormation::Stack", target, null);
    s.status = target;
    s.reason = null;
    if (target.equals("CREATE_COMPLETE")) {
      s.outputs = new LinkedHashMap<>(outputsFor != null ? outputsFor.apply(s.name) : outputsOnCreate);
      s.resources = new ArrayList<>(resourcesOnCreate);
    } else if (target.equals("UPDATE_COMPLETE")) {
      if (!outputsOnUpdate.isEmpty()) {
        s.outputs = new LinkedHashMap<>(outputsOnUpdate);
      }
      if (!resourcesOnUpdate.isEmpty()) {
        s.resources = new ArrayList<>(resourcesOnUpdate);
      }
    }
  }

  private void event(StackSim s, String logicalId, String type, String status, String reason) {
    s.events.add(new String[] {"ev-" + eventIds.incrementAndGet(), logicalId, type, status, reason,
        Instant.parse("2026-12-01T10:00:00Z").plusSeconds(eventIds.get()).toString()});
  }

  private static int count(String s, String needle) {
    int n = 0;
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(s);
    while (m.find()) {
      n++;
    }
    return n;
  }
}
