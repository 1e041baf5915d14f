package dev.tenantkit.examples.service;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantKitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AWS mode's settings, read from the environment a tenant stack's instances boot with
 * ({@code /etc/tenantkit/tenant.env}, see tenant-provision's design notes) and checked at start:
 * every problem is named at once, by the variable to set, before anything is served.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><td>{@code TENANTKIT_REGISTRY_TABLE}</td><td>the tenant registry (DynamoDB); or
 *       {@code TENANTKIT_CATALOG}, a catalog file. One is required.</td></tr>
 *   <tr><td>{@code TENANTKIT_REGISTRY_REGION}</td><td>the registry's Region; the SDK's default
 *       Region when not set</td></tr>
 *   <tr><td>{@code TENANTKIT_TENANT_ID}</td><td>the tenant a silo stack serves: it reads only
 *       that tenant's record and every request must be for it</td></tr>
 *   <tr><td>{@code TENANTKIT_RDS_CA_BUNDLE}</td><td>the RDS CA bundle that verifies the
 *       databases' TLS; required, and the file must exist</td></tr>
 *   <tr><td>{@code TENANTKIT_SUBDOMAIN}</td><td>the host pattern naming the tenant, such as
 *       {@code {tenant}.app.example.com}; required unless the tenant is pinned</td></tr>
 *   <tr><td>{@code TENANTKIT_PORT}</td><td>the HTTP port; 8080 by default</td></tr>
 *   <tr><td>{@code TENANTKIT_STATE_DIR}</td><td>where the registry's last-known-good copy is
 *       kept; {@code /var/lib/tenantkit} by default</td></tr>
 *   <tr><td>{@code TENANTKIT_DB_MASTER_SECRET_ARN}</td><td>when set, the tenant's database is
 *       bootstrapped at start with this secret ({@code DatabaseBootstrap}); then
 *       {@code TENANTKIT_TENANT_ID}, {@code TENANTKIT_DB_HOST}, {@code TENANTKIT_DB_NAME} and
 *       {@code TENANTKIT_DB_APP_USER} are required ({@code TENANTKIT_DB_PORT}: 5432)</td></tr>
 * </table>
 */
public record AwsSettings(
    Optional<String> registryTable,
    Optional<String> registryRegion,
    Optional<Path> catalogFile,
    Optional<TenantId> pinnedTenant,
    Path rdsCaBundle,
    Optional<String> subdomainPattern,
    int port,
    Path stateDirectory,
    Optional<String> masterSecretArn,
    Optional<DatabaseConfig> bootstrapDatabase) {

  /** Whether the environment asks for AWS mode (a registry table or a catalog file is named). */
  public static boolean requested(Map<String, String> env) {
    return present(env, "TENANTKIT_REGISTRY_TABLE") || present(env, "TENANTKIT_CATALOG");
  }

  /**
   * Reads and checks the settings.
   *
   * @throws IllegalStateException listing every missing or wrong setting by its variable
   */
  public static AwsSettings from(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    Optional<String> table = value(env, "TENANTKIT_REGISTRY_TABLE");
    Optional<Path> catalog = value(env, "TENANTKIT_CATALOG").map(Path::of);
    if (table.isEmpty() && catalog.isEmpty()) {
      problems.add("TENANTKIT_REGISTRY_TABLE is not set: the DynamoDB table of the tenant registry "
          + "(or TENANTKIT_CATALOG, the path of a catalog file)");
    } else if (table.isPresent() && catalog.isPresent()) {
      problems.add("TENANTKIT_REGISTRY_TABLE and TENANTKIT_CATALOG are both set: give one source of tenants");
    }
    if (catalog.isPresent() && !Files.isRegularFile(catalog.get())) {
      problems.add("TENANTKIT_CATALOG names " + catalog.get() + ", which is not a file");
    }
    Optional<TenantId> pinned = Optional.empty();
    Optional<String> pinnedValue = value(env, "TENANTKIT_TENANT_ID");
    if (pinnedValue.isPresent()) {
      try {
        pinned = Optional.of(TenantId.of(pinnedValue.get()));
      } catch (TenantKitException e) {
        problems.add("TENANTKIT_TENANT_ID is not a tenant id: " + e.getMessage());
      }
    }
    Path caBundle = value(env, "TENANTKIT_RDS_CA_BUNDLE").map(Path::of).orElse(null);
    if (caBundle == null) {
      problems.add("TENANTKIT_RDS_CA_BUNDLE is not set: the path of the RDS CA bundle (global-bundle.pem from "
          + "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) that verifies the tenants' databases");
    } else if (!Files.isRegularFile(caBundle)) {
      problems.add("TENANTKIT_RDS_CA_BUNDLE names " + caBundle + ", which is not a file");
    }
    Optional<String> subdomain = value(env, "TENANTKIT_SUBDOMAIN");
    if (subdomain.isEmpty() && pinned.isEmpty() && pinnedValue.isEmpty()) {
      problems.add("TENANTKIT_SUBDOMAIN is not set: the host pattern that names the tenant, such as "
          + "{tenant}.app.example.com (or TENANTKIT_TENANT_ID, for a stack that serves one tenant)");
    }
    int port = 8080;
    Optional<String> portValue = value(env, "TENANTKIT_PORT");
    if (portValue.isPresent()) {
      try {
        port = Integer.parseInt(portValue.get());
        if (port < 1 || port > 65535) {
          problems.add("TENANTKIT_PORT must be 1 to 65535, was " + port);
        }
      } catch (NumberFormatException e) {
        problems.add("TENANTKIT_PORT is not a number");
      }
    }
    Path state = value(env, "TENANTKIT_STATE_DIR").map(Path::of).orElse(Path.of("/var/lib/tenantkit"));
    Optional<String> masterSecret = value(env, "TENANTKIT_DB_MASTER_SECRET_ARN");
    Optional<DatabaseConfig> bootstrap = Optional.empty();
    if (masterSecret.isPresent()) {
      List<String> missing = new ArrayList<>();
      for (String name : List.of("TENANTKIT_TENANT_ID", "TENANTKIT_DB_HOST", "TENANTKIT_DB_NAME", "TENANTKIT_DB_APP_USER")) {
        if (!present(env, name)) {
          missing.add(name);
        }
      }
      if (!missing.isEmpty()) {
        problems.add("TENANTKIT_DB_MASTER_SECRET_ARN is set (bootstrap the tenant's database at start), which needs "
            + String.join(", ", missing));
      } else {
        try {
          bootstrap = Optional.of(DatabaseConfig.builder().isolation(DatabaseConfig.IsolationMode.SILO)
              .host(value(env, "TENANTKIT_DB_HOST").orElseThrow())
              .port(Integer.parseInt(value(env, "TENANTKIT_DB_PORT").orElse("5432")))
              .database(value(env, "TENANTKIT_DB_NAME").orElseThrow())
              .user(value(env, "TENANTKIT_DB_APP_USER").orElseThrow())
              .credentials(DatabaseConfig.CredentialsSource.IAM)
              .region(value(env, "AWS_REGION").orElse(value(env, "TENANTKIT_REGISTRY_REGION").orElse("us-east-1")))
              .build());
        } catch (NumberFormatException e) {
          problems.add("TENANTKIT_DB_PORT is not a number");
        } catch (TenantKitException e) {
          problems.add("TENANTKIT_DB_HOST, TENANTKIT_DB_PORT, TENANTKIT_DB_NAME, TENANTKIT_DB_APP_USER do not make "
              + "a database: " + e.getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("AWS mode cannot start:\n  " + String.join("\n  ", problems));
    }
    return new AwsSettings(table, value(env, "TENANTKIT_REGISTRY_REGION"), catalog, pinned,
        java.util.Objects.requireNonNull(caBundle), subdomain, port, state, masterSecret, bootstrap);
  }

  /**
   * The settings as tenant-spring-boot-starter's properties: the registry (only the pinned
   * tenant's item when one is pinned, with a last-known-good copy in the state directory) or the
   * catalog file; the subdomain pattern and the pinned tenant, which must agree when both are set;
   * verified TLS to the databases with the RDS CA bundle; the port.
   */
  public Map<String, Object> springProperties() {
    Map<String, Object> p = new LinkedHashMap<>();
    registryTable.ifPresent(t -> {
      p.put("tenantkit.catalog.registry-table", t);
      p.put("tenantkit.catalog.state-dir", stateDirectory.toString());
      pinnedTenant.ifPresent(id -> p.put("tenantkit.catalog.only-tenant", id.value()));
    });
    registryRegion.ifPresent(r -> p.put("tenantkit.catalog.registry-region", r));
    catalogFile.ifPresent(f -> p.put("tenantkit.catalog.file", f.toString()));
    subdomainPattern.ifPresent(s -> p.put("tenantkit.resolver.subdomain", s));
    pinnedTenant.ifPresent(id -> p.put("tenantkit.resolver.pinned-tenant", id.value()));
    p.put("tenantkit.datasource.rds-ca-bundle", rdsCaBundle.toString());
    p.put("server.port", Integer.toString(port));
    return p;
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private static boolean present(Map<String, String> env, String name) {
    return value(env, name).isPresent();
  }
}
