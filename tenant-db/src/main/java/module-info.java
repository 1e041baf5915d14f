/**
 * TenantKit database: a routing {@code DataSource} for per-tenant RDS (silo, bridge, pool with
 * row-level security), IAM database authentication, Secrets Manager, per-tenant pools and
 * bulkheads.
 *
 * <p>Exports {@code dev.tenantkit.db} only: {@code RoutingDataSource} and the pools in
 * {@code dev.tenantkit.db.internal} are built by {@code TenantDataSource.builder()} and its checks,
 * never around them (on the module path; see docs/modules.md for the class path).
 */
module dev.tenantkit.db {
  requires transitive dev.tenantkit.core;
  requires transitive java.sql;
  // The API takes the application's credentials provider and Secrets Manager client.
  requires transitive software.amazon.awssdk.auth;
  requires transitive software.amazon.awssdk.services.secretsmanager;
  requires software.amazon.awssdk.services.rds;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.awscore;
  requires com.zaxxer.hikari;
  requires com.github.benmanes.caffeine;
  requires org.postgresql.jdbc;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;
  requires java.logging;
  requires static transitive org.jspecify;
  requires static flyway.core; // DatabaseBootstrap.flyway, when the application has Flyway (name from its file)

  exports dev.tenantkit.db;
}
