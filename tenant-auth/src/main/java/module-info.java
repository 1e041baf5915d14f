/**
 * TenantKit auth: Cognito, Okta and ALB token verification bound to the request's tenant, and
 * Cognito user-pool administration.
 *
 * <p>Exports {@code dev.tenantkit.auth} only: the verifier's steps in
 * {@code dev.tenantkit.auth.internal} are reachable through the builders and their checks, not
 * around them (on the module path; see docs/modules.md for the class path).
 */
module dev.tenantkit.auth {
  requires transitive dev.tenantkit.core;
  requires com.nimbusds.jose.jwt;
  requires com.github.benmanes.caffeine;
  requires io.github.bucket4j.core;
  requires org.slf4j;
  requires java.net.http;
  requires static transitive org.jspecify;
  // Only the Cognito administration client (control plane) needs the SDK: optional, as in the pom.
  requires static software.amazon.awssdk.services.cognitoidentityprovider;
  requires static software.amazon.awssdk.core;
  requires static software.amazon.awssdk.awscore;

  exports dev.tenantkit.auth;
}
