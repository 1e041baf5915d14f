package dev.tenantkit.testkit;

import static dev.tenantkit.testkit.AwsWireProtocol.xmlText;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A loopback CloudFormation for tests of code that deploys stacks (tenant-provision's
 * {@code StackDeployer} and {@code TenantOnboarding}, or a team's own pipeline): no CloudFormation
 * emulator exists, so this endpoint answers CloudFormation's query protocol (form-encoded
 * {@code Action=...} POSTs, XML responses and errors) for the calls a deployment makes, and the
 * real SDK client talks to it, so the SDK's own marshalling and error mapping run. It creates no
 * resources: the test makes what the stack would hold (a bucket on {@code LocalS3}, a database on
 * {@code LocalPostgres}) and says what the stack outputs ({@link #outputsFor}).
 *
 * <p>Its stacks move one step per {@code DescribeStacks} after a change set executes (IN_PROGRESS,
 * then COMPLETE; with {@link #failNextExecution} a creation ends ROLLBACK_COMPLETE and an update
 * goes UPDATE_ROLLBACK_IN_PROGRESS, then UPDATE_ROLLBACK_COMPLETE with its previous outputs and
 * resources, as CloudFormation's update rollback does), with events for the stack and, on a
 * failure, for the failing resource (its type from the template, when given by body). A change set
 * must acknowledge CAPABILITY_IAM, CAPABILITY_NAMED_IAM and CAPABILITY_AUTO_EXPAND; one that
 * changes nothing fails as CloudFormation's does; a stack is created with termination protection
 * on and refuses deletion until it is turned off. {@code ListStackResources} answers the
 * resources the test says the stack holds.
 *
 * <pre>{@code
 * try (LoopbackCloudFormation cfn = new LoopbackCloudFormation();
 *     CloudFormationClient client = cfn.client(CloudFormationClient.builder())) {
 *   cfn.outputsFor(stack -> Map.of("BucketName", stack + "-data"));
 *   // ... deploy through client ...
 *   assertThat(cfn.stackStatus("tenantkit-acme")).contains("CREATE_COMPLETE");
 * }
 * }</pre>
 */
public final class LoopbackCloudFormation extends LoopbackAwsEndpoint {
  private static final class StackSim {
    final String name;
    final String id;
    String status = "REVIEW_IN_PROGRESS";
    @Nullable String reason;
    @Nullable String template;
    @Nullable String templateUrl;
    Map<String, String> outputs = new LinkedHashMap<>();
    final List<String[]> events = new ArrayList<>(); // id, logicalId, type, status, reason, time
    @Nullable String failAt; // the failure this stack's executing change set ends in
    @Nullable String failReason;
    @Nullable String pendingTarget; // the status an executing change set ends in
    long pendingSince; // System.nanoTime() when it was set
    boolean terminationProtection;
    List<String[]> resources = new ArrayList<>(); // logicalId, type, physicalId

    StackSim(String name) {
      this.name = name;
      this.id = "arn:aws:cloudformation:eu-west-1:111122223333:stack/" + name + "/" + java.util.UUID.randomUUID();
    }
  }

  private static final class ChangeSetSim {
    final String stack;
    final String type;
    final @Nullable String template;
    final @Nullable String templateUrl;
    final int resources;

    ChangeSetSim(String stack, String type, @Nullable String template, @Nullable String templateUrl, int resources) {
      this.stack = stack;
      this.type = type;
      this.template = template;
      this.templateUrl = templateUrl;
      this.resources = resources;
    }
  }

  private final Map<String, StackSim> stacks = new LinkedHashMap<>();
  private final Map<String, ChangeSetSim> changeSets = new LinkedHashMap<>();
  private Function<String, Map<String, String>> outputsFor = name -> Map.of();
  private long deployMillis;
  private final Map<String, String> outputsOnUpdate = new LinkedHashMap<>();
  private final List<String[]> resourcesOnCreate = new CopyOnWriteArrayList<>();
  private final List<String[]> resourcesOnUpdate = new CopyOnWriteArrayList<>();
  private @Nullable String failNextAt;
  private @Nullable String failNextReason;
  private final AtomicInteger eventIds = new AtomicInteger();

  /** Starts the endpoint on a free loopback port; point a client at it with {@link #client}. */
  public LoopbackCloudFormation() {
    super(AwsWireProtocol.query("http://cloudformation.amazonaws.com/doc/2010-05-15/"));
  }

  /**
   * The outputs every stack created from now on reports (what the real stack would output);
   * replaces what {@link #outputsFor} said.
   */
  public synchronized LoopbackCloudFormation outputsOnCreate(Map<String, String> outputs) {
    Map<String, String> copy = Map.copyOf(outputs);
    this.outputsFor = name -> copy;
    return this;
  }

  /**
   * The outputs a stack created from now on reports, by its name (many tenants in one run; the
   * function answering null: no outputs); replaces what {@link #outputsOnCreate} said.
   */
  public synchronized LoopbackCloudFormation outputsFor(Function<String, Map<String, String>> outputsByStackName) {
    this.outputsFor = java.util.Objects.requireNonNull(outputsByStackName, "outputsByStackName");
    return this;
  }

  /** The outputs a successfully updated stack reports; when never set, an update keeps them. */
  public synchronized LoopbackCloudFormation outputsOnUpdate(Map<String, String> outputs) {
    outputsOnUpdate.clear();
    outputsOnUpdate.putAll(outputs);
    return this;
  }

  /** A resource every stack created from now on holds, as {@code ListStackResources} lists it. */
  public synchronized LoopbackCloudFormation resourceOnCreate(String logicalId, String type, String physicalId) {
    resourcesOnCreate.add(new String[] {logicalId, type, physicalId});
    return this;
  }

  /** A resource a successfully updated stack holds (once one is given, the update's whole list). */
  public synchronized LoopbackCloudFormation resourceOnUpdate(String logicalId, String type, String physicalId) {
    resourcesOnUpdate.add(new String[] {logicalId, type, physicalId});
    return this;
  }

  /**
   * The next change set executed (of whichever stack) fails at the resource {@code logicalId}
   * with {@code reason}: a creation rolls back (ROLLBACK_COMPLETE), an update rolls back to the
   * previous template and outputs. The executions after it succeed.
   */
  public synchronized LoopbackCloudFormation failNextExecution(String logicalId, String reason) {
    this.failNextAt = logicalId;
    this.failNextReason = reason;
    return this;
  }

  /**
   * How long an executing change set takes before its stack reaches its terminal status (zero,
   * the default: the next {@code DescribeStacks}); models CloudFormation's deployment time.
   */
  public synchronized LoopbackCloudFormation deployTime(Duration time) {
    this.deployMillis = time.toMillis();
    return this;
  }

  /** The stack's current status; empty when there is no such stack. */
  public synchronized Optional<String> stackStatus(String stackName) {
    StackSim s = stacks.get(stackName);
    return s == null ? Optional.empty() : Optional.ofNullable(s.status);
  }

  /** The names of the stacks that exist (deleted ones are gone). */
  public synchronized Set<String> stackNames() {
    return Set.copyOf(stacks.keySet());
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
        if (stackName == null) {
          return error(400, "ValidationError", "1 validation error detected: StackName must not be null");
        }
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
        if (body == null && url == null) {
          return error(400, "ValidationError", "Either Template URL or Template Body must be specified.");
        }
        StackSim target = stack;
        if (target == null) {
          target = new StackSim(stackName);
          stacks.put(stackName, target);
        }
        int resources = body == null ? 42 : Math.max(1, count(body, TYPE));
        // A template given by URL is content-addressed (the deployer names it by its SHA-256).
        boolean same = !type.equals("CREATE") && stack != null && (body != null ? body.equals(stack.template) : String.valueOf(url).equals(stack.templateUrl));
        changeSets.put(p.get("ChangeSetName"), new ChangeSetSim(stackName, type, body, url, same ? 0 : resources));
        return ok(call, "<Id>arn:aws:cloudformation:eu-west-1:111122223333:changeSet/" + p.get("ChangeSetName")
            + "/1</Id><StackId>" + target.id + "</StackId>");
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
        StackSim s = cs == null ? null : stacks.get(cs.stack);
        if (cs == null || s == null) {
          return error(400, "ChangeSetNotFound", "ChangeSet [" + p.get("ChangeSetName") + "] does not exist");
        }
        boolean create = cs.type.equals("CREATE");
        s.status = create ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS";
        // The injected failure belongs to this execution alone.
        s.failAt = failNextAt;
        s.failReason = failNextReason;
        failNextAt = null;
        failNextReason = null;
        s.pendingTarget = s.failAt != null ? (create ? "ROLLBACK_COMPLETE" : "UPDATE_ROLLBACK_COMPLETE")
            : (create ? "CREATE_COMPLETE" : "UPDATE_COMPLETE");
        s.pendingSince = System.nanoTime();
        if (create || s.failAt == null) { // a rolled-back update keeps the previous template
          s.template = cs.template;
          s.templateUrl = cs.templateUrl;
        }
        if (create) {
          s.terminationProtection = true; // as the deployer asks at creation; an update leaves it as it is
        }
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
      event(s, s.failAt, failingType(s), "UPDATE_FAILED", s.failReason);
      event(s, s.name, "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_IN_PROGRESS",
          "The following resource(s) failed to update: [" + s.failAt + "].");
      s.status = "UPDATE_ROLLBACK_IN_PROGRESS";
      s.pendingTarget = target;
      return;
    }
    if (target.endsWith("ROLLBACK_COMPLETE")) {
      boolean create = target.startsWith("ROLLBACK");
      if (create) {
        event(s, s.failAt, failingType(s), "CREATE_FAILED", s.failReason);
      }
      event(s, s.name, "AWS::CloudFormation::Stack", target, null);
      s.status = target;
      s.reason = create ? "The following resource(s) failed to create: [" + s.failAt + "]. Rollback requested by user."
          : null;
      s.failAt = null;
      s.failReason = null;
      return; // an update's rollback keeps the previous outputs and resources
    }
    event(s, "NetworkVpc", "AWS::EC2::VPC", target.startsWith("CREATE") ? "CREATE_COMPLETE" : "UPDATE_COMPLETE", null);
    event(s, s.name, "AWS::CloudFormation::Stack", target, null);
    s.status = target;
    s.reason = null;
    if (target.equals("CREATE_COMPLETE")) {
      Map<String, String> outputs = outputsFor.apply(s.name);
      s.outputs = outputs == null ? new LinkedHashMap<>() : new LinkedHashMap<>(outputs);
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

  /** The failing resource's type from the stack's template when given by body; else a database, the usual failure. */
  private String failingType(StackSim s) {
    String failAt = s.failAt;
    if (s.template != null && failAt != null) {
      Matcher m = Pattern.compile("\"" + Pattern.quote(failAt) + "\"\\s*:\\s*\\{\\s*\"Type\"\\s*:\\s*\"([^\"]+)\"")
          .matcher(s.template);
      if (m.find()) {
        return m.group(1);
      }
    }
    return "AWS::RDS::DBInstance";
  }

  private void event(StackSim s, @Nullable String logicalId, String type, String status, @Nullable String reason) {
    s.events.add(new String[] {"ev-" + eventIds.incrementAndGet(), logicalId, type, status, reason,
        Instant.parse("2026-12-01T10:00:00Z").plusSeconds(eventIds.get()).toString()});
  }

  private static final Pattern TYPE = Pattern.compile("\"Type\"\\s*:");

  private static int count(String s, Pattern pattern) {
    int n = 0;
    Matcher m = pattern.matcher(s);
    while (m.find()) {
      n++;
    }
    return n;
  }
}
