package dev.tenantkit.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * A loopback HTTP endpoint that answers an AWS API in its wire format, for tests of code that
 * calls an AWS service no local server exists for (STS, Secrets Manager, Cognito's admin API,
 * CloudFormation, EC2). The test points the real SDK client at it, so the SDK's own signing,
 * marshalling, retries and error mapping run, and the test sees exactly what would be sent.
 *
 * <p>A subclass says what the service answers ({@link #answer}); this class does the rest:
 * the JDK HTTP server on a free loopback port, reading the operation and parameters the
 * {@link AwsWireProtocol} puts in a request, recording every call, the success and error shapes,
 * and three switches a test flips to see how its code copes: {@link #outage} (every call fails
 * 500), {@link #failWith} (every call is refused with an error code) and {@link #delay}.
 *
 * <pre>{@code
 * final class LoopbackSts extends LoopbackAwsEndpoint {
 *   LoopbackSts() {
 *     super(AwsWireProtocol.query("https://sts.amazonaws.com/doc/2011-06-15/"));
 *   }
 *
 *   @Override
 *   protected Reply answer(Call call) {
 *     if (!call.operation().equals("GetCallerIdentity")) {
 *       return error(400, "InvalidAction", "not modelled: " + call.operation());
 *     }
 *     return ok(call, "<Account>111122223333</Account><Arn>arn:aws:iam::111122223333:root</Arn>"
 *         + "<UserId>AIDAEXAMPLE</UserId>");
 *   }
 * }
 *
 * try (LoopbackSts loopback = new LoopbackSts(); StsClient sts = loopback.client(StsClient.builder())) {
 *   assertThat(sts.getCallerIdentity().account()).isEqualTo("111122223333");
 *   assertThat(loopback.operations()).containsExactly("GetCallerIdentity");
 * }
 * }</pre>
 *
 * <p>Requests are answered one at a time, in arrival order, so {@link #answer} may keep its model
 * in plain fields. Needs the AWS SDK for Java 2.x on the class path for {@link #client} (the
 * service client under test brings it).
 */
public abstract class LoopbackAwsEndpoint implements AutoCloseable {
  /** The Region {@link #client} configures. */
  public static final String REGION = "eu-west-1";
  /** The access key id {@link #client} signs with. */
  public static final String ACCESS_KEY_ID = "AKIDLOCAL";
  /** The secret key {@link #client} signs with: a test can check an error never carries it. */
  public static final String SECRET_ACCESS_KEY = "local-secret";

  /**
   * One request as it arrived.
   *
   * @param operation what the request asks for: the {@code X-Amz-Target} operation (JSON 1.1),
   *     the {@code Action} (query protocols), else the method and path such as {@code GET /}
   * @param method the HTTP method
   * @param path the request path, with its query string if any
   * @param headers the request headers; names are matched in any case
   * @param body the request body as text
   * @param params the form parameters of a query-protocol request, in request order; else empty
   */
  public record Call(String operation, String method, String path, Map<String, List<String>> headers,
      String body, Map<String, String> params) {
    /** Copies the headers (names in any case) and the parameters. */
    public Call {
      Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
      headers = Collections.unmodifiableMap(h);
      params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The first value of header {@code name} (in any case), or null. */
    public @Nullable String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /**
   * An answer.
   *
   * @param status the HTTP status
   * @param contentType the {@code Content-Type}
   * @param body the body
   * @param headers further response headers
   */
  public record Reply(int status, String contentType, String body, Map<String, String> headers) {
    /** Copies the headers. */
    public Reply {
      headers = Map.copyOf(headers);
    }

    /** An answer with no further headers, for shapes the protocol helpers do not make. */
    public static Reply of(int status, String contentType, String body) {
      return new Reply(status, contentType, body, Map.of());
    }
  }

  private final AwsWireProtocol protocol;
  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile boolean down;
  private volatile @Nullable String failWith;
  private volatile long delayMillis;

  /** Starts the endpoint on a free loopback port. */
  protected LoopbackAwsEndpoint(AwsWireProtocol protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on a loopback port", e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * What the service answers to {@code call}: build it with {@link #ok} and {@link #error} (or
   * {@link Reply#of}). An exception is answered as a 500 {@code InternalFailure} naming it, so the
   * test's SDK call fails with the cause in its message. Not called during an {@link #outage} or
   * while {@link #failWith} is set.
   */
  protected abstract Reply answer(Call call) throws Exception;

  /** The error code of an {@link #outage}; {@code InternalFailure} unless the service uses another. */
  protected String outageCode() {
    return "InternalFailure";
  }

  /** A success carrying {@code payload}: the JSON body, or the XML inside the operation's result. */
  protected final Reply ok(Call call, String payload) {
    return protocol.ok(call.operation(), payload);
  }

  /** An error in the protocol's shape, which the SDK maps to its exception for {@code code}. */
  protected final Reply error(int status, String code, String message) {
    return protocol.error(status, code, message);
  }

  /** Where the endpoint listens, such as {@code http://127.0.0.1:49152}. */
  public final URI endpoint() {
    InetAddress address = server.getAddress().getAddress();
    String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    return URI.create("http://" + host + ":" + server.getAddress().getPort());
  }

  /** Every call so far, oldest first: a live, thread-safe view. */
  public final List<Call> calls() {
    return Collections.unmodifiableList(calls);
  }

  /** The operation of every call so far, oldest first. */
  public final List<String> operations() {
    List<String> out = new ArrayList<>();
    for (Call c : calls) {
      out.add(c.operation());
    }
    return out;
  }

  /** While {@code down}, every call is recorded and answered 500 with {@link #outageCode()}. */
  public final void outage(boolean down) {
    this.down = down;
  }

  /** While set, every call is recorded and refused 400 with this error code; null to stop. */
  public final void failWith(@Nullable String errorCode) {
    this.failWith = errorCode;
  }

  /** Holds back every answer by {@code delay} (zero for none), to widen race windows. */
  public final void delay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    this.delayMillis = delay.toMillis();
  }

  /**
   * Builds the SDK client {@code builder} makes, pointed at this endpoint, in {@link #REGION},
   * signing with {@link #ACCESS_KEY_ID}: configure the rest (retries, interceptors) on the builder
   * first.
   */
  public final <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
    return builder.endpointOverride(endpoint()).region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .build();
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> params = protocol.params(body);
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().toString();
      Call call = new Call(protocol.operation(ex.getRequestHeaders().getFirst("X-Amz-Target"), params, method, path),
          method, path, ex.getRequestHeaders(), body, params);
      calls.add(call);
      pause();
      send(ex, reply(call));
    }
  }

  private void pause() {
    long millis = delayMillis;
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Reply reply(Call call) {
    if (down) {
      return protocol.error(500, outageCode(), "service unavailable");
    }
    String code = failWith;
    if (code != null) {
      return protocol.error(400, code, "injected failure");
    }
    try {
      return answer(call);
    } catch (Exception e) {
      return protocol.error(500, "InternalFailure", "the loopback endpoint failed: " + e);
    }
  }

  private static void send(HttpExchange ex, Reply reply) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", reply.contentType());
    reply.headers().forEach(ex.getResponseHeaders()::set);
    // -1: no body at all; 0 would mean a chunked body of unknown length.
    ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }
}
