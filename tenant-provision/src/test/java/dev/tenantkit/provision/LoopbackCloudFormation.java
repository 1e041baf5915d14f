package dev.tenantkit.provision;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * No CloudFormation emulator exists here, so this loopback endpoint answers the CloudFormation
 * query protocol (form-encoded {@code Action=...} POSTs, XML responses and errors) for the calls
 * a deployment makes. The real SDK client talks to it, so the SDK's own marshalling and error
 * mapping run. Its stacks move one step per {@code DescribeStacks} after a change set executes
 * (IN_PROGRESS, then COMPLETE; with an injected failure a creation ends ROLLBACK_COMPLETE and an
 * update goes UPDATE_ROLLBACK_IN_PROGRESS, then UPDATE_ROLLBACK_COMPLETE with its previous outputs
 * and resources, as CloudFormation's update rollback does), with an event per resource; every call
 * is recorded. {@code ListStackResources} answers the resources the test says the stack holds.
 */
final class LoopbackCloudFormation implements AutoCloseable {
  record Call(String action, Map<String, String> params) {}

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

  final List<Call> calls = new CopyOnWriteArrayList<>();
  final Map<String, StackSim> stacks = new LinkedHashMap<>();
  final Map<String, ChangeSetSim> changeSets = new LinkedHashMap<>();
  /** Outputs a created stack reports (what the real stack would output). */
  final Map<String, String> outputsOnCreate = new LinkedHashMap<>();
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
  private final HttpServer server;

  LoopbackCloudFormation() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  CloudFormationClient client() {
    return CloudFormationClient.builder().endpointOverride(endpoint()).region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local")))
        .build();
  }

  List<String> actions() {
    return calls.stream().map(Call::action).toList();
  }

  private synchronized void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> p = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String action = p.getOrDefault("Action", "");
      calls.add(new Call(action, p));
      String stackName = p.get("StackName");
      StackSim stack = stackName == null ? null : stacks.get(stackName);
      switch (action) {
        case "DescribeStacks": {
          if (stack == null) {
            error(ex, "ValidationError", "Stack with id " + stackName + " does not exist");
            return;
          }
          advance(stack);
          StringBuilder outs = new StringBuilder();
          stack.outputs.forEach((k, v) -> outs.append("<member><OutputKey>").append(k).append("</OutputKey><OutputValue>")
              .append(xml(v)).append("</OutputValue></member>"));
          ok(ex, action, "<Stacks><member><StackName>" + stack.name + "</StackName><StackId>" + stack.id
              + "</StackId><CreationTime>2026-12-01T10:00:00Z</CreationTime><StackStatus>" + stack.status
              + "</StackStatus>" + (stack.reason == null ? "" : "<StackStatusReason>" + xml(stack.reason)
              + "</StackStatusReason>") + "<EnableTerminationProtection>" + stack.terminationProtection
              + "</EnableTerminationProtection><Outputs>" + outs + "</Outputs></member></Stacks>");
          return;
        }
        case "CreateChangeSet": {
          String type = p.getOrDefault("ChangeSetType", "UPDATE");
          if (type.equals("CREATE") && stack != null) {
            error(ex, "AlreadyExistsException", "Stack [" + stackName + "] already exists");
            return;
          }
          if (type.equals("UPDATE") && stack == null) {
            error(ex, "ValidationError", "Stack [" + stackName + "] does not exist");
            return;
          }
          if (!List.of("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND").stream()
              .allMatch(c -> p.containsValue(c))) {
            error(ex, "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM, CAPABILITY_AUTO_EXPAND]");
            return;
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
          ok(ex, action, "<Id>arn:aws:cloudformation:eu-west-1:111122223333:changeSet/" + p.get("ChangeSetName")
              + "/1</Id><StackId>" + stacks.get(stackName).id + "</StackId>");
          return;
        }
        case "DescribeChangeSet": {
          ChangeSetSim cs = changeSets.get(p.get("ChangeSetName"));
          if (cs == null) {
            error(ex, "ChangeSetNotFound", "ChangeSet [" + p.get("ChangeSetName") + "] does not exist");
            return;
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
          ok(ex, action, "<ChangeSetName>" + p.get("ChangeSetName") + "</ChangeSetName><StackName>" + cs.stack
              + "</StackName><Status>" + (empty ? "FAILED" : "CREATE_COMPLETE") + "</Status>"
              + (empty ? "<StatusReason>The submitted information didn't contain changes. Submit different "
              + "information to create a change set.</StatusReason>" : "")
              + "<ExecutionStatus>" + (empty ? "UNAVAILABLE" : "AVAILABLE") + "</ExecutionStatus><Changes>" + changes
              + "</Changes>");
          return;
        }
        case "ExecuteChangeSet": {
          ChangeSetSim cs = changeSets.remove(p.get("ChangeSetName"));
          StackSim s = stacks.get(cs.stack);
          boolean create = cs.type.equals("CREATE");
          s.status = create ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS";
          s.pendingTarget = failNextAt != null ? (create ? "ROLLBACK_COMPLETE" : "UPDATE_ROLLBACK_COMPLETE")
              : (create ? "CREATE_COMPLETE" : "UPDATE_COMPLETE");
          if (create || failNextAt == null) { // a rolled-back update keeps the previous template
            s.template = cs.template;
            s.templateUrl = cs.templateUrl;
          }
          s.terminationProtection = true;
          event(s, s.name, "AWS::CloudFormation::Stack", s.status, "User Initiated");
          ok(ex, action, "");
          return;
        }
        case "DeleteChangeSet":
          changeSets.remove(p.get("ChangeSetName"));
          ok(ex, action, "");
          return;
        case "DescribeStackEvents": {
          if (stack == null) {
            error(ex, "ValidationError", "Stack [" + stackName + "] does not exist");
            return;
          }
          StringBuilder ev = new StringBuilder();
          for (int i = stack.events.size() - 1; i >= 0; i--) { // newest first, as CloudFormation lists them
            String[] e = stack.events.get(i);
            ev.append("<member><EventId>").append(e[0]).append("</EventId><StackName>").append(stack.name)
                .append("</StackName><StackId>").append(stack.id).append("</StackId><LogicalResourceId>").append(e[1])
                .append("</LogicalResourceId><ResourceType>").append(e[2]).append("</ResourceType><Timestamp>")
                .append(e[5]).append("</Timestamp><ResourceStatus>").append(e[3]).append("</ResourceStatus>")
                .append(e[4] == null ? "" : "<ResourceStatusReason>" + xml(e[4]) + "</ResourceStatusReason>")
                .append("</member>");
          }
          ok(ex, action, "<StackEvents>" + ev + "</StackEvents>");
          return;
        }
        case "ListStackResources": {
          if (stack == null) {
            error(ex, "ValidationError", "Stack with id " + stackName + " does not exist");
            return;
          }
          StringBuilder rs = new StringBuilder();
          for (String[] r : stack.resources) {
            rs.append("<member><LogicalResourceId>").append(r[0]).append("</LogicalResourceId><PhysicalResourceId>")
                .append(r[2]).append("</PhysicalResourceId><ResourceType>").append(r[1])
                .append("</ResourceType><LastUpdatedTimestamp>2026-12-01T10:00:00Z</LastUpdatedTimestamp>"
                    + "<ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>");
          }
          ok(ex, action, "<StackResourceSummaries>" + rs + "</StackResourceSummaries>");
          return;
        }
        case "UpdateTerminationProtection":
          if (stack != null) {
            stack.terminationProtection = Boolean.parseBoolean(p.get("EnableTerminationProtection"));
          }
          ok(ex, action, "<StackId>" + (stack == null ? "" : stack.id) + "</StackId>");
          return;
        case "DeleteStack":
          if (stack != null) {
            if (stack.terminationProtection) {
              error(ex, "ValidationError", "Stack [" + stackName + "] cannot be deleted while TerminationProtection is enabled");
              return;
            }
            stack.status = "DELETE_IN_PROGRESS";
            stack.pendingTarget = "DELETE_COMPLETE";
            event(stack, stack.name, "AWS::CloudFormation::Stack", "DELETE_IN_PROGRESS", "User Initiated");
          }
          ok(ex, action, "");
          return;
        default:
          error(ex, "InvalidAction", "unsupported action " + action);
      }
    }
  }

  /** One step per DescribeStacks: IN_PROGRESS -> resource events -> terminal status. */
  private void advance(StackSim s) {
    if (s.pendingTarget == null) {
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
      s.outputs = new LinkedHashMap<>(outputsOnCreate);
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

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void ok(HttpExchange ex, String action, String result) throws IOException {
    send(ex, 200, "<" + action + "Response xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><" + action
        + "Result>" + result + "</" + action + "Result><ResponseMetadata><RequestId>req-1</RequestId>"
        + "</ResponseMetadata></" + action + "Response>");
  }

  private static void error(HttpExchange ex, String code, String message) throws IOException {
    send(ex, 400, "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender"
        + "</Type><Code>" + code + "</Code><Message>" + xml(message) + "</Message></Error><RequestId>req-1</RequestId>"
        + "</ErrorResponse>");
  }

  private static void send(HttpExchange ex, int status, String xml) throws IOException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/xml");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
