package dev.tenantkit.provision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/**
 * Synthesises a tenant's CloudFormation template offline, with cdk-nag's AwsSolutions pack run
 * over it: a template with an unsuppressed finding is not something TenantKit deploys.
 */
public final class TenantTemplates {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private TenantTemplates() {}

  /**
   * A synthesised template.
   *
   * @param spec what it was made from
   * @param json the CloudFormation template
   * @param nagFindings unsuppressed cdk-nag errors and warnings (empty for a deployable template)
   */
  public record Synthesized(TenantStackSpec spec, String json, List<String> nagFindings) {
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

  /** Synthesises {@code spec} (no network, no credentials; a few seconds: CDK runs on Node.js). */
  public static Synthesized synth(TenantStackSpec spec) {
    App app = App.Builder.create().build();
    TenantStack stack = TenantStack.create(app, spec);
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    CloudAssembly assembly = app.synth();
    CloudFormationStackArtifact artifact = assembly.getStackByName(stack.getStackName());
    List<String> findings = new ArrayList<>();
    artifact.getMessages().forEach(m -> {
      String level = String.valueOf(m.getLevel());
      String text = String.valueOf(m.getEntry().getData());
      if (text.contains("AwsSolutions-") && !level.toLowerCase().contains("info")) {
        findings.add(level + " " + m.getId() + " " + text);
      }
    });
    try {
      return new Synthesized(spec, JSON.writeValueAsString(artifact.getTemplate()), List.copyOf(findings));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the template of " + spec.stackName(), e);
    }
  }
}
