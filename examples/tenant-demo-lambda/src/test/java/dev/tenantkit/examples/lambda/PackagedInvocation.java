package dev.tenantkit.examples.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.db.TlsMode;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What the Lambda Java runtime does with a function, in a JVM of its own whose class path is the
 * deployable jar (plus this class and the runtime's event serializer, which the runtime brings):
 * construct the handler, read one event with the runtime's serializer, invoke, print the answer.
 * Only the S3 endpoint differs from AWS (the local S3 server, path-style), and the database is
 * reached without TLS on loopback.
 *
 * <p>Arguments: catalog file, S3 endpoint, access key, secret key, event file.
 */
public final class PackagedInvocation {
  private PackagedInvocation() {}

  public static void main(String[] args) throws Exception {
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(args[2], args[3]));
    S3Client s3 = S3Client.builder().endpointOverride(URI.create(args[1])).region(Region.US_EAST_1)
        .forcePathStyle(true).credentialsProvider(credentials).build();
    S3Presigner presigner = S3Presigner.builder().endpointOverride(URI.create(args[1])).region(Region.US_EAST_1)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .credentialsProvider(credentials).build();
    DocumentsHandler handler = new DocumentsHandler(TenantCatalog.fromFile(Path.of(args[0])), s3, presigner,
        "{tenant}.api.example.com", db -> db.tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK));
    APIGatewayV2HTTPEvent event;
    try (InputStream in = Files.newInputStream(Path.of(args[4]))) {
      event = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, PackagedInvocation.class.getClassLoader())
          .fromJson(in);
    }
    APIGatewayV2HTTPResponse r = handler.handleRequest(event, null);
    // The MDC a log line written in a tenant's scope carries (the keys the environment names).
    TenantCatalog catalog = TenantCatalog.fromFile(Path.of(args[0]));
    dev.tenantkit.core.TenantContext.run(catalog.require(dev.tenantkit.core.TenantId.of("acme")),
        () -> System.out.println("mdc=" + new java.util.TreeMap<>(org.slf4j.MDC.getCopyOfContextMap())));
    System.out.println("status=" + r.getStatusCode());
    System.out.println("body=" + r.getBody());
    // The HTTP clients the SDK can find on this class path (it takes the only one there is).
    for (var service : java.util.ServiceLoader.load(software.amazon.awssdk.http.SdkHttpService.class)) {
      System.out.println("httpClient=" + service.getClass().getName());
    }
  }
}
