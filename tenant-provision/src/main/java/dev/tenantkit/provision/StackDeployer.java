package dev.tenantkit.provision;

import dev.tenantkit.core.spi.Durations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Deploys a synthesised template with CloudFormation change sets: create or update, executed,
 * with stack events streamed as progress lines while it waits; previews a change set without
 * executing it; reads a stack's status and outputs; deletes a stack. Templates over
 * CloudFormation's inline limit (51,200 bytes) are uploaded to {@link Builder#templateBucket}
 * first. No CDK CLI and no bootstrap are involved.
 */
public final class StackDeployer {
  /** CloudFormation's limit for a template passed inline. */
  public static final int INLINE_TEMPLATE_LIMIT = 51_200;

  private static final Set<String> SUCCESS = Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE");
  private static final Set<String> FAILURE = Set.of("CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED",
      "UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED", "UPDATE_FAILED", "DELETE_FAILED", "DELETE_COMPLETE",
      "IMPORT_ROLLBACK_COMPLETE");

  private final CloudFormationClient cloudFormation;
  private final @Nullable S3Client s3;
  private final @Nullable String templateBucket;
  private final Duration pollInterval;
  private final Duration timeout;
  private final Consumer<String> progress;
  private final Clock clock;

  private StackDeployer(Builder b) {
    this.cloudFormation = Objects.requireNonNull(b.cloudFormation, "cloudFormation");
    this.s3 = b.s3;
    this.templateBucket = b.templateBucket;
    this.pollInterval = b.pollInterval;
    this.timeout = b.timeout;
    this.progress = b.progress;
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What a deployment ended with. */
  public record Result(String stackName, String status, Map<String, String> outputs, boolean changed) {}

  /** One resource change of a previewed change set. */
  public record ResourceChange(String action, String logicalId, String resourceType, String replacement) {}

  /** A stack as CloudFormation reports it now. */
  public record StackState(String stackName, String status, @Nullable String reason, Map<String, String> outputs) {}

  /** One resource of a stack, as {@code ListStackResources} reports it. */
  public record StackResource(String logicalId, String type, @Nullable String physicalId, String status) {}

  /** Creates or updates {@code stackName} from {@code template} and waits for it to settle. */
  public Result deploy(String stackName, String template, Map<String, String> tags) {
    Optional<Stack> existing = describe(stackName);
    if (existing.isPresent() && existing.get().stackStatusAsString().endsWith("_IN_PROGRESS")) {
      progress.accept(stackName + " is " + existing.get().stackStatusAsString() + "; waiting for it to settle");
      existing = Optional.of(waitForTerminal(stackName, Set.of()));
    }
    if (existing.isPresent() && existing.get().stackStatusAsString().equals("ROLLBACK_COMPLETE")) {
      // A stack whose creation failed cannot be updated, only deleted and created again.
      progress.accept(stackName + " is ROLLBACK_COMPLETE from a failed creation; deleting it before retrying");
      destroy(stackName);
      existing = Optional.empty();
    }
    ChangeSetType type = existing.isPresent() ? ChangeSetType.UPDATE : ChangeSetType.CREATE;
    String changeSet = createChangeSet(stackName, template, tags, type);
    DescribeChangeSetResponse described = waitForChangeSet(stackName, changeSet);
    if (described.status() == ChangeSetStatus.FAILED) {
      if (isNoChange(described.statusReason())) {
        cloudFormation.deleteChangeSet(r -> r.stackName(stackName).changeSetName(changeSet));
        progress.accept(stackName + ": no changes");
        Stack stack = describe(stackName).orElseThrow();
        return new Result(stackName, stack.stackStatusAsString(), outputs(stack), false);
      }
      throw new StackDeploymentException(stackName, null, "CloudFormation refused the change set for " + stackName
          + ": " + described.statusReason(), null);
    }
    Set<String> seen = new HashSet<>();
    eventsSince(stackName, seen, true); // events before this deployment are not progress
    progress.accept(stackName + ": executing " + type.toString().toLowerCase() + " change set "
        + changeSet + " (" + described.changes().size() + " resource changes)");
    cloudFormation.executeChangeSet(r -> r.stackName(stackName).changeSetName(changeSet));
    Stack done = waitForTerminal(stackName, seen);
    String status = done.stackStatusAsString();
    if (!SUCCESS.contains(status)) {
      throw new StackDeploymentException(stackName, status, stackName + " ended " + status + ": "
          + firstFailure(stackName).orElse(Optional.ofNullable(done.stackStatusReason()).orElse("no reason given")), null);
    }
    return new Result(stackName, status, outputs(done), true);
  }

  /** The resource changes deploying {@code template} would make; the change set is deleted again. */
  public List<ResourceChange> diff(String stackName, String template) {
    ChangeSetType type = describe(stackName).isPresent() ? ChangeSetType.UPDATE : ChangeSetType.CREATE;
    String changeSet = createChangeSet(stackName, template, Map.of(), type);
    try {
      DescribeChangeSetResponse d = waitForChangeSet(stackName, changeSet);
      if (d.status() == ChangeSetStatus.FAILED && !isNoChange(d.statusReason())) {
        throw new StackDeploymentException(stackName, null, "CloudFormation refused the change set: " + d.statusReason(), null);
      }
      List<ResourceChange> changes = new ArrayList<>();
      for (Change c : d.changes()) {
        var rc = c.resourceChange();
        changes.add(new ResourceChange(rc.actionAsString(), rc.logicalResourceId(), rc.resourceType(),
            rc.replacementAsString() == null ? "" : rc.replacementAsString()));
      }
      return changes;
    } finally {
      cloudFormation.deleteChangeSet(r -> r.stackName(stackName).changeSetName(changeSet));
    }
  }

  /** The stack's status and outputs, or empty when there is no such stack. */
  public Optional<StackState> status(String stackName) {
    return describe(stackName).map(s -> new StackState(stackName, s.stackStatusAsString(), s.stackStatusReason(),
        outputs(s)));
  }

  /**
   * The stack's resources (including deleted ones, with status {@code DELETE_COMPLETE}), or an
   * empty list when there is no such stack. The preflight reads what an update adds from them.
   */
  public List<StackResource> resources(String stackName) {
    if (describe(stackName).isEmpty()) {
      return List.of();
    }
    List<StackResource> out = new ArrayList<>();
    try {
      cloudFormation.listStackResourcesPaginator(r -> r.stackName(stackName)).stackResourceSummaries()
          .forEach(r -> out.add(new StackResource(r.logicalResourceId(), r.resourceType(), r.physicalResourceId(),
              String.valueOf(r.resourceStatusAsString()))));
    } catch (CloudFormationException e) {
      throw new StackDeploymentException(stackName, null, "cannot list the resources of " + stackName + ": "
          + errorMessage(e), e);
    }
    return List.copyOf(out);
  }

  /**
   * Deletes the stack (switching termination protection off first) and waits. Resources whose
   * deletion policy is Retain or Snapshot (the tenant's data) stay behind.
   */
  public void destroy(String stackName) {
    if (describe(stackName).isEmpty()) {
      progress.accept(stackName + ": no such stack");
      return;
    }
    cloudFormation.updateTerminationProtection(r -> r.stackName(stackName).enableTerminationProtection(false));
    Set<String> seen = new HashSet<>();
    eventsSince(stackName, seen, true);
    cloudFormation.deleteStack(r -> r.stackName(stackName));
    long deadline = clock.millis() + timeout.toMillis();
    while (true) {
      Optional<Stack> s = describe(stackName);
      eventsSince(stackName, seen, false);
      if (s.isEmpty() || s.get().stackStatusAsString().equals("DELETE_COMPLETE")) {
        progress.accept(stackName + ": deleted");
        return;
      }
      if (s.get().stackStatusAsString().equals("DELETE_FAILED")) {
        throw new StackDeploymentException(stackName, "DELETE_FAILED", stackName + " could not be deleted: "
            + firstFailure(stackName).orElse(String.valueOf(s.get().stackStatusReason())), null);
      }
      pause(deadline, stackName);
    }
  }

  private String createChangeSet(String stackName, String template, Map<String, String> tags, ChangeSetType type) {
    String name = "tenantkit-" + clock.millis();
    CreateChangeSetRequest.Builder r = CreateChangeSetRequest.builder().stackName(stackName).changeSetName(name)
        .changeSetType(type)
        .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM, Capability.CAPABILITY_AUTO_EXPAND)
        .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())
        .description("TenantKit deployment");
    byte[] bytes = template.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= INLINE_TEMPLATE_LIMIT) {
      r.templateBody(template);
    } else {
      r.templateURL(upload(stackName, bytes));
    }
    try {
      cloudFormation.createChangeSet(r.build());
    } catch (CloudFormationException e) {
      throw new StackDeploymentException(stackName, null, "cannot create a change set for " + stackName + ": "
          + errorMessage(e), e);
    }
    return name;
  }

  private String upload(String stackName, byte[] template) {
    if (s3 == null || templateBucket == null) {
      throw new StackDeploymentException(stackName, null, "the template is " + template.length + " bytes, over "
          + "CloudFormation's inline limit of " + INLINE_TEMPLATE_LIMIT + "; set templateBucket (and an S3 client)", null);
    }
    String key = "tenantkit/templates/" + stackName + "/" + sha256(template) + ".json";
    s3.putObject(b -> b.bucket(templateBucket).key(key).contentType("application/json"), RequestBody.fromBytes(template));
    return s3.utilities().getUrl(b -> b.bucket(templateBucket).key(key)).toString();
  }

  private DescribeChangeSetResponse waitForChangeSet(String stackName, String changeSet) {
    long deadline = clock.millis() + timeout.toMillis();
    while (true) {
      DescribeChangeSetResponse d = cloudFormation.describeChangeSet(r -> r.stackName(stackName).changeSetName(changeSet));
      if (d.status() == ChangeSetStatus.CREATE_COMPLETE || d.status() == ChangeSetStatus.FAILED) {
        return d;
      }
      pause(deadline, stackName);
    }
  }

  private Stack waitForTerminal(String stackName, Set<String> seen) {
    long deadline = clock.millis() + timeout.toMillis();
    while (true) {
      Stack s = describe(stackName).orElseThrow(() -> new StackDeploymentException(stackName, null,
          stackName + " disappeared while deploying", null));
      eventsSince(stackName, seen, false);
      String status = s.stackStatusAsString();
      if (SUCCESS.contains(status) || FAILURE.contains(status)) {
        return s;
      }
      pause(deadline, stackName);
    }
  }

  /** Prints events not seen yet, oldest first (CloudFormation lists newest first). */
  private void eventsSince(String stackName, Set<String> seen, boolean silently) {
    List<StackEvent> fresh = new ArrayList<>();
    try {
      for (StackEvent e : cloudFormation.describeStackEvents(r -> r.stackName(stackName)).stackEvents()) {
        if (seen.add(e.eventId())) {
          fresh.add(e);
        }
      }
    } catch (CloudFormationException e) {
      return; // the stack may be gone already
    }
    if (silently) {
      return;
    }
    Collections.reverse(fresh);
    for (StackEvent e : fresh) {
      progress.accept(String.format("%s  %-40s %-40s %s%s", e.timestamp(), e.logicalResourceId(), e.resourceType(),
          e.resourceStatusAsString(), e.resourceStatusReason() == null ? "" : "  " + e.resourceStatusReason()));
    }
  }

  private Optional<String> firstFailure(String stackName) {
    try {
      List<StackEvent> events = new ArrayList<>(cloudFormation.describeStackEvents(r -> r.stackName(stackName))
          .stackEvents());
      Collections.reverse(events);
      return events.stream().filter(e -> e.resourceStatusAsString() != null
              && e.resourceStatusAsString().endsWith("_FAILED") && e.resourceStatusReason() != null)
          .map(e -> e.logicalResourceId() + " " + e.resourceStatusAsString() + ": " + e.resourceStatusReason())
          .findFirst();
    } catch (CloudFormationException e) {
      return Optional.empty();
    }
  }

  private Optional<Stack> describe(String stackName) {
    try {
      List<Stack> stacks = cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks();
      return stacks.isEmpty() ? Optional.empty() : Optional.of(stacks.get(0));
    } catch (CloudFormationException e) {
      if (e.statusCode() == 400 && errorMessage(e).contains("does not exist")) {
        return Optional.empty();
      }
      throw new StackDeploymentException(stackName, null, "cannot describe " + stackName + ": " + errorMessage(e), e);
    }
  }

  private static Map<String, String> outputs(Stack s) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Output o : s.outputs()) {
      out.put(o.outputKey(), o.outputValue());
    }
    return out;
  }

  private static boolean isNoChange(@Nullable String reason) {
    return reason != null && (reason.contains("didn't contain changes") || reason.contains("No updates"));
  }

  private static String errorMessage(CloudFormationException e) {
    return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
        ? e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage() : String.valueOf(e.getMessage());
  }

  private void pause(long deadline, String stackName) {
    if (clock.millis() > deadline) {
      throw new StackDeploymentException(stackName, null, "gave up waiting for " + stackName + " after " + timeout, null);
    }
    try {
      Thread.sleep(pollInterval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackDeploymentException(stackName, null, "interrupted while waiting for " + stackName, e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Builds a {@link StackDeployer}. */
  public static final class Builder {
    private @Nullable CloudFormationClient cloudFormation;
    private @Nullable S3Client s3;
    private @Nullable String templateBucket;
    private Duration pollInterval = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofHours(2);
    private Consumer<String> progress = line -> { };
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The CloudFormation client (required). */
    public Builder cloudFormation(CloudFormationClient client) {
      this.cloudFormation = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Where templates over the inline limit are uploaded (a tenant stack is; ~70 KB). The bucket
     * must be in the stack's Region and readable by the deploying principal.
     */
    public Builder templateBucket(S3Client s3, String bucket) {
      this.s3 = Objects.requireNonNull(s3, "s3");
      this.templateBucket = Objects.requireNonNull(bucket, "bucket");
      return this;
    }

    /** How often status and events are polled (1 ms to 1 minute; 5 s by default). */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Durations.requireBetween("pollInterval", interval, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    /** How long to wait for one operation (2 hours by default: a Multi-AZ RDS create takes ~30 min). */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Receives progress lines (stack events, decisions). */
    public Builder progress(Consumer<String> progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /** For tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public StackDeployer build() {
      return new StackDeployer(this);
    }
  }
}
