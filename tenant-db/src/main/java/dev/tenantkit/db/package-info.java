/**
 * Per-tenant relational data on RDS.
 *
 * <ul>
 *   <li>{@link dev.tenantkit.db.TenantDataSource}: a {@link javax.sql.DataSource} that routes
 *       every {@code getConnection()} to the database of the tenant in scope, in its isolation
 *       mode (silo: its own pool; bridge: its schema; pool: PostgreSQL row-level security), with a
 *       per-tenant bulkhead so one tenant cannot drain another's connections;</li>
 *   <li>{@link dev.tenantkit.db.IamAuthTokenFactory} and
 *       {@link dev.tenantkit.db.SecretsManagerCredentialsFactory}: RDS IAM tokens and RDS
 *       secrets, cached and refreshed;</li>
 *   <li>{@link dev.tenantkit.db.RowLevelSecurity}: the SQL that puts a shared table under a
 *       tenant policy.</li>
 * </ul>
 */
@NullMarked
package dev.tenantkit.db;

import org.jspecify.annotations.NullMarked;
