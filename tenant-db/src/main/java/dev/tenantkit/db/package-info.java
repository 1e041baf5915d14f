/**
 * Per-tenant relational data on RDS.
 *
 * <ul>
 *   <li>{@link dev.tenantkit.db.TenantDataSource}: a {@link javax.sql.DataSource} that routes
 *       every {@code getConnection()} to the database of the tenant in scope, in its isolation
 *       mode (silo: its own pool; bridge: its schema; pool: PostgreSQL row-level security), with a
 *       per-tenant bulkhead so one tenant cannot drain another's connections
 *       ({@link dev.tenantkit.db.PoolSettings} per tier, {@link dev.tenantkit.db.TenantPoolStats}
 *       to watch them, {@link dev.tenantkit.db.TlsMode} for the connection's TLS: verified by
 *       default);</li>
 *   <li>{@link dev.tenantkit.db.IamAuthTokenFactory} and
 *       {@link dev.tenantkit.db.SecretsManagerCredentialsFactory}: RDS IAM tokens and RDS
 *       secrets, cached and refreshed;</li>
 *   <li>{@link dev.tenantkit.db.RowLevelSecurity}: the SQL that puts a shared table under a
 *       tenant policy, and the preflight that refuses an application role able to bypass it.</li>
 * </ul>
 *
 * <p>Every refusal is a {@link dev.tenantkit.db.TenantDbException}, a {@code SQLException} whose
 * SQLState names its reason (outside a tenant scope {@code getConnection()} fails with
 * {@code TK001}). Credentials sources plug in as a {@link dev.tenantkit.db.DbCredentialsFactory}.
 *
 * <pre>{@code
 * TenantDataSource dataSource = TenantDataSource.builder()
 *     .catalog(catalog)
 *     .rdsCaBundle(Path.of("/etc/tenantkit/rds-global-bundle.pem"))
 *     .build();
 * }</pre>
 */
@NullMarked
package dev.tenantkit.db;

import org.jspecify.annotations.NullMarked;
