/**
 * {@code tenantkit-provision}, the operator's command line: {@link dev.tenantkit.provision.cli.ProvisionCli}
 * (entry point, exit codes) and one class per subcommand ({@code SynthCommand}, {@code DeployCommand},
 * {@code StatusCommand}, {@code DiffCommand}, {@code DestroyCommand}), with the options they share in
 * {@code SpecOptions} (the stack spec), {@code AwsOptions} (clients and the deployer wiring) and
 * {@code CatalogFile} (reading and writing the catalog).
 */
@NullMarked
package dev.tenantkit.provision.cli;

import org.jspecify.annotations.NullMarked;
