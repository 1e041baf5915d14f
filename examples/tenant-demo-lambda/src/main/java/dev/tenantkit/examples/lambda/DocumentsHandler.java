package dev.tenantkit.examples.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.tenantkit.auth.ApiGatewayJwtGuard;
import dev.tenantkit.auth.BearerTokenGuard;
import dev.tenantkit.auth.TenantTokenVerifier;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantResolvers;
import dev.tenantkit.core.lambda.LambdaHttpResponse;
import dev.tenantkit.core.lambda.SnapStartPriming;
import dev.tenantkit.core.lambda.TenantLambda;
import dev.tenantkit.db.PoolSettings;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.examples.documents.Document;
import dev.tenantkit.examples.documents.DocumentRejectedException;
import dev.tenantkit.examples.documents.DocumentStore;
import dev.tenantkit.registry.EnvironmentCatalog;
import dev.tenantkit.storage.TenantStorageClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The documents read path as an API Gateway HTTP API (payload 2.0) Lambda handler: the same
 * TenantKit pieces as the service (subdomain resolver, bearer token of the tenant's issuer,
 * {@code TenantDataSource}, tenant storage), with {@link TenantLambda} in place of the servlet
 * filter.
 *
 * <ul>
 *   <li>{@code GET /documents}: the tenant's documents;</li>
 *   <li>{@code GET /documents/{id}}: one of them (another tenant's id: 404);</li>
 *   <li>{@code GET /documents/{id}/download}: a presigned URL.</li>
 * </ul>
 *
 * <p>On AWS the no-argument constructor reads the tenants from the registry named by
 * {@code TENANTKIT_REGISTRY_TABLE} or the catalog file named by {@code TENANTKIT_CATALOG}
 * ({@link EnvironmentCatalog}), the subdomain pattern from {@code TENANTKIT_SUBDOMAIN} and the RDS
 * CA bundle that verifies the databases' TLS from {@code TENANTKIT_RDS_CA_BUNDLE} (required), and
 * reads {@code TENANTKIT_API_GATEWAY_VERIFIES_TOKENS} ({@code true} only behind an HTTP API JWT
 * authorizer that alone may invoke the function: see {@link ApiGatewayJwtGuard}; else the
 * function checks each token's signature itself), and registers the SnapStart hooks
 * ({@link SnapStartPriming}: before the snapshot, when the function checks signatures, the
 * issuers' keys fetched and the token check's classes loaded; always the classes of the borrow
 * and the response writer; no database connection in it or shared by restored environments).
 * Everything is built once per execution environment, outside the handler, so warm invocations
 * reuse the pools and the issuers' keys.
 *
 * <p>The tenant is the one the subdomain names. The handler passes its {@code Context}, so under
 * Lambda's tenant isolation mode the tenant Lambda routed the invocation by must agree with it
 * ({@code TenantLambda.invocationTenant()}); this example is an HTTP API handler, and HTTP APIs
 * cannot invoke a function in that mode: a function in it handles REST API events the same way
 * ({@code lambda.handle(restEvent, context, fn)}) and is built with
 * {@code requireInvocationTenant()} and {@code oneTenantPerEnvironment()}.
 */
public final class DocumentsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private static final Logger LOG = LoggerFactory.getLogger(DocumentsHandler.class);
  // The one java.time type the responses hold, written as ISO-8601 (Instant.toString(),
  // what jackson-datatype-jsr310 writes too): that module's classes cost a cold start about 20 ms.
  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new SimpleModule("instants").addSerializer(Instant.class, ToStringSerializer.instance));

  private final TenantLambda lambda;
  private final DocumentStore documents;
  private final TenantDataSource dataSource;
  private final SnapStartPriming priming;

  /** For the Lambda runtime: configuration from the environment, AWS clients from the default chain. */
  public DocumentsHandler() {
    this(EnvironmentCatalog.fromEnvironment(), S3Client.create(), S3Presigner.create(),
        System.getenv().getOrDefault("TENANTKIT_SUBDOMAIN", "{tenant}.api.example.com"),
        db -> db.rdsCaBundle(Path.of(requiredEnv("TENANTKIT_RDS_CA_BUNDLE",
            "names the RDS CA bundle (global-bundle.pem) that verifies the tenants' databases"))),
        apiGatewayVerifiesTokens(System.getenv("TENANTKIT_API_GATEWAY_VERIFIES_TOKENS")));
    org.crac.Core.getGlobalContext().register(priming);
  }

  /** With explicit parts: tests, or a function that builds its clients itself; checks token signatures itself. */
  public DocumentsHandler(TenantCatalog catalog, S3Client s3, S3Presigner presigner, String subdomainPattern,
      UnaryOperator<TenantDataSource.Builder> database) {
    this(catalog, s3, presigner, subdomainPattern, database, false);
  }

  /**
   * As above; with {@code apiGatewayVerifiesTokens}, the function sits behind an HTTP API whose
   * routes have a JWT authorizer and only that API may invoke it: the token is bound to the
   * tenant by {@link ApiGatewayJwtGuard} (every check but the signature's, which API Gateway
   * made), and no signing keys are fetched, before a SnapStart snapshot or after.
   */
  public DocumentsHandler(TenantCatalog catalog, S3Client s3, S3Presigner presigner, String subdomainPattern,
      UnaryOperator<TenantDataSource.Builder> database, boolean apiGatewayVerifiesTokens) {
    TenantTokenVerifier verifier = TenantTokenVerifier.builder().catalog(catalog).build();
    this.lambda = TenantLambda.builder()
        .resolver(TenantResolvers.allAgree(TenantLambda.invocationTenant(), TenantResolvers.subdomain(subdomainPattern)))
        .catalog(catalog)
        .guard(apiGatewayVerifiesTokens ? ApiGatewayJwtGuard.of(verifier) : BearerTokenGuard.of(verifier))
        .build();
    // One request at a time per execution environment: small pools.
    this.dataSource = database.apply(TenantDataSource.builder().catalog(catalog).sharedPoolSize(2)
        .defaultPoolSettings(PoolSettings.ofMaxConnections(2))).build();
    this.documents = new DocumentStore(dataSource,
        TenantStorageClient.builder().s3Client(s3).presigner(presigner).build(), Duration.ofMinutes(5));
    SnapStartPriming.Builder hooks = SnapStartPriming.builder();
    if (!apiGatewayVerifiesTokens) {
      hooks.beforeCheckpoint("issuer keys", verifier::warmUp); // and the verification path's classes
    }
    this.priming = hooks
        // This function's own path: the response's JSON writer, with a made-up document.
        .beforeCheckpoint("response JSON", () -> json(200,
            List.of(new Document(new UUID(0, 0), "priming", "text/plain", 0, Instant.EPOCH))))
        // The pool's and the borrow's classes, on an in-memory stand-in: no connection, no credentials.
        .beforeCheckpoint("database classes", dataSource::warmUp)
        .beforeCheckpoint("database connections", dataSource::closePools)
        .afterRestore("database connections", dataSource::closePools)
        .build();
  }

  /** The SnapStart hooks (registered with the CRaC context by the no-argument constructor). */
  public SnapStartPriming priming() {
    return priming;
  }

  /** The tenants' databases. */
  TenantDataSource dataSource() {
    return dataSource;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return lambda.handle(event, context, e -> route(e.getRequestContext() == null
        || e.getRequestContext().getHttp() == null ? "" : e.getRequestContext().getHttp().getMethod(),
        e.getRawPath()).toHttpApi());
  }

  /**
   * The same routes behind an Application Load Balancer (handler
   * {@code dev.tenantkit.examples.lambda.DocumentsHandler::handleAlb}; the target group's
   * multi-value headers off).
   */
  public ApplicationLoadBalancerResponseEvent handleAlb(ApplicationLoadBalancerRequestEvent event, Context context) {
    return lambda.handle(event, e -> route(e.getHttpMethod(), e.getPath()).toAlb());
  }

  /**
   * Deletions queued on SQS (handler {@code ...DocumentsHandler::handleDeletions}, the event
   * source mapping with {@code ReportBatchItemFailures}): each message names its tenant in the
   * {@code tenantId} attribute and a document id in its body, and is handled in that tenant's
   * scope, so an id of another tenant's document deletes nothing. A message of an unknown or
   * suspended tenant, or with a body that is no document id, fails alone and is retried (then
   * goes to the queue's dead-letter queue); the rest of the batch is not.
   */
  public SQSBatchResponse handleDeletions(SQSEvent event, Context context) {
    return lambda.handle(event, context, m -> {
      if (!documents.delete(DocumentStore.parseId(m.getBody() == null ? "" : m.getBody().trim()))) {
        LOG.info("deletion of a document this tenant does not have: nothing deleted messageId={}", m.getMessageId());
      }
    });
  }

  private LambdaHttpResponse route(@Nullable String method, @Nullable String rawPath) {
    String path = rawPath == null ? "" : rawPath;
    try {
      if (!"GET".equals(method)) {
        return LambdaHttpResponse.problem(405, "method not allowed", "this function serves GET only");
      }
      String[] parts = path.split("/");
      if (path.equals("/documents")) {
        return json(200, documents.list());
      }
      if (parts.length == 3 && parts[1].equals("documents")) {
        return documents.find(DocumentStore.parseId(parts[2])).map(d -> json(200, d))
            .orElseGet(() -> LambdaHttpResponse.problem(404, "no such document", "no document with that id"));
      }
      if (parts.length == 4 && parts[1].equals("documents") && parts[3].equals("download")) {
        return documents.downloadUrl(DocumentStore.parseId(parts[2])).map(u -> json(200, Map.of("url", u.toString())))
            .orElseGet(() -> LambdaHttpResponse.problem(404, "no such document", "no document with that id"));
      }
      return LambdaHttpResponse.problem(404, "not found", "no such resource");
    } catch (DocumentRejectedException e) {
      return LambdaHttpResponse.problem(e.status(), e.title(), e.getMessage());
    }
  }

  private static LambdaHttpResponse json(int status, Object body) {
    try {
      return LambdaHttpResponse.json(status, JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the response", e);
    }
  }

  /**
   * {@code TENANTKIT_API_GATEWAY_VERIFIES_TOKENS}: {@code true} only where the function is
   * invokable by nothing but an HTTP API whose routes have a JWT authorizer; unset or
   * {@code false}, the function checks every token's signature itself.
   */
  static boolean apiGatewayVerifiesTokens(@Nullable String value) {
    if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("false")) {
      return false;
    }
    if (value.trim().equalsIgnoreCase("true")) {
      return true;
    }
    throw new IllegalStateException("environment variable TENANTKIT_API_GATEWAY_VERIFIES_TOKENS must be true or "
        + "false, was '" + value + "'");
  }

  private static String requiredEnv(String name, String what) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("environment variable " + name + " is not set: it " + what);
    }
    return value;
  }
}
