/**
 * TenantKit core: tenant ids, the tenant record and catalog, the current-tenant scope and its
 * propagation, resolvers, and the servlet and Lambda adapters.
 *
 * <p>Exports the API packages only. {@code dev.tenantkit.core.internal} is not exported at all;
 * {@code dev.tenantkit.core.spi} (rules TenantKit's own modules share: Region names, URL rules,
 * Cognito tenant claims) is exported to those modules alone. This seals them for applications on
 * the module path; on the class path, where the JVM ignores this descriptor, the package names
 * are the only warning (see docs/modules.md).
 */
@SuppressWarnings("module") // the qualified exports name modules this one is compiled without
module dev.tenantkit.core {
  requires org.slf4j;
  requires com.fasterxml.jackson.core;
  requires io.github.bucket4j.core; // TenantLimiter's token buckets
  requires java.sql; // the Lambda helper answers an SQLException that reports a lost database 503
  requires static transitive org.jspecify;
  // The adapters' APIs use these; the application brings the servlet container or the Lambda
  // runtime (optional here, as in the pom: not transitive, or every module reading this one
  // would need them to compile).
  requires static jakarta.servlet;
  // aws-lambda-java-events has no Automatic-Module-Name: this is the name Java derives from its
  // Maven file name (aws-lambda-java-events-<version>.jar). Lambda loads functions from the class
  // path, where the name plays no part (see docs/modules.md).
  requires static aws.lambda.java.events;
  requires static aws.lambda.java.core; // likewise derived from its file name
  requires static org.crac; // SnapStartPriming

  exports dev.tenantkit.core;
  exports dev.tenantkit.core.lambda;
  exports dev.tenantkit.core.servlet;
  exports dev.tenantkit.core.spi to
      dev.tenantkit.auth,
      dev.tenantkit.storage,
      dev.tenantkit.db,
      dev.tenantkit.registry,
      dev.tenantkit.provision,
      dev.tenantkit.provision.cli,
      dev.tenantkit.testkit;
}
