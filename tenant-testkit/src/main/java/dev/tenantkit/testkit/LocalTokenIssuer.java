package dev.tenantkit.testkit;

import com.nimbusds.jose.util.Base64URL;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tenantkit.core.spi.UserPoolIds;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Local token issuers over real HTTP (the JDK's {@code HttpServer} on loopback), for tests and
 * local runs. One server holds any number of stand-ins, each in its own class:
 *
 * <ul>
 *   <li>{@link #pool} a Cognito-shaped {@link LocalUserPool} (also an emulator's {@code local_}
 *       pool);</li>
 *   <li>{@link #oidcIssuer} an Okta-shaped {@link LocalOidcIssuer};</li>
 *   <li>{@link #albSigner} an Application Load Balancer's {@link LocalAlbSigner}.</li>
 * </ul>
 *
 * The server counts every request by path ({@link #requestCount}) and can hold one request until
 * the test releases it ({@link #holdNextRequest}), so races with key fetches are tested in a
 * fixed order rather than with sleeps.
 *
 * <pre>{@code
 * try (LocalTokenIssuer issuer = LocalTokenIssuer.start()) {
 *   LocalUserPool pool = issuer.pool("eu-west-1_Acme");
 *   Tenant acme = TestTenants.tenant("acme").identity(pool.identity().build()).build();
 *   String token = pool.accessToken().tenant("acme").groups("admin").sign();
 * }
 * }</pre>
 */
public final class LocalTokenIssuer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, LocalIssuer> issuers = new ConcurrentHashMap<>();
  private final Map<String, LocalAlbSigner> albSigners = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final AtomicReference<@Nullable RequestHold> hold = new AtomicReference<>();

  private LocalTokenIssuer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts an issuer on a free loopback port. */
  public static LocalTokenIssuer start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "local-token-issuer");
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(executor);
      LocalTokenIssuer issuer = new LocalTokenIssuer(server, executor);
      server.createContext("/", issuer::handle);
      server.start();
      return issuer;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the local token issuer", e);
    }
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * The Cognito-shaped user pool with this id, created on first use: a Region's
   * ({@code eu-west-1_Abc123}) or an emulator's ({@code local_Abc123}).
   */
  public LocalUserPool pool(String userPoolId) {
    if (!UserPoolIds.isRegional(userPoolId) && !UserPoolIds.isEmulator(userPoolId)) {
      throw new IllegalArgumentException("user pool ids look like eu-west-1_Abc123 or local_Abc123: " + userPoolId);
    }
    return (LocalUserPool) issuers.computeIfAbsent(userPoolId, id -> new LocalUserPool(this, id));
  }

  /** An Okta-shaped OIDC issuer at {@code /{name}}, created on first use. */
  public LocalOidcIssuer oidcIssuer(String name) {
    if (!name.matches("[a-z0-9-]{1,40}")) {
      throw new IllegalArgumentException("issuer names are 1-40 of a-z 0-9 -: " + name);
    }
    return (LocalOidcIssuer) issuers.computeIfAbsent(name, id -> new LocalOidcIssuer(this, id));
  }

  /** An ALB-shaped signer for {@code albArn} in {@code region}, keys served at {@link LocalAlbSigner#keyEndpoint()}. */
  public LocalAlbSigner albSigner(String region, String albArn) {
    return albSigners.computeIfAbsent(region + "|" + albArn, k -> new LocalAlbSigner(this, region, albArn));
  }

  /** How many requests reached {@code path} (exact, e.g. {@code /eu-west-1_X/.well-known/jwks.json}). */
  public int requestCount(String path) {
    AtomicInteger n = requests.get(path);
    return n == null ? 0 : n.get();
  }

  /** Every path requested so far, with counts. */
  public Map<String, Integer> requestCounts() {
    Map<String, Integer> out = new LinkedHashMap<>();
    requests.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * Holds the next request whose path matches {@code paths} before it is answered, until
   * {@link RequestHold#release()}: the answer then reflects the state at release (an issuer
   * made unavailable meanwhile answers 503). One request is held; later ones pass.
   */
  public RequestHold holdNextRequest(Predicate<String> paths) {
    RequestHold h = new RequestHold(paths);
    if (!hold.compareAndSet(null, h)) {
      throw new IllegalStateException("a hold is already armed");
    }
    return h;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    try (exchange) {
      RequestHold h = hold.get();
      if (h != null && h.paths.test(path) && hold.compareAndSet(h, null)) {
        h.hold(path);
      }
      Response response = null;
      for (LocalIssuer issuer : issuers.values()) {
        response = issuer.respond(path);
        if (response != null) {
          break;
        }
      }
      for (LocalAlbSigner alb : albSigners.values()) {
        if (response == null) {
          response = alb.respond(path);
        }
      }
      if (response == null) {
        response = Response.status(404);
      }
      if (response.body == null) {
        exchange.sendResponseHeaders(response.status, -1);
        return;
      }
      byte[] body = response.body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", response.contentType);
      exchange.sendResponseHeaders(response.status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    RequestHold h = hold.getAndSet(null);
    if (h != null) {
      h.release();
    }
    server.stop(0);
    executor.shutdownNow();
  }

  /** Base64url of {@code bytes}, for tests that assemble tokens by hand. */
  public static String base64Url(byte[] bytes) {
    return Base64URL.encode(bytes).toString();
  }

  /** One HTTP answer of a stand-in. */
  static final class Response {
    final int status;
    final @Nullable String body;
    final String contentType;

    private Response(int status, @Nullable String body, String contentType) {
      this.status = status;
      this.body = body;
      this.contentType = contentType;
    }

    static Response json(String body) {
      return new Response(200, body, "application/json");
    }

    static Response text(String body) {
      return new Response(200, body, "text/plain");
    }

    static Response status(int status) {
      return new Response(status, null, "text/plain");
    }
  }

  /** One request held on the server until the test releases it. */
  public static final class RequestHold {
    private static final Duration LONGEST = Duration.ofSeconds(30);
    private final Predicate<String> paths;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile @Nullable String heldPath;

    private RequestHold(Predicate<String> paths) {
      this.paths = paths;
    }

    private void hold(String path) {
      heldPath = path;
      held.countDown();
      try {
        // Bounded, so a test that forgets to release cannot hang the server forever.
        released.await(LONGEST.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Waits until a matching request is being held and returns its path. */
    public String awaitHeld() {
      try {
        if (!held.await(LONGEST.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("no matching request arrived within " + LONGEST);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      return java.util.Objects.requireNonNull(heldPath);
    }

    /** Lets the held request be answered. */
    public void release() {
      released.countDown();
    }
  }
}
