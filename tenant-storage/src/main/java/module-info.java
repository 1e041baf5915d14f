/**
 * TenantKit storage: per-tenant S3 that cannot be escaped (key safety, tenant-scoped views, STS
 * credentials, presigning).
 *
 * <p>Exports {@code dev.tenantkit.storage} only; {@code dev.tenantkit.storage.internal} is sealed
 * on the module path (see docs/modules.md for the class path).
 */
module dev.tenantkit.storage {
  requires transitive dev.tenantkit.core;
  // The API takes the application's S3 client and presigner, STS client and credentials.
  requires transitive software.amazon.awssdk.services.s3;
  requires transitive software.amazon.awssdk.services.sts;
  requires transitive software.amazon.awssdk.auth;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.awscore;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.tenantkit.storage;
}
