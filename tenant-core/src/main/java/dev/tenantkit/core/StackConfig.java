package dev.tenantkit.core;

import dev.tenantkit.core.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The tenant's CloudFormation stack, as provisioning recorded it.
 *
 * @param name the stack name
 * @param region the stack's Region
 * @param albDnsName the DNS name of the tenant's load balancer
 * @param outputs the stack outputs, by output key
 */
public record StackConfig(
    String name, @Nullable String region, @Nullable String albDnsName, Map<String, String> outputs) {

  private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9\\-]{0,127}");
  private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9.\\-]{1,253}");

  /** Validates the fields and copies the outputs. */
  public StackConfig {
    Checks.matches(Checks.required(name, "name"), STACK_NAME, "name",
        "must be a CloudFormation stack name: a letter, then up to 127 letters, digits or '-'");
    Checks.region(region, "region");
    Checks.matches(albDnsName, DNS_NAME, "albDnsName", "must be a DNS name");
    outputs = Map.copyOf(outputs);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder().name(name).region(region).albDnsName(albDnsName).outputs(outputs);
  }

  /** Builds a {@link StackConfig}. */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable String region;
    private @Nullable String albDnsName;
    private final Map<String, String> outputs = new LinkedHashMap<>();

    private Builder() {}

    /** The stack name. */
    public Builder name(@Nullable String name) {
      this.name = name;
      return this;
    }

    /** The stack's Region. */
    public Builder region(@Nullable String region) {
      this.region = region;
      return this;
    }

    /** The load balancer's DNS name. */
    public Builder albDnsName(@Nullable String albDnsName) {
      this.albDnsName = albDnsName;
      return this;
    }

    /** Replaces the outputs. */
    public Builder outputs(Map<String, String> outputs) {
      this.outputs.clear();
      this.outputs.putAll(outputs);
      return this;
    }

    /** Validates and builds. */
    public StackConfig build() {
      return new StackConfig(Checks.required(name, "name"), region, albDnsName, outputs);
    }
  }
}
