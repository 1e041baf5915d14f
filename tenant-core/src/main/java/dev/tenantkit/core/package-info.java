/**
 * TenantKit core: who the tenant is, and keeping every piece of work inside that tenant.
 *
 * <pre>{@code
 * TenantCatalog catalog = TenantCatalog.fromFile(Path.of("catalog.json"));   // reloads on change
 * Tenant acme = catalog.require(TenantId.of("acme"));                         // ACTIVE, or refused
 * try (TenantScope scope = TenantContext.open(acme)) {
 *   executor.submit(TenantContext.wrap(task));   // runs in acme, whichever worker takes it
 * }
 * }</pre>
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>The tenant: {@link dev.tenantkit.core.TenantId} (the validated id, usable as a bucket
 *       name, a DNS label, a PostgreSQL identifier and a CloudFormation stack name),
 *       {@link dev.tenantkit.core.Tenant} (the record, the contract between modules) with its
 *       {@link dev.tenantkit.core.TenantTier}, {@link dev.tenantkit.core.TenantStatus} and
 *       sections {@link dev.tenantkit.core.IdentityConfig},
 *       {@link dev.tenantkit.core.StorageConfig}, {@link dev.tenantkit.core.DatabaseConfig} and
 *       {@link dev.tenantkit.core.StackConfig}.</li>
 *   <li>The catalog: {@link dev.tenantkit.core.TenantCatalog} (its factories {@code inMemory},
 *       {@code fromFile}, {@code fromJson}, and {@code toJson} / {@code writeFile} for the file
 *       format of {@code docs/catalog.md}), {@link dev.tenantkit.core.FileTenantCatalog} (a file
 *       that reloads all or nothing), {@link dev.tenantkit.core.WritableTenantCatalog}, and
 *       {@link dev.tenantkit.core.CatalogListener} told each {@link dev.tenantkit.core.CatalogChange}.</li>
 *   <li>The current tenant: {@link dev.tenantkit.core.TenantContext} (open a
 *       {@link dev.tenantkit.core.TenantScope}, read the current tenant, carry it to executors,
 *       thread factories and {@code CompletableFuture} stages; the SLF4J MDC keys
 *       {@code tenant.id} and {@code tenant.tier}).</li>
 *   <li>Requests: {@link dev.tenantkit.core.TenantRequest} (what an adapter shows of a request),
 *       {@link dev.tenantkit.core.TenantResolver} and {@link dev.tenantkit.core.TenantResolvers}
 *       (which tenant it claims: subdomain, path, a header from
 *       {@link dev.tenantkit.core.TrustedProxies}, a pinned tenant),
 *       {@link dev.tenantkit.core.TenantRequestGuard} (checks after resolution, such as
 *       tenant-auth's token binding) and {@link dev.tenantkit.core.HttpProblem} (how a refusal
 *       is answered).</li>
 *   <li>Errors: every one is a {@link dev.tenantkit.core.TenantKitException}, named for what
 *       happened ({@link dev.tenantkit.core.UnknownTenantException},
 *       {@link dev.tenantkit.core.TenantNotActiveException},
 *       {@link dev.tenantkit.core.TenantMismatchException},
 *       {@link dev.tenantkit.core.CrossTenantAccessException},
 *       {@link dev.tenantkit.core.InvalidTenantRecordException},
 *       {@link dev.tenantkit.core.CatalogLoadException}, ...).</li>
 * </ul>
 *
 * <p>Adapters live in {@code dev.tenantkit.core.servlet} and {@code dev.tenantkit.core.lambda};
 * rules other TenantKit modules share live in {@code dev.tenantkit.core.spi} (not for users).
 */
@NullMarked
package dev.tenantkit.core;

import org.jspecify.annotations.NullMarked;
