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
 * java -cp tenant-benchmarks/target/benchmarks.jar dev.tenantkit.benchmarks.load.LoadHarness [outDir] [seconds] [capacity]
 * </pre>
 *
 * <p>With {@code -Dtenantkit.datasource.reset-silo-sessions=true} both TenantKit services reset
 * every silo borrow's session too ({@code SessionReset.EVERY_BORROW}; off by default).
 *
 * <p>Of every 10 requests of a tenant, 8 read one of its documents (one database query), 1 reads
 * a neighbour's document (a probe: must be 404) and 1 uploads a small document (an S3 put and a
 * database insert). Every 2xx answer names the document, whose name starts with its tenant's id
 * (and on the Jetty service whose row it is), and is checked against the requester
 * ({@code wrong-tenant}, which must be 0).
 *
 * <p>The capacity and overhead runs measure TenantKit twice: a servlet on Jetty against a raw
 * baseline, and the documents example on Spring Boot and the starter against a plain Boot
 * baseline; the noisy neighbour and the faults run on the Boot service (the documents example as
 * a team deploys it).
 */
public final class LoadHarness {
  /** The tenants' limits during the runs: acme (premium) never limited, globex (basic) 50 per second. */
  static final RequestLimits BASIC = RequestLimits.of(50, 100, 16);
  static final RequestLimits PREMIUM = RequestLimits.of(20_000, 40_000, 512);

  private final LoadTarget target;
  private final OpenLoop load = new OpenLoop();
  private final String acmeToken;
  private final String globexToken;

  /** The port the noisy neighbour and the faults run against (the Jetty service or the Boot one). */
  private final int service;

  LoadHarness(LoadTarget target) {
    this(target, target.tenantKitPort());
  }

  LoadHarness(LoadTarget target, int service) {
    this.target = target;
    this.service = service;
    this.acmeToken = target.demo.accessToken("acme", "alice");
    this.globexToken = target.demo.accessToken("globex", "gina");
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    Path out = Path.of(args.length > 0 ? args[0] : "docs");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    boolean capacityOnly = args.length > 2 && args[2].equals("capacity");
    boolean overheadOnly = args.length > 2 && args[2].equals("overhead");
    StringBuilder report = new StringBuilder();
    try (LoadTarget target = LoadTarget.start(BASIC, PREMIUM)) {
      // The noisy neighbour and the faults run on the documents example on the starter.
      LoadHarness h = new LoadHarness(target, target.bootServicePort());
      h.warmUp();
      if (overheadOnly) {
        // What the capacity runs would have done first: every path warmed by a closed-loop run.
        h.warmEveryPath(16, Duration.ofSeconds(Math.max(5, seconds / 2)));
        System.out.println(h.overhead(200, Duration.ofSeconds(Math.max(5, seconds / 2))));
        return;
      }
      report.append(h.capacity(16, Duration.ofSeconds(Math.max(5, seconds / 2)))).append('\n');
      if (capacityOnly) {
        System.out.println(report);
        return;
      }
      report.append(h.overhead(200, Duration.ofSeconds(Math.max(5, seconds / 2)))).append('\n');
      report.append(h.noisyNeighbour(50, 500, Duration.ofSeconds(seconds))).append('\n');
      report.append(h.jwksDown(40, Duration.ofSeconds(seconds)).table()).append('\n');
      report.append(h.suspension(40, Duration.ofSeconds(seconds)).table()).append('\n');
      report.append(h.s3Down(40, Duration.ofSeconds(seconds)).table()).append('\n');
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
        acme("warm-base", 100, Duration.ofSeconds(5), target.baselinePort()),
        globex("warm-globex", 30, Duration.ofSeconds(5)));
  }

  /**
   * Capacity: {@code clients} clients sending acme's requests back to back to six paths (on Jetty:
   * the baseline, TenantKit whole, and its two halves, the filter before raw calls and the data
   * layer without the filter; on Spring Boot: a plain Boot baseline, the documents example on the
   * starter, and the plain service with Spring Security checking acme's tokens), each warmed once,
   * then measured in the order 1 2 3 4 5 6 7 7 6 5 4 3 2 1.
   */
  String capacity(int clients, Duration each) throws InterruptedException {
    String[] names = {"baseline", "tenantkit", "filter, raw calls", "data layer, no filter", "boot baseline",
        "boot tenantkit", "boot + spring security"};
    int[] ports = paths();
    int[] versus = {0, 0, 0, 0, 4, 4, 4}; // the baseline each path is compared with
    StringBuilder t = header("Capacity: " + clients + " clients back to back (closed loop), acme, " + each.toSeconds()
        + " s per run after a warm-up run per path, runs in 1 2 3 4 5 6 7 7 6 5 4 3 2 1 order; silo session reset "
        + LoadTarget.SESSION_RESET);
    warmEveryPath(clients, each);
    double[] perSecond = new double[ports.length];
    for (int k = 0; k < 2 * ports.length; k++) {
      int i = k < ports.length ? k : 2 * ports.length - 1 - k;
      OpenLoop.Summary summary = OpenLoop.Summary.of(names[i], load.closedLoop(clients, acme(names[i], 1, each,
          ports[i])), each.toNanos() / 1e9);
      perSecond[i] += summary.okPerSecond() / 2;
      t.append(row(summary));
    }
    t.append("```\n\n");
    for (int i = 0; i < ports.length; i++) {
      if (versus[i] != i) {
        t.append(String.format(Locale.ROOT, "%s / %s: %.2fx (%.0f / %.0f req/s)%n", names[i], names[versus[i]],
            perSecond[i] / perSecond[versus[i]], perSecond[i], perSecond[versus[i]]));
      }
    }
    t.append(String.format(Locale.ROOT, "boot tenantkit / boot + spring security: %.2fx%n", perSecond[5] / perSecond[6]));
    return t.toString();
  }

  /** The seven paths' ports, in the capacity runs' order. */
  private int[] paths() {
    return new int[] {target.baselinePort(), target.tenantKitPort(), target.filterOnlyPort(), target.dataOnlyPort(),
        target.bootBaselinePort(), target.bootServicePort(), target.bootSecuredPort()};
  }

  /** One closed-loop run of {@code clients} on each of the seven paths, unmeasured. */
  void warmEveryPath(int clients, Duration each) throws InterruptedException {
    for (int port : paths()) {
      load.closedLoop(clients, acme("warm-up", 1, each, port));
    }
  }

  /**
   * TenantKit against its baseline, acme only, in A B B A order, on Jetty, then on Spring Boot
   * against the Boot service without checks, then against the Boot service with Spring Security
   * verifying acme's tokens: latency at a rate all serve.
   */
  String overhead(double perSecond, Duration each) throws InterruptedException {
    StringBuilder t = header("Overhead: acme at " + (int) perSecond + " req/s, " + each.toSeconds()
        + " s per run, runs in A B B A order, on Jetty, then on Spring Boot (against the service without checks,"
        + " then against the one with Spring Security)");
    StringBuilder ratios = new StringBuilder();
    String[][] pairs = {{"baseline", "tenantkit"}, {"boot baseline", "boot tenantkit"},
        {"boot + spring security", "boot tenantkit"}};
    int[][] ports = {{target.baselinePort(), target.tenantKitPort()},
        {target.bootBaselinePort(), target.bootServicePort()}, {target.bootSecuredPort(), target.bootServicePort()}};
    for (int p = 0; p < pairs.length; p++) {
      String a = pairs[p][0];
      String b = pairs[p][1];
      List<OpenLoop.Summary> tk = new ArrayList<>();
      List<OpenLoop.Summary> base = new ArrayList<>();
      for (String run : List.of(a, b, b, a)) {
        int port = run.equals(a) ? ports[p][0] : ports[p][1];
        List<OpenLoop.Sample> s = load.run(System.nanoTime(), acme(run, perSecond, each, port));
        OpenLoop.Summary summary = OpenLoop.Summary.of(run, s, each.toNanos() / 1e9);
        (run.equals(a) ? base : tk).add(summary);
        t.append(row(summary));
      }
      double tkP50 = tk.stream().mapToDouble(OpenLoop.Summary::p50Millis).average().orElse(0);
      double baseP50 = base.stream().mapToDouble(OpenLoop.Summary::p50Millis).average().orElse(0);
      double tkP99 = tk.stream().mapToDouble(OpenLoop.Summary::p99Millis).average().orElse(0);
      double baseP99 = base.stream().mapToDouble(OpenLoop.Summary::p99Millis).average().orElse(0);
      ratios.append(String.format(Locale.ROOT, "%s / %s at %d req/s: p50 %.2fx, p99 %.2fx%n", b, a, (int) perSecond,
          tkP50 / baseP50, tkP99 / baseP99));
    }
    return t.append("```\n\n").append(ratios).toString();
  }

  /**
   * B (acme) alone and beside A (globex) at ten times its rate and over its limits, in A B B A
   * order; then once more beside A with A's limits lifted (its record's own limits, as an operator
   * would raise them), to show what the limiter holds back.
   */
  String noisyNeighbour(double bPerSecond, double aPerSecond, Duration each) throws InterruptedException {
    StringBuilder t = header("Noisy neighbour: acme (B) at " + (int) bPerSecond + " req/s; globex (A) at "
        + (int) aPerSecond + " req/s, over its limit of " + BASIC.requestsPerSecond() + "/s (bursts of "
        + BASIC.burst() + ", " + BASIC.maxConcurrentRequests() + " in flight); runs in A B B A order");
    double seconds = each.toNanos() / 1e9;
    // Not measured: 5 s of the flood beside B first, so that the refusal path (429 problem+json)
    // is compiled before the runs, as the capacity runs warm each path; on a JVM that never
    // refused a request, the first seconds of a flood are slower for both tenants.
    load.run(System.nanoTime(), acme("warm-up", bPerSecond, Duration.ofSeconds(5), service),
        globex("warm-up flood", aPerSecond, Duration.ofSeconds(5)));
    List<OpenLoop.Summary> alone = new ArrayList<>();
    List<OpenLoop.Summary> beside = new ArrayList<>();
    for (boolean flood : List.of(false, true, true, false)) {
      if (flood) {
        List<OpenLoop.Sample> both = load.run(System.nanoTime(), acme("B beside A", bPerSecond, each,
            service), globex("A flooding", aPerSecond, each));
        OpenLoop.Summary b = OpenLoop.Summary.of("B beside A", both, seconds);
        beside.add(b);
        t.append(row(b)).append(row(OpenLoop.Summary.of("A flooding", both, seconds)));
      } else {
        OpenLoop.Summary b = OpenLoop.Summary.of("B alone", load.run(System.nanoTime(), acme("B alone", bPerSecond,
            each, service)), seconds);
        alone.add(b);
        t.append(row(b));
      }
    }
    Tenant globex = target.demo.catalog().require(TenantId.of("globex"));
    target.demo.catalog().put(globex.toBuilder().limits(LoadHarness.PREMIUM).build());
    OpenLoop.Summary unlimited;
    try {
      List<OpenLoop.Sample> both = load.run(System.nanoTime(), acme("B beside A, A unlimited", bPerSecond, each,
          service), globex("A unlimited", aPerSecond, each));
      unlimited = OpenLoop.Summary.of("B beside A, A unlimited", both, seconds);
      t.append(row(unlimited)).append(row(OpenLoop.Summary.of("A unlimited", both, seconds)));
    } finally {
      target.demo.catalog().put(globex);
    }
    t.append("```\n");
    double aloneP99 = alone.stream().mapToDouble(OpenLoop.Summary::p99Millis).average().orElse(0);
    double besideP99 = beside.stream().mapToDouble(OpenLoop.Summary::p99Millis).average().orElse(0);
    t.append(String.format(Locale.ROOT, "%nB's p99 beside A (limited) / alone: %.2fx (%.2f ms / %.2f ms); "
        + "beside A unlimited / alone: %.2fx%n", besideP99 / aloneP99, besideP99, aloneP99,
        unlimited.p99Millis() / aloneP99));
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
            .filter(s -> s.stream().equals("acme") && !s.asExpected()).count());
    return new Fault(f.name(), f.samples(), f.seconds(), f.markers(), notes);
  }

  /** globex's requests sent after the suspension was in place and before it was lifted, yet served. */
  static long servedWhileSuspended(Fault f) {
    return f.samples().stream().filter(s -> s.stream().equals("globex") && s.status() >= 200 && s.status() < 300
        && s.intendedNanos() > f.markers()[1] && s.intendedNanos() + s.latencyNanos() < f.markers()[2]).count();
  }

  /**
   * S3 unreachable for the middle third: uploads (which put to S3) fail with 503, reads (the
   * database only) go on; uploads succeed again once it is back.
   */
  Fault s3Down(double perSecond, Duration d) throws InterruptedException {
    Fault f = during("Fault: S3 unreachable for the middle third", perSecond, d, () -> target.s3Down.set(true),
        () -> target.s3Down.set(false));
    long during = f.samples().stream().filter(s -> s.intendedNanos() > f.markers()[1]
        && s.intendedNanos() + s.latencyNanos() < f.markers()[2]).count();
    long failedDuring = f.samples().stream().filter(s -> s.intendedNanos() > f.markers()[1]
        && s.intendedNanos() + s.latencyNanos() < f.markers()[2] && s.status() == 503).count();
    long failedAfter = f.samples().stream().filter(s -> s.intendedNanos() > f.markers()[2] + 100_000_000L
        && !s.asExpected()).count();
    return new Fault(f.name(), f.samples(), f.seconds(), f.markers(), String.format(Locale.ROOT,
        "while S3 was down: %d requests, %d of them (the uploads) answered 503; after it was back: %d not served%n",
        during, failedDuring, failedAfter));
  }

  /** PostgreSQL restarted a third of the way in: clear failures during, recovery after. */
  Fault databaseRestart(double perSecond, Duration d) throws InterruptedException {
    Fault f = during("Fault: PostgreSQL restarted a third of the way in", perSecond, d,
        () -> target.demo.postgres().restart(), () -> { });
    long restarted = f.markers()[1];
    long lastFailure = f.samples().stream().filter(s -> !s.asExpected())
        .mapToLong(OpenLoop.Sample::intendedNanos).max().orElse(restarted);
    long statuses = f.samples().stream().filter(s -> !s.asExpected() && s.status() != 503 && s.status() != 429)
        .count();
    String notes = String.format(Locale.ROOT, "restart took %.1f s; the last failed request was sent %.1f s after "
        + "it ended; unexpected answers other than 503 (database unavailable) and 429 (requests piled up past the "
        + "tenant's in-flight bound while the database was down): %d%n", (f.markers()[1] - f.markers()[0]) / 1e9,
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
    List<OpenLoop.Sample> samples = load.run(t0, acme("acme", perSecond, d, service),
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
    return stream(name, "acme", acmeToken, "globex", perSecond, d, port);
  }

  OpenLoop.Stream globex(String name, double perSecond, Duration d) {
    return globex(name, perSecond, d, service);
  }

  /** globex's requests; probes ask for initech's documents (pooled beside it: row-level security). */
  OpenLoop.Stream globex(String name, double perSecond, Duration d, int port) {
    return stream(name, "globex", globexToken, "initech", perSecond, d, port);
  }

  /** globex's requests whose probes ask for acme's documents (acme is silo: another database). */
  OpenLoop.Stream globexProbingAcme(String name, double perSecond, Duration d, int port) {
    return stream(name, "globex", globexToken, "acme", perSecond, d, port);
  }

  /**
   * The tenant's requests: of every 10, one upload, one probe (a read of {@code neighbour}'s
   * document, which must be answered 404) and eight reads of its own documents. A 2xx answer
   * whose row is not the tenant's counts as wrong-tenant.
   */
  private OpenLoop.Stream stream(String name, String tenant, String token, String neighbour, double perSecond,
      Duration d, int port) {
    List<UUID> ids = target.seeded.get(tenant);
    List<UUID> theirs = target.seeded.get(neighbour);
    IntFunction<OpenLoop.Req> request = i -> {
      HttpRequest.Builder b = HttpRequest.newBuilder().header("Host", tenant + ".localhost")
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
      if (i % 10 == 9) {
        return new OpenLoop.Req(b.uri(URI.create("http://127.0.0.1:" + port + "/documents?name=" + tenant + "-load-"
            + i + ".txt")).header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(tenant + " "
            + i)).build(), false);
      }
      boolean probe = i % 10 == 4;
      List<UUID> from = probe ? theirs : ids;
      return new OpenLoop.Req(b.uri(URI.create("http://127.0.0.1:" + port + "/documents/" + from.get(i % from.size())))
          .GET().build(), probe);
    };
    // Every answer names the document (seeded and uploaded names start with the tenant's id); the
    // Jetty paths' answers also name the tenant the row belongs to, the Boot paths' (the example's
    // Document) do not.
    String mine = "\"name\":\"" + tenant + "-";
    String owner = "\"tenant\":\"";
    return new OpenLoop.Stream(name, perSecond, d, request, body -> !body.contains(mine)
        || (body.contains(owner) && !body.contains(owner + tenant + "\"")));
  }

  private static StringBuilder header(String title) {
    return new StringBuilder("## " + title + "\n\n```\n");
  }

  private static String row(OpenLoop.Summary s) {
    return s + "\n";
  }
}
