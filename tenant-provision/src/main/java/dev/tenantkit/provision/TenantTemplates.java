package dev.tenantkit.provision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/**
 * Synthesises a tenant's CloudFormation template offline, with cdk-nag's AwsSolutions pack run
 * over it: a template with an unsuppressed finding is not something TenantKit deploys.
 */
public final class TenantTemplates {
  /** How often a line is printed while CDK writes the assembly (it takes ~10 s in one call). */
  private static final long HEARTBEAT_SECONDS = 3;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private TenantTemplates() {}

  /**
   * A synthesised template.
   *
   * @param spec what it was made from
   * @param json the CloudFormation template
   * @param nagFindings unsuppressed cdk-nag errors and warnings (empty for a deployable template)
   * @param assemblyDirectory the cloud assembly: template, cdk-nag reports, CDK's validation report
   */
  public record Synthesized(TenantStackSpec spec, String json, List<String> nagFindings, Path assemblyDirectory) {
    /** Resource count by type, sorted by type. */
    @SuppressWarnings("unchecked")
    public Map<String, Integer> resourcesByType() {
      Map<String, Integer> counts = new TreeMap<>();
      try {
        Map<String, Object> template = JSON.readValue(json, Map.class);
        Map<String, Object> resources = (Map<String, Object>) template.getOrDefault("Resources", Map.of());
        for (Object r : resources.values()) {
          counts.merge(String.valueOf(((Map<String, Object>) r).get("Type")), 1, Integer::sum);
        }
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("unreadable template", e);
      }
      return counts;
    }
  }

  /**
   * Synthesises {@code spec} (no network, no credentials; several seconds: CDK runs on Node.js) into
   * a temporary cloud assembly that is deleted when the JVM exits.
   */
  public static Synthesized synth(TenantStackSpec spec) {
    return synth(spec, null, line -> { });
  }

  /**
   * Synthesises {@code spec}, telling {@code progress} what it is doing while it runs (starting the
   * CDK runtime, each concern of the stack, the cdk-nag checks, and every few seconds while the
   * assembly is written; those lines come from another thread), into {@code assemblyDirectory}: the
   * cloud assembly with the template, cdk-nag's reports and CDK's validation report, kept after the
   * JVM exits so the paths CDK prints stay valid. With a null directory, a temporary one deleted when
   * the JVM exits.
   */
  public static Synthesized synth(TenantStackSpec spec, @Nullable Path assemblyDirectory, Consumer<String> progress) {
    long start = System.nanoTime();
    Consumer<String> step = line -> progress.accept(String.format("synth %s: %s (%.1f s)", spec.stackName(), line,
        (System.nanoTime() - start) / 1e9));
    Path dir = assemblyDirectory(spec, assemblyDirectory);
    step.accept("starting the CDK runtime (Node.js)");
    App app = App.Builder.create().outdir(dir.toAbsolutePath().toString()).build();
    TenantStack stack = TenantStack.create(app, spec, step);
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    step.accept("writing the cloud assembly, with the cdk-nag AwsSolutions checks");
    CloudAssembly assembly = withHeartbeat(() -> step.accept("still writing the cloud assembly"), app::synth);
    CloudFormationStackArtifact artifact = assembly.getStackByName(stack.getStackName());
    List<String> findings = new ArrayList<>();
    artifact.getMessages().forEach(m -> {
      String level = String.valueOf(m.getLevel());
      String text = String.valueOf(m.getEntry().getData());
      if (text.contains("AwsSolutions-") && !level.toLowerCase().contains("info")) {
        findings.add(level + " " + m.getId() + " " + text);
      }
    });
    step.accept("done, " + findings.size() + " unsuppressed cdk-nag finding(s); cloud assembly in "
        + dir.toAbsolutePath());
    try {
      return new Synthesized(spec, JSON.writeValueAsString(artifact.getTemplate()), List.copyOf(findings),
          dir.toAbsolutePath());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the template of " + spec.stackName(), e);
    }
  }

  /**
   * Runs {@code work}, calling {@code beat} every {@value #HEARTBEAT_SECONDS} s (from another thread)
   * until it returns: CDK's synthesis with the cdk-nag checks runs for many seconds in one call.
   */
  private static <T> T withHeartbeat(Runnable beat, Supplier<T> work) {
    ScheduledExecutorService timer = Executors
        .newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "tenantkit-synth-heartbeat");
          t.setDaemon(true);
          return t;
        });
    try {
      timer.scheduleAtFixedRate(beat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
      return work.get();
    } finally {
      timer.shutdownNow();
      try {
        timer.awaitTermination(1, TimeUnit.SECONDS); // no beat after this returns
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Path assemblyDirectory(TenantStackSpec spec, @Nullable Path given) {
    try {
      if (given != null) {
        return Files.createDirectories(given);
      }
      Path temp = Files.createTempDirectory("tenantkit-" + spec.tenantId() + "-cdk");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(temp)));
      return temp;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the cloud assembly directory"
          + (given == null ? "" : " " + given), e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory; the OS cleans up what is left
    }
  }
}
