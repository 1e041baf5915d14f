package dev.tenantkit.benchmarks.load;

import dev.tenantkit.core.RequestLimits;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantStatus;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * The load harness (issue 17): the documents endpoints under open-loop HTTP load on loopback,
 * through TenantKit and against the baseline, then with a noisy neighbour, then through faults.
 * Prints a table per scenario and writes them, with a latency plot of the database restart, to
 * the directory given (docs/ by default).
 *
 * <pre>
 * mvn -B -q -pl tenant-benchmarks -am -DskipTests package
 * java -cp tenant-benchmarks/target/benchmarks.jar dev.tenantkit.benchmarks.load.LoadHarness [outDir] [seconds]
 * </pre>
 *
 * <p>Each request is 90% a read of one of the tenant's documents (one database query) and 10% a
 * small upload (an S3 put and a database insert). Every answer is checked for the other tenant's
 * data ({@code wrong-tenant}, which must be 0).
 */
public final class LoadHarness {
  /** The tenants' limits during the runs: acme (premium) never limited, globex (basic) 50 per second. */
  static final RequestLimits BASIC = RequestLimits.of(50, 100, 16);
  static final RequestLimits PREMIUM = RequestLimits.of(20_000, 40_000, 512);

  private final LoadTarget target;
  private final OpenLoop load = new OpenLoop();
  private final String acmeToken;
  private final String globexToken;

  LoadHarness(LoadTarget target) {
    this.target = target;
    this.acmeToken = target.demo.accessToken("acme", "alice");
    this.globexToken = target.demo.accessToken("globex", "gina");
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    Path out = Path.of(args.length > 0 ? args[0] : "docs");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    StringBuilder report = new StringBuilder();
    try (LoadTarget target = LoadTarget.start(BASIC, PREMIUM)) {
      LoadHarness h = new LoadHarness(target);
      h.warmUp();
      report.append(h.overhead(200, Duration.ofSeconds(seconds))).append('\n');
      report.append(h.noisyNeighbour(20, 200, Duration.ofSeconds(seconds))).append('\n');
      report.append(h.jwksDown(40, Duration.ofSeconds(seconds)).table()).append('\n');
      report.append(h.suspension(40, Duration.ofSeconds(seconds)).table()).append('\n');
      Fault restart = h.databaseRestart(40, Duration.ofSeconds(seconds));
      report.append(restart.table()).append('\n');
      Files.createDirectories(out);
      LatencyPlot.write(restart.samples(), new long[] {restart.markers()[0], restart.markers()[1]},
          out.resolve("load-postgres-restart.png"),
          "Latency across a PostgreSQL restart (both tenants, 40 req/s each)");
    }
    System.out.println(report);
    Files.writeString(out.resolve("load-report.txt"), report.toString());
  }

  /** A few seconds of both paths, so the JIT and the pools are warm before anything is measured. */
  void warmUp() throws InterruptedException {
    load.run(System.nanoTime(), acme("warm-tk", 100, Duration.ofSeconds(5), target.tenantKitPort()),
        acme("warm-base", 100, Duration.ofSeconds(5), target.baselinePort()));
  }

  /** TenantKit against the baseline, acme only, in A B B A order: throughput and latency. */
  String overhead(double perSecond, Duration each) throws InterruptedException {
    StringBuilder t = header("Overhead: acme at " + (int) perSecond + " req/s, " + each.toSeconds()
        + " s per run, runs in A B B A order");
    List<OpenLoop.Summary> tk = new ArrayList<>();
    List<OpenLoop.Summary> base = new ArrayList<>();
    for (String run : List.of("baseline", "tenantkit", "tenantkit", "baseline")) {
      int port = run.equals("baseline") ? target.baselinePort() : target.tenantKitPort();
      List<OpenLoop.Sample> s = load.run(System.nanoTime(), acme(run, perSecond, each, port));
      OpenLoop.Summary summary = OpenLoop.Summary.of(run, s, each.toNanos() / 1e9);
      (run.equals("baseline") ? base : tk).add(summary);
      t.append(row(summary));
    }
    t.append("```\n");
    double tkRps = tk.stream().mapToDouble(x -> x.ok() / x.seconds()).average().orElse(0);
    double baseRps = base.stream().mapToDouble(x -> x.ok() / x.seconds()).average().orElse(0);
    double tkP99 = tk.stream().mapToDouble(OpenLoop.Summary::p99Millis).average().orElse(0);
    double baseP99 = base.stream().mapToDouble(OpenLoop.Summary::p99Millis).average().orElse(0);
    t.append(String.format(Locale.ROOT, "%nTenantKit / baseline: throughput %.2fx, p99 %.2fx%n", tkRps / baseRps,
        tkP99 / baseP99));
    return t.toString();
  }

  /** B (acme) alone, then B beside A (globex) at ten times its rate and over its limits. */
  String noisyNeighbour(double bPerSecond, double aPerSecond, Duration each) throws InterruptedException {
    StringBuilder t = header("Noisy neighbour: acme (B) at " + (int) bPerSecond + " req/s; globex (A) at "
        + (int) aPerSecond + " req/s, over its limit of " + BASIC.requestsPerSecond() + "/s");
    List<OpenLoop.Sample> alone = load.run(System.nanoTime(), acme("B alone", bPerSecond, each,
        target.tenantKitPort()));
    OpenLoop.Summary bAlone = OpenLoop.Summary.of("B alone", alone, each.toNanos() / 1e9);
    t.append(row(bAlone));
    List<OpenLoop.Sample> both = load.run(System.nanoTime(), acme("B with A", bPerSecond, each,
        target.tenantKitPort()), globex("A flooding", aPerSecond, each));
    OpenLoop.Summary bWith = OpenLoop.Summary.of("B with A", both, each.toNanos() / 1e9);
    t.append(row(bWith)).append(row(OpenLoop.Summary.of("A flooding", both, each.toNanos() / 1e9))).append("```\n");
    t.append(String.format(Locale.ROOT, "%nB's p99 beside A / alone: %.2fx%n", bWith.p99Millis() / bAlone.p99Millis()));
    return t.toString();
  }

  /**
   * A fault during load: both tenants' samples and, in nanoseconds from the start of the run, when
   * the fault began, when it was in place (a restart: when it finished) and when it was undone.
   */
  record Fault(String name, List<OpenLoop.Sample> samples, double seconds, long[] markers, String notes) {
    String table() {
      StringBuilder t = header(name);
      for (String s : List.of("acme", "globex")) {
        t.append(row(OpenLoop.Summary.of(s, samples, seconds)));
      }
      return t.append("```\n").append(notes).toString();
    }
  }

  /** The issuer's key endpoints down for the middle third: verification goes on with cached keys. */
  Fault jwksDown(double perSecond, Duration d) throws InterruptedException {
    return during("Fault: the issuers' key endpoints down for the middle third", perSecond, d,
        () -> setIssuers(false), () -> setIssuers(true));
  }

  private void setIssuers(boolean available) {
    target.demo.pool("acme").setAvailable(available);
    target.demo.pool("globex").setAvailable(available);
  }

  /** globex suspended in the catalog for the middle third: refused with 403, acme unaffected. */
  Fault suspension(double perSecond, Duration d) throws InterruptedException {
    Tenant globex = target.demo.catalog().require(TenantId.of("globex"));
    Fault f = during("Fault: globex suspended in the catalog for the middle third", perSecond, d,
        () -> target.demo.catalog().put(globex.toBuilder().status(TenantStatus.SUSPENDED).statusReason("unpaid")
            .build()),
        () -> target.demo.catalog().put(globex));
    long suspendedAt = f.markers()[1];
    long firstRefusal = f.samples().stream().filter(s -> s.stream().equals("globex") && s.status() == 403)
        .mapToLong(s -> s.intendedNanos() + s.latencyNanos()).min().orElse(-1);
    String notes = String.format(Locale.ROOT, "globex's first 403 came %.0f ms after the suspension; globex "
        + "requests sent while suspended and served anyway: %d; acme's refused: %d%n",
        (firstRefusal - suspendedAt) / 1e6, servedWhileSuspended(f), f.samples().stream()
            .filter(s -> s.stream().equals("acme") && s.status() >= 400).count());
    return new Fault(f.name(), f.samples(), f.seconds(), f.markers(), notes);
  }

  /** globex's requests sent after the suspension was in place and before it was lifted, yet served. */
  static long servedWhileSuspended(Fault f) {
    return f.samples().stream().filter(s -> s.stream().equals("globex") && s.status() >= 200 && s.status() < 300
        && s.intendedNanos() > f.markers()[1] && s.intendedNanos() + s.latencyNanos() < f.markers()[2]).count();
  }

  /** PostgreSQL restarted a third of the way in: clear failures during, recovery after. */
  Fault databaseRestart(double perSecond, Duration d) throws InterruptedException {
    Fault f = during("Fault: PostgreSQL restarted a third of the way in", perSecond, d,
        () -> target.demo.postgres().restart(), () -> { });
    long restarted = f.markers()[1];
    long lastFailure = f.samples().stream().filter(s -> s.status() != 200 && s.status() != 201)
        .mapToLong(OpenLoop.Sample::intendedNanos).max().orElse(restarted);
    long statuses = f.samples().stream().filter(s -> s.status() != 200 && s.status() != 201 && s.status() != 503)
        .count();
    String notes = String.format(Locale.ROOT, "restart took %.1f s; the last failed request was sent %.1f s after "
        + "it ended; failures other than 503: %d%n", (f.markers()[1] - f.markers()[0]) / 1e9,
        (lastFailure - restarted) / 1e9, statuses);
    return new Fault(f.name(), f.samples(), f.seconds(), f.markers(), notes);
  }

  private Fault during(String name, double perSecond, Duration d, Runnable start, Runnable end)
      throws InterruptedException {
    long t0 = System.nanoTime();
    long[] markers = new long[3];
    Thread fault = new Thread(() -> {
      sleepUntil(t0 + d.toNanos() / 3);
      markers[0] = System.nanoTime() - t0;
      start.run();
      markers[1] = System.nanoTime() - t0;
      sleepUntil(t0 + 2 * d.toNanos() / 3);
      markers[2] = System.nanoTime() - t0;
      end.run();
    }, "fault");
    fault.start();
    List<OpenLoop.Sample> samples = load.run(t0, acme("acme", perSecond, d, target.tenantKitPort()),
        globex("globex", perSecond, d));
    fault.join();
    return new Fault(name, samples, d.toNanos() / 1e9, markers, "");
  }

  private static void sleepUntil(long nanos) {
    long wait = nanos - System.nanoTime();
    if (wait > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(wait);
    }
  }

  OpenLoop.Stream acme(String name, double perSecond, Duration d, int port) {
    return stream(name, "acme", acmeToken, "globex-", perSecond, d, port);
  }

  OpenLoop.Stream globex(String name, double perSecond, Duration d) {
    return stream(name, "globex", globexToken, "acme-", perSecond, d, target.tenantKitPort());
  }

  private OpenLoop.Stream stream(String name, String tenant, String token, String otherMarker, double perSecond,
      Duration d, int port) {
    List<UUID> ids = target.seeded.get(tenant);
    IntFunction<HttpRequest> request = i -> {
      HttpRequest.Builder b = HttpRequest.newBuilder().header("Host", tenant + ".localhost")
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
      if (i % 10 == 9) {
        return b.uri(URI.create("http://127.0.0.1:" + port + "/documents?name=" + tenant + "-load-" + i + ".txt"))
            .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(tenant + " " + i)).build();
      }
      return b.uri(URI.create("http://127.0.0.1:" + port + "/documents/" + ids.get(i % ids.size()))).GET().build();
    };
    return new OpenLoop.Stream(name, perSecond, d, request, body -> body.contains(otherMarker));
  }

  private static StringBuilder header(String title) {
    return new StringBuilder("## " + title + "\n\n```\n");
  }

  private static String row(OpenLoop.Summary s) {
    return s + "\n";
  }
}
