package dev.tenantkit.benchmarks.lambda;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TlsMode;
import dev.tenantkit.examples.documents.DocumentStore;
import dev.tenantkit.examples.documents.LocalDemo;
import dev.tenantkit.storage.TenantStorageClient;
import dev.tenantkit.testkit.LocalS3;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold start of the Lambda example, measured as the runtime sees it: a fresh JVM per sample whose
 * class path is the deployable jar (built by {@code mvn package} in examples/tenant-demo-lambda),
 * from process start to the first invocation answered, against the local stand-ins; beside a bare
 * handler with the same S3 clients and the same query, and with the SnapStart hooks run where the
 * runtime runs them (then the first invocation is what a SnapStart cold start has after the
 * snapshot's restore).
 *
 * <pre>
 * java -cp tenant-benchmarks/target/benchmarks.jar dev.tenantkit.benchmarks.lambda.ColdStart \
 *     examples/tenant-demo-lambda/target/tenant-demo-lambda-0.1.0-SNAPSHOT-lambda.jar [samples]
 * </pre>
 *
 * The runtime's event serializer (aws-lambda-java-serialization, which the Lambda runtime brings)
 * is taken from the local Maven repository, where the build put it.
 */
public final class ColdStart {
  static final String SERIALIZATION_VERSION = "1.4.1"; // the root pom's aws-lambda-java-serialization.version
  private static final List<String> VARIANTS = List.of("bare", "tenantkit", "primed", "gateway");
  /** The child JVM's options: none, or what the system property {@code coldstart.jvmOptions} gives. */
  private static final List<String> JVM_OPTIONS = System.getProperty("coldstart.jvmOptions", "").isBlank() ? List.of()
      : List.of(System.getProperty("coldstart.jvmOptions").trim().split("\\s+"));

  private ColdStart() {}

  /** One sample: the wall time from process start to the answer, and what the child measured. */
  record Sample(String variant, double wallMs, double initMs, double firstMs, int status) {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path serialization = Path.of(System.getProperty("user.home"), ".m2", "repository", "com", "amazonaws",
        "aws-lambda-java-serialization", SERIALIZATION_VERSION, "aws-lambda-java-serialization-"
            + SERIALIZATION_VERSION + ".jar");
    for (Path p : List.of(jar, serialization)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(p + " is not a file: build first (mvn -B -DskipTests package)");
      }
    }
    Path dir = Files.createTempDirectory("coldstart");
    Path classes = dir.resolve("classes");
    for (String c : List.of("ColdStartChild", "ColdStartChild$Bare")) {
      Path target = classes.resolve("dev/tenantkit/benchmarks/lambda/" + c + ".class");
      Files.createDirectories(target.getParent());
      try (InputStream in = ColdStart.class.getResourceAsStream("/dev/tenantkit/benchmarks/lambda/" + c + ".class")) {
        Files.copy(in, target);
      }
    }
    try (LocalDemo demo = LocalDemo.start()) {
      Tenant acme = demo.catalog().require(TenantId.of("acme"));
      DocumentStore writer = new DocumentStore(TenantDataSource.builder().catalog(demo.catalog())
          .tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).build(),
          TenantStorageClient.builder().s3Client(demo.s3().client()).presigner(demo.s3().presigner()).build(),
          Duration.ofMinutes(1));
      TenantContext.supply(acme, () -> writer.create("cold.txt", "text/plain", new byte[] {1}));
      Path catalog = dir.resolve("tenants.json");
      TenantCatalog.writeFile(catalog, demo.catalog().all());
      Path event = dir.resolve("event.json");
      String template;
      try (InputStream in = ColdStart.class.getResourceAsStream("/lambda/http-api-get.json")) {
        template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String token = demo.accessToken("acme", "alice");
      // As API Gateway hands it over behind an HTTP API JWT authorizer (every variant reads the
      // same event; only the gateway variant relies on the claims).
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      com.fasterxml.jackson.databind.node.ObjectNode e = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
          template.replace("{{host}}", "acme.api.example.com").replace("{{tenant}}", "acme")
              .replace("{{method}}", "GET").replace("{{token}}", token).replace("{{path}}", "/documents"));
      com.fasterxml.jackson.databind.node.ObjectNode jwt = ((com.fasterxml.jackson.databind.node.ObjectNode)
          e.get("requestContext")).putObject("authorizer").putObject("jwt");
      jwt.set("claims", json.valueToTree(gatewayClaims(json, token)));
      jwt.putNull("scopes");
      Files.write(event, json.writeValueAsBytes(e));
      DatabaseConfig db = acme.database().orElseThrow();
      String jdbc = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database();
      String classPath = String.join(File.pathSeparator, jar.toAbsolutePath().toString(), classes.toString(),
          serialization.toString());
      List<String> childArgs = List.of(catalog.toString(), demo.s3().endpoint().toString(), LocalS3.ACCESS_KEY,
          event.toString(), jdbc, db.user());
      // Secrets through the environment, never on a command line other users can read.
      Map<String, String> childEnv = Map.of("COLDSTART_S3_SECRET", LocalS3.SECRET_KEY,
          "COLDSTART_DB_PASSWORD", String.valueOf(db.password()));

      List<Sample> all = new ArrayList<>();
      for (int i = 0; i < samples + 1; i++) {
        List<String> order = new ArrayList<>(VARIANTS);
        if (i % 2 == 1) {
          java.util.Collections.reverse(order);
        }
        for (String v : order) {
          Sample s = run(classPath, v, childArgs, childEnv);
          if (i > 0) { // the first round warms the OS file cache
            all.add(s);
          }
        }
      }
      System.out.println(report(all, samples, Files.size(jar)));
    }
  }

  /** A token's claims the way API Gateway's JWT authorizer passes them on: every value a string. */
  static Map<String, String> gatewayClaims(com.fasterxml.jackson.databind.ObjectMapper json, String token)
      throws java.io.IOException {
    Map<?, ?> payload = json.readValue(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), Map.class);
    Map<String, String> out = new LinkedHashMap<>();
    payload.forEach((k, v) -> out.put((String) k, v instanceof List
        ? ((List<?>) v).stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ", "[", "]"))
        : String.valueOf(v)));
    return out;
  }

  static Sample run(String classPath, String variant, List<String> args, Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-cp", classPath, "dev.tenantkit.benchmarks.lambda.ColdStartChild", variant));
    command.addAll(args);
    long start = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String line;
    StringBuilder output = new StringBuilder();
    double wall = -1;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      while ((line = r.readLine()) != null) {
        if (line.startsWith("coldstart ")) {
          wall = (System.nanoTime() - start) / 1e6;
          Map<String, String> f = fields(line);
          p.waitFor(30, TimeUnit.SECONDS);
          return new Sample(variant, wall, Double.parseDouble(f.get("initMs")), Double.parseDouble(f.get("firstMs")),
              Integer.parseInt(f.get("status")));
        }
        output.append(line).append('\n');
      }
    }
    throw new IllegalStateException("the " + variant + " child printed no result:\n" + output);
  }

  private static Map<String, String> fields(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String part : line.split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        m.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return m;
  }

  static String report(List<Sample> all, int samples, long jarBytes) {
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT,
        "Cold start, %d samples per variant (a fresh JVM each, variants alternated), deployable jar %.1f MB,"
            + " JVM options %s%n%n", samples, jarBytes / 1e6, JVM_OPTIONS.isEmpty() ? "none" : JVM_OPTIONS));
    t.append("| variant | wall, median | wall, p90 | init, median | first invocation, median | statuses |\n");
    t.append("|---|---:|---:|---:|---:|---|\n");
    Map<String, Double> medians = new LinkedHashMap<>();
    Map<String, Double> firsts = new LinkedHashMap<>();
    for (String v : VARIANTS) {
      List<Sample> s = all.stream().filter(x -> x.variant().equals(v)).toList();
      double[] wall = s.stream().mapToDouble(Sample::wallMs).sorted().toArray();
      double[] init = s.stream().mapToDouble(Sample::initMs).sorted().toArray();
      double[] first = s.stream().mapToDouble(Sample::firstMs).sorted().toArray();
      medians.put(v, median(wall));
      firsts.put(v, median(first));
      t.append(String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %s |%n", v, median(wall),
          wall[(int) Math.ceil(0.9 * wall.length) - 1], median(init), median(first),
          s.stream().map(x -> String.valueOf(x.status())).distinct().toList()));
    }
    t.append(String.format(Locale.ROOT, "%nWithout SnapStart, TenantKit / bare (wall, medians): %.2fx%n",
        medians.get("tenantkit") / medians.get("bare")));
    t.append(String.format(Locale.ROOT, "Without SnapStart, TenantKit behind API Gateway's JWT authorizer / bare:"
        + " %.2fx%n", medians.get("gateway") / medians.get("bare")));
    t.append(String.format(Locale.ROOT, "With SnapStart (what follows the restore: the first invocation),"
        + " primed / bare: %.2fx; unprimed / bare: %.2fx%n", firsts.get("primed") / firsts.get("bare"),
        firsts.get("tenantkit") / firsts.get("bare")));
    return t.toString();
  }

  private static double median(double[] sorted) {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
  }
}
