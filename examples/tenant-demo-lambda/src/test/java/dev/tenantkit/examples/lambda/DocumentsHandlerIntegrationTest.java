package dev.tenantkit.examples.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.examples.documents.Document;
import dev.tenantkit.examples.documents.DocumentStore;
import dev.tenantkit.examples.documents.LocalDemo;
import dev.tenantkit.storage.TenantStorageClient;
import dev.tenantkit.testkit.LocalPostgres;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.LocalServices;
import dev.tenantkit.testkit.LocalTokenIssuer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The handler invoked with real HTTP API event JSON (read by the Lambda runtime's own serializer)
 * against the local stand-ins, which tenant-testkit's {@link LocalServices} starts once per run.
 */
@ExtendWith(LocalServices.class)
class DocumentsHandlerIntegrationTest {
  private static LocalDemo demo;
  private static DocumentsHandler handler;
  private static Document acmeDoc;
  private static Document globexDoc;
  private static LocalS3 s3Server;

  @BeforeAll
  static void seed(LocalPostgres pg, LocalS3 s3, LocalTokenIssuer issuer) {
    demo = SharedDemo.on(pg, s3, issuer);
    s3Server = s3;
    handler = new DocumentsHandler(demo.catalog(), s3.client(), s3.presigner(), "{tenant}.api.example.com",
        db -> db.tlsMode(dev.tenantkit.db.TlsMode.PLAINTEXT_ON_LOOPBACK));
    // The write path (the service's) puts one document per tenant.
    DocumentStore writer = new DocumentStore(
        dev.tenantkit.db.TenantDataSource.builder().catalog(demo.catalog())
            .tlsMode(dev.tenantkit.db.TlsMode.PLAINTEXT_ON_LOOPBACK).build(),
        TenantStorageClient.builder().s3Client(s3.client()).presigner(s3.presigner()).build(), Duration.ofMinutes(1));
    acmeDoc = TenantContext.supply(demo.catalog().require(dev.tenantkit.core.TenantId.of("acme")),
        () -> writer.create("acme.txt", "text/plain", "acme".getBytes(StandardCharsets.UTF_8)));
    globexDoc = TenantContext.supply(demo.catalog().require(dev.tenantkit.core.TenantId.of("globex")),
        () -> writer.create("globex.txt", "text/plain", "globex".getBytes(StandardCharsets.UTF_8)));
  }

  private static APIGatewayV2HTTPEvent event(String tenant, String token, String method, String path) throws IOException {
    String json;
    try (InputStream in = DocumentsHandlerIntegrationTest.class.getResourceAsStream("/events/http-api-get.json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    json = json.replace("{{tenant}}", tenant).replace("{{host}}", tenant + ".api.example.com")
        .replace("{{token}}", token).replace("{{method}}", method).replace("{{path}}", path);
    return LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, DocumentsHandler.class.getClassLoader())
        .fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static APIGatewayV2HTTPResponse invoke(String tenant, String token, String path) throws IOException {
    return handler.handleRequest(event(tenant, token, "GET", path), null);
  }

  /** The event API Gateway's JWT authorizer hands over after verifying {@code token}: its claims as strings. */
  private static APIGatewayV2HTTPEvent verifiedByApiGateway(String tenant, String token, String path) throws IOException {
    APIGatewayV2HTTPEvent e = event(tenant, token, "GET", path);
    Map<?, ?> payload = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
        java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), Map.class);
    Map<String, String> claims = new java.util.LinkedHashMap<>();
    payload.forEach((k, v) -> claims.put((String) k, v instanceof java.util.List
        ? ((java.util.List<?>) v).stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ", "[", "]"))
        : String.valueOf(v)));
    e.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build()).build());
    return e;
  }

  @Test
  void behindAnHttpApisJwtAuthorizer_theTokenIsBoundToTheTenant_andNoRouteWithoutItServes() throws Exception {
    DocumentsHandler gateway = new DocumentsHandler(demo.catalog(), s3Server.client(),
        s3Server.presigner(), "{tenant}.api.example.com",
        db -> db.tlsMode(dev.tenantkit.db.TlsMode.PLAINTEXT_ON_LOOPBACK), true);
    String acmeToken = demo.accessToken("acme", "alice");
    APIGatewayV2HTTPResponse ok = gateway.handleRequest(verifiedByApiGateway("acme", acmeToken, "/documents"), null);
    assertThat(ok.getStatusCode()).isEqualTo(200);
    assertThat(ok.getBody()).contains(acmeDoc.id().toString()).doesNotContain(globexDoc.id().toString());
    // acme's verified token on globex's host, and a route without the authorizer.
    assertThat(gateway.handleRequest(verifiedByApiGateway("globex", acmeToken, "/documents"), null).getStatusCode())
        .isEqualTo(403);
    assertThat(gateway.handleRequest(event("acme", acmeToken, "GET", "/documents"), null).getStatusCode())
        .isEqualTo(401);
    assertThat(DocumentsHandler.apiGatewayVerifiesTokens(null)).isFalse();
    assertThat(DocumentsHandler.apiGatewayVerifiesTokens("FALSE")).isFalse();
    assertThat(DocumentsHandler.apiGatewayVerifiesTokens(" true ")).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DocumentsHandler.apiGatewayVerifiesTokens("yes"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("TENANTKIT_API_GATEWAY_VERIFIES_TOKENS");
  }

  @Test
  void list_returnsOnlyTheCallersTenantsDocuments() throws Exception {
    APIGatewayV2HTTPResponse acme = invoke("acme", demo.accessToken("acme", "alice"), "/documents");
    assertThat(acme.getStatusCode()).isEqualTo(200);
    assertThat(acme.getBody()).contains(acmeDoc.id().toString()).doesNotContain(globexDoc.id().toString());
    APIGatewayV2HTTPResponse globex = invoke("globex", demo.accessToken("globex", "gina"), "/documents");
    assertThat(globex.getStatusCode()).isEqualTo(200);
    assertThat(globex.getBody()).contains(globexDoc.id().toString()).doesNotContain(acmeDoc.id().toString());
  }

  @Test
  void get_ownDocumentAndDownloadUrl_butNotAnotherTenants() throws Exception {
    String token = demo.accessToken("acme", "alice");
    String one = invoke("acme", token, "/documents/" + acmeDoc.id()).getBody();
    assertThat(one).contains("acme.txt");
    // The creation time as ISO-8601, as the database keeps it (rounded to the microsecond).
    java.util.regex.Matcher created = java.util.regex.Pattern.compile(
        "\"createdAt\":\"(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z)\"").matcher(one);
    assertThat(created.find()).as(one).isTrue();
    assertThat(Duration.between(java.time.Instant.parse(created.group(1)), acmeDoc.createdAt()).abs())
        .isLessThanOrEqualTo(Duration.ofNanos(1_000));
    assertThat(invoke("acme", token, "/documents/" + acmeDoc.id() + "/download").getBody())
        .contains(LocalDemo.ACME_BUCKET);
    APIGatewayV2HTTPResponse foreign = invoke("acme", token, "/documents/" + globexDoc.id());
    assertThat(foreign.getStatusCode()).isEqualTo(404);
    assertThat(foreign.getBody()).doesNotContain("globex.txt");
    assertThat(invoke("acme", token, "/documents/not-a-uuid").getStatusCode()).isEqualTo(404);
  }

  @Test
  void crossTenantAttempts_areRefused() throws Exception {
    String acmeToken = demo.accessToken("acme", "alice");
    // acme's token on globex's subdomain: the token is not from globex's issuer.
    assertThat(invoke("globex", acmeToken, "/documents").getStatusCode()).isEqualTo(403);
    // A token whose payload was edited: the signature no longer matches.
    String[] parts = acmeToken.split("\\.");
    String forged = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "xy." + parts[2];
    assertThat(invoke("acme", forged, "/documents").getStatusCode()).isEqualTo(401);
    assertThat(invoke("umbrella", acmeToken, "/documents").getStatusCode()).isEqualTo(404);
    assertThat(handler.handleRequest(event("acme", acmeToken, "DELETE", "/documents/" + acmeDoc.id()), null)
        .getStatusCode()).isEqualTo(405);
  }

  @Test
  void snapStartHooks_calledAsTheRuntimeDoes_keysFetchedBeforeTheSnapshot_noConnectionInIt_servedAfterRestore(
      LocalS3 s3) throws Exception {
    DocumentsHandler fresh = new DocumentsHandler(demo.catalog(), s3.client(), s3.presigner(), "{tenant}.api.example.com",
        db -> db.tlsMode(dev.tenantkit.db.TlsMode.PLAINTEXT_ON_LOOPBACK));
    String acmeToken = demo.accessToken("acme", "alice");
    assertThat(fresh.handleRequest(event("acme", acmeToken, "GET", "/documents"), null).getStatusCode()).isEqualTo(200);
    assertThat(fresh.dataSource().livePools()).isEqualTo(1);

    // The runtime: resources registered with a context, beforeCheckpoint in reverse order, then
    // afterRestore in order in each restored environment.
    dev.tenantkit.core.lambda.SnapStartPriming priming = fresh.priming();
    priming.beforeCheckpoint(null);
    assertThat(fresh.dataSource().livePools()).as("no database socket in the snapshot").isZero();
    int keyFetches = demo.pool("acme").jwksFetches();
    priming.afterRestore(null);
    assertThat(fresh.dataSource().livePools()).isZero();
    APIGatewayV2HTTPResponse r = fresh.handleRequest(event("acme", acmeToken, "GET", "/documents"), null);
    assertThat(r.getStatusCode()).isEqualTo(200);
    assertThat(r.getBody()).contains(acmeDoc.id().toString()).doesNotContain(globexDoc.id().toString());
    assertThat(demo.pool("acme").jwksFetches()).as("the restore hook keeps the keys fetched before the snapshot")
        .isEqualTo(keyFetches);
  }

  private static <T> T fromTemplate(String name, Class<T> type, Map<String, String> values) throws IOException {
    String json;
    try (InputStream in = DocumentsHandlerIntegrationTest.class.getResourceAsStream("/events/" + name)) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (Map.Entry<String, String> v : values.entrySet()) {
      json = json.replace("{{" + v.getKey() + "}}", v.getValue());
    }
    return LambdaEventSerializers.serializerFor(type, DocumentsHandler.class.getClassLoader())
        .fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void alb_sameRoutes_anotherTenantsDocumentIs404_andATokenAtAnotherTenantsHostIs403() throws Exception {
    String token = demo.accessToken("acme", "alice");
    ApplicationLoadBalancerResponseEvent list = handler.handleAlb(fromTemplate("alb-get.json",
        ApplicationLoadBalancerRequestEvent.class, Map.of("path", "/documents", "token", token,
            "host", "acme.api.example.com")), null);
    assertThat(list.getStatusCode()).isEqualTo(200);
    assertThat(list.getStatusDescription()).isEqualTo("200 OK");
    assertThat(list.getBody()).contains(acmeDoc.id().toString()).doesNotContain(globexDoc.id().toString());
    ApplicationLoadBalancerResponseEvent other = handler.handleAlb(fromTemplate("alb-get.json",
        ApplicationLoadBalancerRequestEvent.class, Map.of("path", "/documents/" + globexDoc.id(), "token", token,
            "host", "acme.api.example.com")), null);
    assertThat(other.getStatusCode()).isEqualTo(404);
    assertThat(other.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    // acme's token at globex's host: the token is bound to acme.
    assertThat(handler.handleAlb(fromTemplate("alb-get.json", ApplicationLoadBalancerRequestEvent.class,
        Map.of("path", "/documents", "token", token, "host", "globex.api.example.com")), null).getStatusCode())
        .isEqualTo(403);
  }

  @Test
  void sqsDeletions_eachInItsTenantsScope_anotherTenantsIdDeletesNothing_badMessagesFailAlone(LocalS3 s3)
      throws Exception {
    DocumentStore writer = new DocumentStore(dev.tenantkit.db.TenantDataSource.builder().catalog(demo.catalog())
        .tlsMode(dev.tenantkit.db.TlsMode.PLAINTEXT_ON_LOOPBACK).build(),
        TenantStorageClient.builder().s3Client(s3.client()).presigner(s3.presigner()).build(), Duration.ofMinutes(1));
    dev.tenantkit.core.Tenant acme = demo.catalog().require(dev.tenantkit.core.TenantId.of("acme"));
    dev.tenantkit.core.Tenant globex = demo.catalog().require(dev.tenantkit.core.TenantId.of("globex"));
    Document doomed = TenantContext.supply(acme, () -> writer.create("doomed.txt", "text/plain", new byte[] {1}));
    Document kept = TenantContext.supply(globex, () -> writer.create("kept.txt", "text/plain", new byte[] {2}));
    SQSBatchResponse r = handler.handleDeletions(fromTemplate("sqs-deletions.json", SQSEvent.class,
        Map.of("acmeDoc", doomed.id().toString(), "globexDoc", kept.id().toString())), null);
    // d-1 deletes acme's document; d-2 (acme naming globex's document) finds nothing in acme's
    // scope; d-3 (unknown tenant), d-4 (no document id), d-5 (no tenant attribute) fail alone.
    assertThat(r.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("d-3", "d-4", "d-5");
    assertThat(TenantContext.supply(acme, () -> writer.find(doomed.id()))).isEmpty();
    assertThat(TenantContext.supply(globex, () -> writer.find(kept.id()))).isPresent();
  }
}
