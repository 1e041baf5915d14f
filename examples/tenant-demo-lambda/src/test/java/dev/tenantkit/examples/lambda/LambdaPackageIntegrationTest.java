package dev.tenantkit.examples.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.examples.documents.Document;
import dev.tenantkit.examples.documents.DocumentStore;
import dev.tenantkit.examples.documents.LocalDemo;
import dev.tenantkit.storage.TenantStorageClient;
import dev.tenantkit.testkit.LocalPostgres;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.LocalServices;
import dev.tenantkit.testkit.LocalTokenIssuer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployable jar the build makes ({@code target/tenant-demo-lambda-<version>-lambda.jar}):
 * what is in it, its size against Lambda's upload limit, and that it alone serves an invocation
 * in a fresh JVM.
 */
@ExtendWith(LocalServices.class)
class LambdaPackageIntegrationTest {
  /** Lambda's limit for a package uploaded directly (zipped). */
  static final long DIRECT_UPLOAD_LIMIT = 50L * 1024 * 1024;

  static Path deployableJar() throws IOException {
    try (Stream<Path> jars = Files.list(Path.of("target"))) {
      List<Path> found = jars.filter(p -> p.getFileName().toString().endsWith("-lambda.jar")).toList();
      assertThat(found).as("the package phase's shaded jar in target/").hasSize(1);
      return found.get(0);
    }
  }

  @Test
  void deployableJar_holdsTheHandlerAndTheUrlConnectionClient_noStandInNorOtherHttpClient_underTheUploadLimit()
      throws IOException {
    Path jar = deployableJar();
    assertThat(Files.size(jar)).as("bytes").isLessThan(DIRECT_UPLOAD_LIMIT);
    List<String> entries = new ArrayList<>();
    String httpServices;
    try (JarFile f = new JarFile(jar.toFile())) {
      Collections.list(f.entries()).forEach(e -> entries.add(e.getName()));
      try (InputStream in = f.getInputStream(f.getEntry("META-INF/services/software.amazon.awssdk.http.SdkHttpService"))) {
        httpServices = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    assertThat(entries).contains("dev/tenantkit/examples/lambda/DocumentsHandler.class",
        "dev/tenantkit/core/lambda/TenantLambda.class", "dev/tenantkit/db/TenantDataSource.class",
        "org/postgresql/Driver.class", "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class");
    for (String forbidden : List.of("dev/tenantkit/testkit/", "io/zonky/", "org/gaul/", "org/eclipse/jetty/",
        "dev/tenantkit/examples/documents/LocalDemo", "software/amazon/awssdk/http/apache", "io/netty/",
        "software/amazon/awssdk/http/nio/netty/", "org/junit/", "org/assertj/")) {
      assertThat(entries).as("nothing under " + forbidden).noneMatch(e -> e.startsWith(forbidden));
    }
    assertThat(httpServices.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList())
        .containsExactly("software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
  }

  @Test
  void deployableJar_alone_servesAnInvocationInAFreshJvm_onlyTheCallersDocuments(LocalPostgres pg, LocalS3 s3,
      LocalTokenIssuer issuer, @TempDir Path dir) throws Exception {
    LocalDemo demo = SharedDemo.on(pg, s3, issuer);
    DocumentStore writer = new DocumentStore(dev.tenantkit.db.TenantDataSource.builder().catalog(demo.catalog())
        .tlsMode(dev.tenantkit.db.TlsMode.PLAINTEXT_ON_LOOPBACK).build(),
        TenantStorageClient.builder().s3Client(s3.client()).presigner(s3.presigner()).build(), Duration.ofMinutes(1));
    Document acmeDoc = dev.tenantkit.core.TenantContext.supply(demo.catalog().require(
        dev.tenantkit.core.TenantId.of("acme")), () -> writer.create("packaged.txt", "text/plain", new byte[] {1}));
    Document globexDoc = dev.tenantkit.core.TenantContext.supply(demo.catalog().require(
        dev.tenantkit.core.TenantId.of("globex")), () -> writer.create("packaged.txt", "text/plain", new byte[] {2}));

    Path catalog = dir.resolve("tenants.json");
    TenantCatalog.writeFile(catalog, demo.catalog().all());
    String json;
    try (InputStream in = getClass().getResourceAsStream("/events/http-api-get.json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path event = dir.resolve("event.json");
    Files.writeString(event, json.replace("{{tenant}}", "acme").replace("{{host}}", "acme.api.example.com")
        .replace("{{token}}", demo.accessToken("acme", "alice")).replace("{{method}}", "GET")
        .replace("{{path}}", "/documents"));

    // The class path: the deployable jar, the invoking class, and the runtime's serializer.
    String classPath = String.join(File.pathSeparator, deployableJar().toAbsolutePath().toString(),
        Path.of("target", "test-classes").toAbsolutePath().toString(),
        Path.of(LambdaEventSerializers.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath, PackagedInvocation.class.getName(), catalog.toString(), s3.endpoint().toString(),
        LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY, event.toString());
    // Powertools for AWS Lambda's field name for the tenant, as a function would set it.
    pb.environment().put("TENANTKIT_MDC_TENANT_ID_KEY", "tenant_id");
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("status=200").contains(acmeDoc.id().toString()).doesNotContain(globexDoc.id().toString())
        .contains("httpClient=software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
    assertThat(out.lines().filter(l -> l.startsWith("httpClient=")).count()).as(out).isEqualTo(1);
    assertThat(out).contains("mdc={tenant.tier=premium, tenant_id=acme}");
  }
}
