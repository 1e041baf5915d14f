package dev.tenantkit.examples.service;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.examples.documents.LocalDemo;
import dev.tenantkit.testkit.LocalPostgres;
import dev.tenantkit.testkit.LocalS3;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripted tour: both tenants upload and list documents over HTTP with real tokens, every
 * cross-tenant attempt is made and must be refused with the right status, and the rows and
 * objects are then checked where they landed, directly in PostgreSQL and S3, against where each
 * tenant's record says they belong (a silo database or the shared one under row-level security;
 * its own bucket or its prefix of a shared one). The tenants are {@code acme} and {@code globex},
 * however they were set up: seeded by local mode, or onboarded through CloudFormation into the
 * registry.
 */
public final class Scenario {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
  private static final Pattern URL = Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+)\"");

  /** One check: what was tried, what should happen, what did. */
  public record Check(String step, String expected, String actual, boolean held) {}

  /** Every check, in order. */
  public record Result(List<Check> checks) {
    public boolean allHeld() {
      return checks.stream().allMatch(Check::held);
    }

    public long failed() {
      return checks.stream().filter(c -> !c.held()).count();
    }

    public String table() {
      int w = checks.stream().mapToInt(c -> c.step().length()).max().orElse(10);
      StringBuilder out = new StringBuilder(String.format("%n%-" + w + "s | %-22s | %-22s | %s%n", "step", "expected",
          "actual", "held"));
      out.append("-".repeat(w + 60)).append('\n');
      for (Check c : checks) {
        out.append(String.format("%-" + w + "s | %-22s | %-22s | %s%n", c.step(), c.expected(), c.actual(),
            c.held() ? "yes" : "NO"));
      }
      return out.toString();
    }
  }

  /**
   * What the tour needs besides the service: a user's token for each tenant, the tenants' records
   * (where their data must land), how each tenant must be isolated (so a record that says less
   * than it should fails the tour instead of being believed), and the PostgreSQL and S3 servers to
   * look in directly.
   */
  public record Stands(TokenSource tokens, TenantCatalog records, Map<String, IsolationMode> isolation,
      LocalPostgres postgres, LocalS3 s3, MetricReader metrics) {
    /** The stand-ins and tenants local mode seeded (acme in silo, globex pooled), and the service's meters. */
    public static Stands of(DemoService.Running app) {
      LocalDemo local = app.local();
      return new Stands(local::accessToken, local.catalog(), Map.of("acme", IsolationMode.SILO, "globex",
          IsolationMode.POOL), local.postgres(), local.s3(), MetricReader.of(app));
    }
  }

  /** Signs an access token for a user of a tenant, with exactly these scopes, as the tenant's user pool would. */
  @FunctionalInterface
  public interface TokenSource {
    String accessToken(String tenant, String user, String... scopes);
  }

  /** Reads the service's counters: the sum of those of this name with these tags (0 if none yet). */
  @FunctionalInterface
  public interface MetricReader {
    double count(String name, String... tags);

    /** The running service's Micrometer registry. */
    static MetricReader of(DemoService.Running app) {
      MeterRegistry registry = app.context().getBean(MeterRegistry.class);
      return (name, tags) -> registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final Stands stands;
  private final List<Check> checks = new ArrayList<>();

  private Scenario(int port, Stands stands) {
    this.port = port;
    this.stands = stands;
  }

  /** Runs the tour against a service started in local mode. */
  public static Result run(DemoService.Running app) {
    if (app.local() == null) {
      throw new IllegalArgumentException("the scenario needs local mode (it checks the stand-ins directly), "
          + "or the stands given: run(port, stands)");
    }
    return run(app.port(), Stands.of(app));
  }

  /** Runs the tour against the service on this loopback port, looking into {@code stands}. */
  public static Result run(int port, Stands stands) {
    Scenario s = new Scenario(port, stands);
    try {
      s.tour();
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      s.checks.add(new Check("scenario ran to the end", "no error", e.getClass().getSimpleName(), false));
    }
    return new Result(List.copyOf(s.checks));
  }

  private void tour() throws IOException, InterruptedException {
    String acme = stands.tokens().accessToken("acme", "alice", "documents/read", "documents/delete");
    String globex = stands.tokens().accessToken("globex", "gina", "documents/read", "documents/delete");
    String acmeReader = stands.tokens().accessToken("acme", "bob", "documents/read");

    HttpResponse<String> a1 = upload("acme", acme, "q3-report.txt", "acme's quarterly numbers");
    expect("acme uploads q3-report.txt", 201, a1);
    String acmeDoc = id(a1.body());
    HttpResponse<String> a2 = upload("acme", acme, "scratch.txt", "to be deleted");
    String acmeScratch = id(a2.body());
    HttpResponse<String> g1 = upload("globex", globex, "plan.txt", "globex's secret plan");
    expect("globex uploads plan.txt", 201, g1);
    String globexDoc = id(g1.body());

    HttpResponse<String> al = send("acme", acme, "GET", "/documents", null, null);
    check("acme lists its documents", "200, only its own", al.statusCode() + (al.body().contains(acmeDoc)
        && !al.body().contains(globexDoc) ? ", only its own" : ", WRONG SET"),
        al.statusCode() == 200 && al.body().contains(acmeDoc) && !al.body().contains(globexDoc));
    HttpResponse<String> gl = send("globex", globex, "GET", "/documents", null, null);
    check("globex lists its documents", "200, only its own", gl.statusCode() + (gl.body().contains(globexDoc)
        && !gl.body().contains(acmeDoc) ? ", only its own" : ", WRONG SET"),
        gl.statusCode() == 200 && gl.body().contains(globexDoc) && !gl.body().contains(acmeDoc));

    HttpResponse<String> dl = send("acme", acme, "GET", "/documents/" + acmeDoc + "/download", null, null);
    String content = "?";
    Matcher url = URL.matcher(dl.body());
    if (dl.statusCode() == 200 && url.find()) {
      HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(url.group(1))).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      content = got.statusCode() == 200 ? got.body() : "HTTP " + got.statusCode();
    }
    check("acme downloads via presigned URL", "its content", content.equals("acme's quarterly numbers")
        ? "its content" : "other: " + abbreviate(content), content.equals("acme's quarterly numbers"));

    expect("acme asks for globex's document id", 404,
        send("acme", acme, "GET", "/documents/" + globexDoc, null, null));
    expect("acme deletes globex's document id", 404,
        send("acme", acme, "DELETE", "/documents/" + globexDoc, null, null));
    double refusedBefore = stands.metrics().count("tenantkit.token.rejections", "reason", "tenant_mismatch");
    expect("acme's token on globex's subdomain", 403, send("globex", acme, "GET", "/documents", null, null));
    double refused = stands.metrics().count("tenantkit.token.rejections", "reason", "tenant_mismatch") - refusedBefore;
    check("that refusal is counted (tenantkit.token.rejections)", "+1", "+" + (long) refused, refused == 1);
    expect("forged token (acme's, payload edited)", 401,
        send("acme", forge(acme), "GET", "/documents", null, null));
    expect("no token", 401, send("acme", null, "GET", "/documents", null, null));
    expect("unknown tenant subdomain", 404, send("umbrella", acme, "GET", "/documents", null, null));
    expect("key escape in a name (../tenants/globex/x)", 400,
        upload("acme", acme, "../../tenants/globex/x.txt", "escape"));
    expect("encoded key escape (%2e%2e/x)", 400, upload("acme", acme, "%2e%2e/x.txt", "escape"));
    expect("unsupported content type", 415, send("acme", acme, "POST", "/documents?name=x.exe",
        "application/x-msdownload", "MZ"));
    expect("bob (no documents/delete scope) deletes acme's document", 403,
        send("acme", acmeReader, "DELETE", "/documents/" + acmeDoc, null, null));
    HttpResponse<String> health = send("acme", null, "GET", "/actuator/health", null, null);
    boolean up = health.statusCode() == 200 && health.body().contains("\"status\":\"UP\"");
    check("health check, no tenant (/actuator/health)", "200 UP", health.statusCode() + (up ? " UP" : " not UP"), up);
    expect("acme deletes its own scratch document", 204,
        send("acme", acme, "DELETE", "/documents/" + acmeScratch, null, null));

    // Where the data landed, checked directly in PostgreSQL and S3.
    rowsLanded("acme");
    rowsLanded("globex");
    objectLanded("acme", acmeDoc);
    objectLanded("globex", globexDoc);
  }

  /**
   * The tenant's one remaining row is in the database its record names, on the server the tour
   * looks into, in the isolation mode it must have, and that database holds no other tenant's
   * rows: a silo database only its own, the shared one (row-level security) only this tenant's,
   * as this tour has one pooled tenant at most.
   */
  private void rowsLanded(String tenant) {
    DatabaseConfig db = stands.records().require(TenantId.of(tenant)).database().orElseThrow();
    IsolationMode expected = stands.isolation().get(tenant);
    if (db.isolation() != expected || db.port() != stands.postgres().port()) {
      check(tenant + "'s record: isolation and server", expected + " on port " + stands.postgres().port(),
          db.isolation() + " on port " + db.port(), false);
      return;
    }
    String table = db.schema() == null ? "documents" : "\"" + db.schema() + "\".documents";
    // Tenant ids are [a-z0-9-] (TenantId checks), so the literal cannot break out of its quotes.
    String own = stands.postgres().queryAsSuperuser(db.database(),
        "SELECT count(*) FROM " + table + " WHERE tenant_id = '" + tenant + "'");
    String all = stands.postgres().queryAsSuperuser(db.database(), "SELECT count(*) FROM " + table);
    String where = switch (db.isolation()) {
      case SILO -> "its own database";
      case BRIDGE -> "its own schema";
      case POOL -> "the shared db (RLS)";
    };
    check(tenant + "'s rows are in " + where + " (" + db.database() + ")", "1 of 1", own + " of " + all,
        "1".equals(own) && "1".equals(all));
  }

  /**
   * The tenant's one remaining object is in its own bucket (a silo tenant), or under its prefix
   * of the shared bucket with nothing outside it (a pooled one).
   */
  private void objectLanded(String tenant, String doc) {
    StorageConfig storage = stands.records().require(TenantId.of(tenant)).storage().orElseThrow();
    StorageConfig.StorageLayout expected = stands.isolation().get(tenant) == IsolationMode.SILO
        ? StorageConfig.StorageLayout.BUCKET : StorageConfig.StorageLayout.PREFIX;
    if (storage.layout() != expected) {
      check(tenant + "'s record: storage layout", expected.name(), storage.layout().name(), false);
      return;
    }
    String prefix = storage.layout() == StorageConfig.StorageLayout.PREFIX ? String.valueOf(storage.prefix()) : "";
    Set<String> keys = stands.s3().keys(String.valueOf(storage.bucket()));
    boolean inPlace = keys.size() == 1 && keys.iterator().next().startsWith(prefix + "documents/" + doc + "/");
    if (prefix.isEmpty()) {
      check(tenant + "'s object is in its own bucket", "1 object", keys.size() + " object(s)", inPlace);
    } else {
      check(tenant + "'s object is under " + prefix, "1, nothing outside", keys.size()
          + (inPlace ? ", nothing outside" : ", SOMETHING OUTSIDE"), inPlace);
    }
  }

  private HttpResponse<String> upload(String tenant, String token, String name, String text)
      throws IOException, InterruptedException {
    return send(tenant, token, "POST", "/documents?name=" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8),
        "text/plain", text);
  }

  private HttpResponse<String> send(String tenant, String token, String method, String path, String contentType,
      String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Host", tenant + ".localhost:" + port).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void expect(String step, int status, HttpResponse<String> response) {
    check(step, Integer.toString(status), Integer.toString(response.statusCode()), response.statusCode() == status);
  }

  private void check(String step, String expected, String actual, boolean held) {
    checks.add(new Check(step, expected, actual, held));
  }

  private static String id(String json) {
    Matcher m = ID.matcher(json);
    return m.find() ? m.group(1) : "00000000-0000-0000-0000-000000000000";
  }

  /** The token with its payload's tenant changed and the signature kept: must fail verification. */
  private static String forge(String token) {
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("alice", "mallory");
    return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "." + parts[2];
  }

  private static String abbreviate(String s) {
    return s.length() > 20 ? s.substring(0, 20) + "..." : s;
  }
}
