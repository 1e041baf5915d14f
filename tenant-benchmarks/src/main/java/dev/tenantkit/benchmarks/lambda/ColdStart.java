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
  private static final List<String> ALL_VARIANTS = List.of("bare", "bare-jwt", "bare-primed", "tenantkit",
      "primed", "gateway");
  /** The variants to run: all, or those the system property {@code coldstart.variants} names (comma-separated). */
  private static final List<String> VARIANTS = variants(System.getProperty("coldstart.variants", ""));
  /**
   * The JVM options of Lambda's Java 17 runtime that shape a cold start, as AWS documents them
   * ("Customize Java runtime startup behavior for Lambda functions"): tiered compilation stops at
   * level 1 (C1 only, no profiling, no C2) and the serial garbage collector.
   */
  static final List<String> LAMBDA_JAVA17_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC");
  /**
   * The child JVM's options: the Lambda runtime's ({@link #LAMBDA_JAVA17_OPTIONS}), or what the
   * system property {@code coldstart.jvmOptions} gives instead ({@code none}: the JVM's own defaults).
   */
  private static final List<String> JVM_OPTIONS = jvmOptions(System.getProperty("coldstart.jvmOptions", ""));
  /**
   * The CPUs the child may run on ({@code taskset -c}), from the system property
   * {@code coldstart.cpus}; empty, every CPU. One CPU is what a function of 1,769 MB has (Lambda
   * gives CPU in proportion to memory; less memory, a share of one).
   */
  private static final String CPUS = System.getProperty("coldstart.cpus", "").trim();

  private ColdStart() {}

  static List<String> jvmOptions(String property) {
    if (property.isBlank()) {
      return LAMBDA_JAVA17_OPTIONS;
    }
    return property.trim().equals("none") ? List.of() : List.of(property.trim().split("\\s+"));
  }

  static List<String> variants(String property) {
    if (property.isBlank()) {
      return ALL_VARIANTS;
    }
    List<String> named = List.of(property.trim().split("\\s*,\\s*"));
    if (named.isEmpty() || named.stream().distinct().count() != named.size()) {
      throw new IllegalArgumentException("coldstart.variants: name each variant once (was '" + property + "')");
    }
    for (String v : named) {
      if (!ALL_VARIANTS.contains(v)) {
        throw new IllegalArgumentException("coldstart.variants: unknown variant '" + v + "' (known: " + ALL_VARIANTS
            + ")");
      }
    }
    return named;
  }

  /** One sample: the wall time from process start to the answer, and what the child measured. */
  record Sample(String variant, double wallMs, double initMs, double firstMs, int status, String body) {}

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
    for (String c : List.of("ColdStartChild", "ColdStartChild$Bare", "ColdStartChild$BareWithJwtCheck")) {
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
      var identity = acme.identity().orElseThrow();
      List<String> childArgs = List.of(catalog.toString(), demo.s3().endpoint().toString(), LocalS3.ACCESS_KEY,
          event.toString(), jdbc, db.user(), String.valueOf(identity.issuer()), identity.appClientIds().iterator().next());
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
      // Every variant must have answered the same request with the same body, or the times compare
      // different work.
      List<String> answers = all.stream().map(x -> x.status() + " " + x.body()).distinct().toList();
      if (answers.size() != 1 || all.get(0).status() != 200) {
        throw new IllegalStateException("the variants' answers differ or failed (status and body SHA-256): " + answers);
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
    List<String> command = new ArrayList<>();
    if (!CPUS.isEmpty()) {
      command.addAll(List.of("taskset", "-c", CPUS));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
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
    Map<String, String> timing = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      while ((line = r.readLine()) != null) {
        if (line.startsWith("coldstart ")) {
          wall = (System.nanoTime() - start) / 1e6;
          timing = fields(line);
        } else if (line.startsWith("coldstart-answer ") && timing != null) {
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly(); // never left running beside the next sample
          }
          return new Sample(variant, wall, Double.parseDouble(timing.get("initMs")),
              Double.parseDouble(timing.get("firstMs")), Integer.parseInt(timing.get("status")), fields(line).get("body"));
        } else {
          output.append(line).append('\n');
        }
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
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
            + " Java %s, CPUs %s, JVM options %s%n%n", samples, jarBytes / 1e6, System.getProperty("java.version"),
        CPUS.isEmpty() ? "all" : CPUS, JVM_OPTIONS.isEmpty() ? "none (the JVM's defaults)"
            : JVM_OPTIONS.equals(LAMBDA_JAVA17_OPTIONS) ? JVM_OPTIONS + " (Lambda's Java 17 runtime)" : JVM_OPTIONS));
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
    t.append('\n');
    ratio(t, medians, "tenantkit", "Without SnapStart, TenantKit / bare (wall, medians)");
    ratio(t, medians, "gateway", "Without SnapStart, TenantKit behind API Gateway's JWT authorizer / bare");
    if (medians.containsKey("tenantkit") && medians.containsKey("bare-jwt")) {
      t.append(String.format(Locale.ROOT, "Without SnapStart, TenantKit / bare with its own JWT check: %.2fx%n",
          medians.get("tenantkit") / medians.get("bare-jwt")));
    }
    ratio(t, firsts, "primed", "With SnapStart (what follows the restore: the first invocation), primed / bare");
    if (firsts.containsKey("primed") && firsts.containsKey("bare-primed")) {
      t.append(String.format(Locale.ROOT, "With SnapStart, primed / the bare handler primed too (first invocations):"
          + " %.2fx%n", firsts.get("primed") / firsts.get("bare-primed")));
    }
    ratio(t, firsts, "tenantkit", "First invocation, unprimed / bare");
    return t.toString();
  }

  private static void ratio(StringBuilder t, Map<String, Double> medians, String variant, String what) {
    if (medians.containsKey(variant) && medians.containsKey("bare")) {
      t.append(String.format(Locale.ROOT, "%s: %.2fx%n", what, medians.get(variant) / medians.get("bare")));
    }
  }

  private static double median(double[] sorted) {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
  }
}
