package dev.tenantkit.provision.cli;

import dev.tenantkit.core.WritableTenantCatalog;
import dev.tenantkit.provision.StackDeployer;
import dev.tenantkit.provision.TenantOnboarding;
import dev.tenantkit.provision.TenantStackSpec;
import dev.tenantkit.registry.TenantRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where deploy and destroy keep the tenants' records: a catalog file ({@code --catalog}), or the
 * DynamoDB tenant registry the spec names ({@code --registry-table}, which the stack's instances
 * then read). Exactly one: a record written to a file while the instances read the registry would
 * never reach them.
 */
final class RecordOptions {
  @Option(names = "--catalog", description = "the tenant catalog file to update (or --registry-table: the DynamoDB "
      + "tenant registry)")
  @Nullable Path catalog;

  /** Onboarding that keeps its records where these options say, with the command's deployer and output. */
  TenantOnboarding.Builder onboarding(AwsOptions aws, TenantStackSpec spec, StackDeployer deployer, PrintWriter out,
      @Nullable Path assemblyDir) {
    TenantOnboarding.Builder b = TenantOnboarding.builder().deployer(deployer).assemblyDirectory(assemblyDir)
        .progress(out::println);
    Optional<String> table = spec.registryTable();
    Path file = catalog;
    if (file != null && table.isPresent()) {
      throw new CliSpecException(List.of("--catalog and --registry-table: give one place for the tenants' records "
          + "(the stack's instances read the registry)"));
    }
    if (file != null) {
      WritableTenantCatalog records = CatalogFile.load(file);
      return b.catalog(records).onChange(c -> CatalogFile.save(file, c));
    }
    if (table.isPresent()) {
      return b.registry(TenantRegistry.builder().client(aws.dynamoDb(spec.registryRegion())).tableName(table.get())
          .build());
    }
    throw new CliSpecException(List.of("--catalog or --registry-table: one is required (where the tenant's record "
        + "is kept)"));
  }

  /** Where the records went, for the command's last line. */
  String where(TenantStackSpec spec) {
    return catalog != null ? "catalog " + catalog : "registry " + spec.registryTable().orElse("?");
  }
}
