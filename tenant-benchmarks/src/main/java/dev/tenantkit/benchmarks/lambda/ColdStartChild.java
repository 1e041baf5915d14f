package dev.tenantkit.benchmarks.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.db.TlsMode;
import dev.tenantkit.examples.documents.Document;
import dev.tenantkit.examples.lambda.DocumentsHandler;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * One cold start, in a JVM whose class path is the example's deployable jar (plus this class and
 * the runtime's event serializer): build the handler and the event's serializer (the runtime's
 * init phase), then read one event and invoke the handler (the first invocation; with SnapStart,
 * what is left of a cold start after the snapshot's restore, with the after-restore hooks), print
 * the times. Variants:
 * {@code bare} (the same S3 clients and the same query on one JDBC connection, no TenantKit),
 * {@code bare-jwt} (the same, with a hand-written check of the token against one Cognito user pool),
 * {@code bare-primed} (the bare handler with what it can prime before a SnapStart snapshot),
 * {@code tenantkit} (the example's handler), {@code primed} (the example's handler with its
 * SnapStart hooks run as the runtime runs them: before-checkpoint at the end of init, after-restore
 * before the invocation), {@code gateway} (the example's handler behind an HTTP API JWT authorizer:
 * the token bound to the tenant from the authorizer's claims, no signature check, no keys fetched).
 * Every variant reads the same event, which carries the authorizer's claims.
 *
 * <p>Arguments: variant, catalog file, S3 endpoint, access key, event file, JDBC URL, user, the
 * tenant's issuer and app client id (for {@code bare-jwt}); the S3
 * secret and the database password in the environment ({@code COLDSTART_S3_SECRET},
 * {@code COLDSTART_DB_PASSWORD}).
 */
public final class ColdStartChild {
  private ColdStartChild() {}

  public static void main(String[] a) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    long t0 = System.nanoTime();
    String variant = a[0];
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(a[3],
        System.getenv("COLDSTART_S3_SECRET")));
    S3Client s3 = S3Client.builder().endpointOverride(URI.create(a[2])).region(Region.US_EAST_1)
        .forcePathStyle(true).credentialsProvider(credentials).build();
    S3Presigner presigner = S3Presigner.builder().endpointOverride(URI.create(a[2])).region(Region.US_EAST_1)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .credentialsProvider(credentials).build();
    Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
    Runnable afterRestore = () -> { };
    if (variant.equals("bare") || variant.equals("bare-primed")) {
      Bare bare = new Bare(a[5], a[6], System.getenv("COLDSTART_DB_PASSWORD"));
      if (variant.equals("bare-primed")) {
        bare.prime(); // what a bare handler can do before a SnapStart snapshot
      }
      handler = bare::handle;
    } else if (variant.equals("bare-jwt")) {
      handler = new BareWithJwtCheck(new Bare(a[5], a[6], System.getenv("COLDSTART_DB_PASSWORD")), a[7], a[8])::handle;
    } else {
      DocumentsHandler h = new DocumentsHandler(TenantCatalog.fromFile(Path.of(a[1])), s3, presigner,
          "{tenant}.api.example.com", db -> db.tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK), variant.equals("gateway"));
      if (variant.equals("primed")) {
        h.priming().beforeCheckpoint(null);
        afterRestore = () -> {
          try {
            h.priming().afterRestore(null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
      }
      handler = e -> h.handleRequest(e, null);
    }
    // The runtime builds the event's serializer when it loads the handler, in init
    // (aws-lambda-java-runtime-interface-client's PojoHandlerAsStreamHandler).
    var serializer = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class,
        ColdStartChild.class.getClassLoader());
    long t1 = System.nanoTime();
    // With SnapStart, a cold start resumes here: the snapshot holds everything above.
    APIGatewayV2HTTPEvent event;
    try (InputStream in = Files.newInputStream(Path.of(a[4]))) {
      event = serializer.fromJson(in);
    }
    afterRestore.run();
    APIGatewayV2HTTPResponse r = handler.apply(event);
    long t2 = System.nanoTime();
    // The timing line first: the harness stops the wall clock when it reads it, so hashing the
    // body for the answer check (MessageDigest's classes, which only some variants have loaded)
    // is not part of any variant's time.
    System.out.println("coldstart variant=" + variant + " status=" + r.getStatusCode() + " jvmToMainMs="
        + (System.currentTimeMillis() - jvmStart - (t2 - t0) / 1_000_000) + " initMs=" + (t1 - t0) / 1e6
        + " firstMs=" + (t2 - t1) / 1e6);
    System.out.println("coldstart-answer body=" + (r.getBody() == null ? "none" : sha256(r.getBody())));
  }

  private static String sha256(String body) throws java.security.NoSuchAlgorithmException {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /**
   * The bare handler with the token check a team writes by hand for one Cognito user pool, as AWS
   * documents it for an access token (signature against the pool's JWKS, fetched on first use and
   * cached by nimbus; {@code exp}; {@code iss}; {@code token_use} {@code access}; {@code client_id}):
   * nimbus's {@code DefaultJWTProcessor}, no tenant binding, no catalog, no pool.
   */
  static final class BareWithJwtCheck {
    private final Bare bare;
    private final DefaultJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();

    BareWithJwtCheck(Bare bare, String issuer, String clientId) throws java.net.MalformedURLException {
      this.bare = bare;
      JWKSource<SecurityContext> keys = JWKSourceBuilder.create(
          URI.create(issuer + "/.well-known/jwks.json").toURL()).build();
      jwt.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
      jwt.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new JWTClaimsSet.Builder().issuer(issuer)
          .claim("token_use", "access").claim("client_id", clientId).build(), java.util.Set.of("exp", "sub")));
    }

    APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
      String authorization = event.getHeaders() == null ? null : event.getHeaders().get("authorization");
      try {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
          throw new BadJOSEException("no bearer token");
        }
        jwt.process(authorization.substring("Bearer ".length()), null);
      } catch (java.text.ParseException | BadJOSEException | JOSEException e) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(401).build();
      }
      return bare.handle(event);
    }
  }

  /**
   * The bare handler: the same query on one JDBC connection, no tenant checks (main built the same
   * S3 clients), and the same answer as the example's handler: the same rows as the same
   * {@link Document} records, written by an ObjectMapper configured as the example's, so the
   * harness compares TenantKit's cost, not two ways of writing JSON (it checks that every
   * variant's body is identical).
   */
  static final class Bare {
    private static final ObjectMapper JSON = new ObjectMapper()
        .registerModule(new SimpleModule("instants").addSerializer(Instant.class, ToStringSerializer.instance));
    private final String url;
    private final String user;
    private final String password;
    private Connection connection;

    Bare(String url, String user, String password) {
      this.url = url;
      this.user = user;
      this.password = password;
    }

    /**
     * The bare handler's own SnapStart priming, what it can do without a connection (none may be
     * in a snapshot): its JSON writer run once on a made-up document, and the JDBC driver loaded.
     */
    void prime() throws Exception {
      JSON.writeValueAsString(List.of(new Document(new UUID(0, 0), "priming", "text/plain", 0, Instant.EPOCH)));
      DriverManager.getDriver(url);
    }

    APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
      try {
        if (connection == null) {
          connection = DriverManager.getConnection(url, user, password);
        }
        List<Document> rows = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT id, name, content_type, size, created_at "
            + "FROM documents ORDER BY created_at DESC, id LIMIT 1000");
            ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            rows.add(new Document(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getTimestamp(5).toInstant()));
          }
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
            .withHeaders(Map.of("Content-Type", "application/json")).withBody(JSON.writeValueAsString(rows)).build();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
