package dev.tenantkit.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tenantkit.core.IdentityConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A local, Cognito-shaped token issuer over real HTTP (the JDK's {@code HttpServer} on
 * loopback), for tests and local runs. Each {@link Pool} is a user pool: issuer
 * {@code http://127.0.0.1:PORT/{userPoolId}}, keys at {@code {issuer}/.well-known/jwks.json},
 * OIDC discovery at {@code {issuer}/.well-known/openid-configuration}. It mints access and ID
 * tokens shaped like Cognito's (claims, {@code kid}, RS256), rotates keys, can be taken down, and
 * counts key fetches. It also serves ALB-shaped signing keys ({@link AlbSigner}).
 *
 * <pre>{@code
 * try (LocalTokenIssuer issuer = LocalTokenIssuer.start()) {
 *   LocalTokenIssuer.Pool pool = issuer.pool("eu-west-1_Acme");
 *   Tenant acme = TestTenants.tenant("acme").identity(pool.identity().build()).build();
 *   String token = pool.accessToken().tenant("acme").groups("admin").sign();
 * }
 * }</pre>
 */
public final class LocalTokenIssuer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Pool> pools = new ConcurrentHashMap<>();
  private final Map<String, AlbSigner> albSigners = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

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

  /** The Cognito-shaped user pool with this id (region prefix, '_', letters and digits), created on first use. */
  public Pool pool(String userPoolId) {
    if (!userPoolId.matches("[a-z]{2}(-[a-z]+)+-\\d_[0-9A-Za-z]+")) {
      throw new IllegalArgumentException("user pool ids look like eu-west-1_Abc123: " + userPoolId);
    }
    return pools.computeIfAbsent(userPoolId, id -> new Pool(id, true));
  }

  /** A non-Cognito OIDC issuer (Okta-shaped: {@code cid}, {@code scp}) at {@code /{name}}. */
  public Pool oidcIssuer(String name) {
    if (!name.matches("[a-z0-9-]{1,40}")) {
      throw new IllegalArgumentException("issuer names are 1-40 of a-z 0-9 -: " + name);
    }
    return pools.computeIfAbsent(name, id -> new Pool(id, false));
  }

  /** An ALB-shaped signer for {@code albArn} in {@code region}, keys served at {@link AlbSigner#keyEndpoint()}. */
  public AlbSigner albSigner(String region, String albArn) {
    return albSigners.computeIfAbsent(region + "|" + albArn, k -> new AlbSigner(region, albArn));
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

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    try (exchange) {
      for (Pool pool : pools.values()) {
        if (path.equals("/" + pool.id + "/.well-known/jwks.json")) {
          respond(exchange, pool, pool.jwksJson(), "application/json");
          return;
        }
        if (path.equals("/" + pool.id + "/.well-known/openid-configuration")) {
          respond(exchange, pool, "{\"issuer\":\"" + pool.issuer() + "\",\"jwks_uri\":\"" + pool.issuer()
              + "/.well-known/jwks.json\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}",
              "application/json");
          return;
        }
      }
      for (AlbSigner alb : albSigners.values()) {
        String prefix = "/alb-keys/" + alb.region + "/";
        if (path.startsWith(prefix)) {
          String kid = path.substring(prefix.length());
          String pem = alb.pem(kid);
          if (pem != null) {
            byte[] body = pem.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            return;
          }
        }
      }
      exchange.sendResponseHeaders(404, -1);
    }
  }

  private static void respond(HttpExchange exchange, Pool pool, String json, String type) throws IOException {
    if (!pool.available) {
      exchange.sendResponseHeaders(503, -1);
      return;
    }
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** One user pool (or OIDC issuer): its keys, availability, and token builders. */
  public final class Pool {
    private final String id;
    private final boolean cognito;
    private final List<RSAKey> keys = new CopyOnWriteArrayList<>();
    private volatile RSAKey signing;
    private volatile boolean available = true;

    Pool(String id, boolean cognito) {
      this.id = id;
      this.cognito = cognito;
      this.signing = newKey();
      keys.add(signing);
    }

    private RSAKey newKey() {
      try {
        return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).algorithm(JWSAlgorithm.RS256).generate();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The issuer, exactly as tokens carry it in {@code iss}. */
    public String issuer() {
      return baseUrl() + "/" + id;
    }

    /** The user pool id (or issuer name). */
    public String id() {
      return id;
    }

    /** The app client id tokens carry by default. */
    public String clientId() {
      return "client" + id.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** A tenant identity section for this pool: issuer, pool id and Region, the default app client. */
    public IdentityConfig.Builder identity() {
      IdentityConfig.Builder b = IdentityConfig.builder().issuer(issuer()).appClientIds(clientId());
      if (cognito) {
        b.userPoolId(id).region(id.substring(0, id.indexOf('_')));
      }
      return b;
    }

    /** Adds a new key and signs with it from now on; the old keys stay published. */
    public void rotateKey() {
      RSAKey next = newKey();
      keys.add(next);
      signing = next;
    }

    /** Stops publishing every key but the current signing key. */
    public void retireOldKeys() {
      keys.removeIf(k -> k != signing);
    }

    /** Makes the key and discovery endpoints answer 503 (false) or serve again (true). */
    public void setAvailable(boolean available) {
      this.available = available;
    }

    /** How many times the JWKS was requested. */
    public int jwksFetches() {
      return requestCount("/" + id + "/.well-known/jwks.json");
    }

    /** The published keys, public parts only. */
    public String jwksJson() {
      List<JWK> pub = new ArrayList<>();
      for (RSAKey k : keys) {
        pub.add(k.toPublicJWK());
      }
      return new JWKSet(pub).toString();
    }

    /** The current signing key, private part included: for tests that forge tokens. */
    public RSAKey signingKey() {
      return signing;
    }

    /** An access token builder with Cognito's claims, valid for an hour. */
    public TokenBuilder accessToken() {
      TokenBuilder b = new TokenBuilder(this);
      b.claims.put("token_use", "access");
      if (cognito) {
        b.claims.put("client_id", clientId());
        b.claims.put("scope", "aws.cognito.signin.user.admin");
      } else {
        b.claims.put("cid", clientId());
        b.claims.put("aud", "api://default");
        b.claims.remove("token_use");
      }
      b.claims.put("username", b.claims.get("sub"));
      return b;
    }

    /** An ID token builder with Cognito's claims, valid for an hour. */
    public TokenBuilder idToken() {
      TokenBuilder b = new TokenBuilder(this);
      b.claims.put("token_use", "id");
      b.claims.put("aud", clientId());
      b.claims.put("cognito:username", b.claims.get("sub"));
      b.claims.put("email", b.claims.get("sub") + "@example.com");
      if (!cognito) {
        b.claims.remove("token_use");
      }
      return b;
    }
  }

  /** Builds and signs one token. */
  public static final class TokenBuilder {
    private final Pool pool;
    final Map<String, Object> claims = new LinkedHashMap<>();
    private @Nullable String kid;

    TokenBuilder(Pool pool) {
      this.pool = pool;
      Instant now = Instant.now();
      claims.put("sub", UUID.randomUUID().toString());
      claims.put("iss", pool.issuer());
      claims.put("iat", now.getEpochSecond());
      claims.put("auth_time", now.getEpochSecond());
      claims.put("exp", now.plus(Duration.ofHours(1)).getEpochSecond());
      claims.put("jti", UUID.randomUUID().toString());
    }

    /** Sets {@code custom:tenant_id}. */
    public TokenBuilder tenant(String tenantId) {
      return claim("custom:tenant_id", tenantId);
    }

    /** Sets the subject (and the username claims that mirror it). */
    public TokenBuilder subject(String subject) {
      claims.put("sub", subject);
      claims.computeIfPresent("username", (k, v) -> subject);
      claims.computeIfPresent("cognito:username", (k, v) -> subject);
      return this;
    }

    /** Sets {@code cognito:groups}. */
    public TokenBuilder groups(String... groups) {
      return claim("cognito:groups", List.of(groups));
    }

    /** Sets the scopes ({@code scope} for Cognito, {@code scp} for OIDC issuers). */
    public TokenBuilder scopes(String... scopes) {
      if (pool.cognito) {
        return claim("scope", String.join(" ", scopes));
      }
      return claim("scp", List.of(scopes));
    }

    /** Sets the app client ({@code client_id}/{@code cid} of access tokens, {@code aud} of ID tokens). */
    public TokenBuilder clientId(String clientId) {
      if (claims.containsKey("client_id")) {
        claims.put("client_id", clientId);
      } else if (claims.containsKey("cid")) {
        claims.put("cid", clientId);
      } else {
        claims.put("aud", clientId);
      }
      return this;
    }

    /** Expires {@code d} from now (negative for an expired token). */
    public TokenBuilder expiresIn(Duration d) {
      return claim("exp", Instant.now().plus(d).getEpochSecond());
    }

    /** Not valid before now plus {@code d}. */
    public TokenBuilder notBefore(Duration d) {
      return claim("nbf", Instant.now().plus(d).getEpochSecond());
    }

    /** Adds the {@code identities} claim of a user federated from the customer's IdP. */
    public TokenBuilder federated(String providerName, String providerType, String userId) {
      Map<String, Object> identity = new LinkedHashMap<>();
      identity.put("userId", userId);
      identity.put("providerName", providerName);
      identity.put("providerType", providerType);
      identity.put("issuer", null);
      identity.put("primary", "true");
      identity.put("dateCreated", String.valueOf(Instant.now().toEpochMilli()));
      return claim("identities", List.of(identity));
    }

    /** Sets (or with null, removes) any claim. */
    public TokenBuilder claim(String name, @Nullable Object value) {
      if (value == null) {
        claims.remove(name);
      } else {
        claims.put(name, value);
      }
      return this;
    }

    /** Signs with this {@code kid} in the header instead of the key's. */
    public TokenBuilder kid(String kid) {
      this.kid = kid;
      return this;
    }

    /** The claims as they will be signed. */
    public JWTClaimsSet claimsSet() {
      try {
        return JWTClaimsSet.parse(new LinkedHashMap<>(claims));
      } catch (java.text.ParseException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Signs with the pool's current key (RS256). */
    public String sign() {
      RSAKey key = pool.signing;
      JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
          .keyID(kid == null ? key.getKeyID() : kid).build();
      SignedJWT jwt = new SignedJWT(header, claimsSet());
      try {
        jwt.sign(new RSASSASigner(key));
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
      return jwt.serialize();
    }
  }

  /**
   * Signs {@code x-amzn-oidc-data} headers the way an Application Load Balancer does (ES256, the
   * header naming {@code signer} and {@code kid}, base64url with padding), and serves the public
   * keys as PEM at {@code {keyEndpoint}/{kid}}.
   */
  public final class AlbSigner {
    private final String region;
    private final String albArn;
    private final Map<String, ECKey> keys = new ConcurrentHashMap<>();
    private volatile ECKey signing;

    AlbSigner(String region, String albArn) {
      this.region = region;
      this.albArn = albArn;
      this.signing = newKey();
    }

    private ECKey newKey() {
      try {
        ECKey k = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        keys.put(k.getKeyID(), k);
        return k;
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The base URL to configure as the ALB key endpoint; keys are at {@code {it}/{kid}}. */
    public String keyEndpoint() {
      return baseUrl() + "/alb-keys/" + region;
    }

    /** The load balancer ARN put in {@code signer}. */
    public String albArn() {
      return albArn;
    }

    /** The current signing key, private part included. */
    public ECKey signingKey() {
      return signing;
    }

    @Nullable String pem(String kid) {
      ECKey k = keys.get(kid);
      if (k == null) {
        return null;
      }
      try {
        byte[] der = k.toECPublicKey().getEncoded();
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** How many times key {@code kid} was fetched. */
    public int keyFetches(String kid) {
      return requestCount("/alb-keys/" + region + "/" + kid);
    }

    /** An ALB-shaped token for {@code subject}, expiring {@code expiresIn} from now. */
    public String sign(String subject, Duration expiresIn, Map<String, Object> extraClaims) {
      return sign(subject, expiresIn, extraClaims, albArn, signing.getKeyID());
    }

    /** As {@link #sign(String, Duration, Map)}, with a chosen signer ARN and kid (for attack tests). */
    public String sign(String subject, Duration expiresIn, Map<String, Object> extraClaims, String signer, String kid) {
      long exp = Instant.now().plus(expiresIn).getEpochSecond();
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("alg", "ES256");
      header.put("kid", kid);
      header.put("signer", signer);
      header.put("iss", baseUrl() + "/idp");
      header.put("client", "alb-client");
      header.put("exp", exp);
      Map<String, Object> claims = new LinkedHashMap<>(extraClaims);
      claims.put("sub", subject);
      claims.put("exp", exp);
      claims.put("iss", baseUrl() + "/idp");
      try {
        JWSHeader h = JWSHeader.parse(header);
        SignedJWT jwt = new SignedJWT(h, JWTClaimsSet.parse(claims));
        jwt.sign(new ECDSASigner(signing));
        // ALB encodes with padding; mimic it so verifiers are tested against the real shape.
        String[] parts = jwt.serialize().split("\\.");
        return pad(parts[0]) + "." + pad(parts[1]) + "." + pad(parts[2]);
      } catch (JOSEException | java.text.ParseException e) {
        throw new IllegalStateException(e);
      }
    }

    private String pad(String b64) {
      return b64 + "=".repeat((4 - b64.length() % 4) % 4);
    }
  }

  /** Base64url of {@code bytes}, for tests that assemble tokens by hand. */
  public static String base64Url(byte[] bytes) {
    return Base64URL.encode(bytes).toString();
  }
}
