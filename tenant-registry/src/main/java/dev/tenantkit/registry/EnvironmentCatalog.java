package dev.tenantkit.registry;

import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantKitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The tenant catalog a deployment names in its environment, for a Lambda function or an instance
 * that is configured by environment variables only. Every problem is reported at once, by the
 * variable to set, and nothing is read before the settings are whole.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><td>{@value #REGISTRY_TABLE}</td><td>the DynamoDB tenant registry's table; or</td></tr>
 *   <tr><td>{@value #CATALOG_FILE}</td><td>a catalog file (packaged with the function, or on a
 *       layer: {@code /opt/...}). Exactly one of the two is required.</td></tr>
 *   <tr><td>{@value #REGISTRY_REGION}</td><td>the registry's Region; the SDK's default
 *       ({@code AWS_REGION} on Lambda) when not set</td></tr>
 *   <tr><td>{@value #TENANT_ID}</td><td>read only this tenant's record (a silo deployment, or
 *       a function that serves one tenant)</td></tr>
 *   <tr><td>{@value #STATE_DIR}</td><td>where the registry's last-known-good copy is kept;
 *       {@code /tmp/tenantkit} on Lambda (the only writable path there), else
 *       {@code /var/lib/tenantkit}</td></tr>
 * </table>
 */
public final class EnvironmentCatalog {
  /** The registry table. */
  public static final String REGISTRY_TABLE = "TENANTKIT_REGISTRY_TABLE";
  /** The registry's Region. */
  public static final String REGISTRY_REGION = "TENANTKIT_REGISTRY_REGION";
  /** A catalog file. */
  public static final String CATALOG_FILE = "TENANTKIT_CATALOG";
  /** The one tenant to read. */
  public static final String TENANT_ID = "TENANTKIT_TENANT_ID";
  /** The registry's state directory. */
  public static final String STATE_DIR = "TENANTKIT_STATE_DIR";

  private EnvironmentCatalog() {}

  /** From the process environment, with a DynamoDB client in the registry's Region when one is set. */
  public static TenantCatalog fromEnvironment() {
    return from(System.getenv(), region -> region.map(r -> DynamoDbClient.builder().region(Region.of(r)).build())
        .orElseGet(DynamoDbClient::create));
  }

  /**
   * From {@code env}; {@code dynamoDb} builds the registry's client for the Region named by
   * {@value #REGISTRY_REGION} (empty: the SDK's default), and is called only for a registry.
   *
   * @throws TenantConfigurationException naming every missing or wrong variable
   */
  public static TenantCatalog from(Map<String, String> env, Function<Optional<String>, DynamoDbClient> dynamoDb) {
    List<String> problems = new ArrayList<>();
    Optional<String> table = value(env, REGISTRY_TABLE);
    Optional<Path> file = value(env, CATALOG_FILE).map(Path::of);
    if (table.isEmpty() && file.isEmpty()) {
      problems.add(REGISTRY_TABLE + " is not set: the DynamoDB table of the tenant registry (or " + CATALOG_FILE
          + ", the path of a catalog file)");
    } else if (table.isPresent() && file.isPresent()) {
      problems.add(REGISTRY_TABLE + " and " + CATALOG_FILE + " are both set: give one source of tenants");
    }
    if (file.isPresent() && !Files.isRegularFile(file.get())) {
      problems.add(CATALOG_FILE + " names " + file.get() + ", which is not a file");
    }
    Optional<TenantId> only = Optional.empty();
    Optional<String> onlyValue = value(env, TENANT_ID);
    if (onlyValue.isPresent()) {
      try {
        only = Optional.of(TenantId.of(onlyValue.get()));
      } catch (TenantKitException e) {
        problems.add(TENANT_ID + " is not a tenant id: " + e.getMessage());
      }
    }
    if (file.isPresent() && onlyValue.isPresent()) {
      problems.add(TENANT_ID + " reads one record of a registry; with " + CATALOG_FILE
          + ", package a file of that tenant only");
    }
    if (!problems.isEmpty()) {
      throw new TenantConfigurationException("the tenant catalog cannot be read:\n  " + String.join("\n  ", problems));
    }
    if (file.isPresent()) {
      return TenantCatalog.fromFile(file.get());
    }
    Path state = value(env, STATE_DIR).map(Path::of).orElse(
        value(env, "AWS_LAMBDA_FUNCTION_NAME").isPresent() ? Path.of("/tmp/tenantkit") : Path.of("/var/lib/tenantkit"));
    RegistryTenantCatalog.Builder b = RegistryTenantCatalog.builder()
        .registry(TenantRegistry.builder().client(dynamoDb.apply(value(env, REGISTRY_REGION)))
            .tableName(table.orElseThrow()).build())
        .lastKnownGood(state.resolve("registry-last-known-good.json"));
    only.ifPresent(b::onlyTenant);
    return b.build();
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }
}
