/**
 * TenantKit registry: the tenant registry on DynamoDB, read as a {@code TenantCatalog} by a fleet
 * and written by onboarding with conditional writes.
 *
 * <p>Exports {@code dev.tenantkit.registry} only; the item codec in
 * {@code dev.tenantkit.registry.internal} is not API.
 */
module dev.tenantkit.registry {
  requires transitive dev.tenantkit.core;
  // The API takes the application's DynamoDB client.
  requires transitive software.amazon.awssdk.services.dynamodb;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.regions; // EnvironmentCatalog: the registry's Region
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.tenantkit.registry;
}
