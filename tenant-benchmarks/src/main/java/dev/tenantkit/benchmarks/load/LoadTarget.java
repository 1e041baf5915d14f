package dev.tenantkit.benchmarks.load;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.auth.BearerTokenGuard;
import dev.tenantkit.auth.TenantTokenVerifier;
import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.RequestLimits;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantLimiter;
import dev.tenantkit.core.TenantResolvers;
import dev.tenantkit.core.servlet.TenantFilter;
import dev.tenantkit.db.PoolSettings;
import dev.tenantkit.db.SessionReset;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TlsMode;
import dev.tenantkit.examples.documents.DocumentStore;
import dev.tenantkit.examples.documents.LocalDemo;
import dev.tenantkit.examples.service.DemoService;
import dev.tenantkit.storage.TenantStorageClient;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What the load runs against, in one process on loopback: the local demo's stand-ins (a real
 * PostgreSQL, an in-process S3 server, a Cognito-shaped issuer) and its two tenants (acme in a
 * silo database and bucket, globex pooled under row-level security and a prefix) plus initech,
 * pooled beside globex (so globex's reads of initech's ids cross row-level security), served twice
 * by the same documents servlet on Jetty:
 *
 * <ul>
 *   <li>through TenantKit: the tenant filter (subdomain, catalog, the bearer token verified and
 *       bound to the tenant, the per-tenant limiter), {@code TenantDataSource} and
 *       {@code TenantStorageClient};</li>
 *   <li>the baseline: the same SQL and S3 calls for acme on a plain HikariCP pool and the raw S3
 *       client, no tenant checks at all (the floor TenantKit's overhead is measured against).</li>
 * </ul>
 *
 * <p>And three times on Spring Boot: the documents example itself ({@code DemoService}, on
 * tenant-spring-boot-starter, with Spring Security and Actuator as a team runs it), and
 * {@link BootBaseline}'s two plain Boot services making the same calls for acme: without any
 * check, and with Spring Security verifying acme's tokens.
 */
final class LoadTarget implements AutoCloseable {
  static final int SEEDED = 20;
  /**
   * TenantKit's silo session reset in both services: off, as by default, unless the JVM runs with
   * {@code -Dtenantkit.datasource.reset-silo-sessions=true}, the starter's property, which the
   * Boot service reads from the system properties itself.
   */
  static final SessionReset SESSION_RESET = "true".equals(System.getProperty(
      "tenantkit.datasource.reset-silo-sessions")) ? SessionReset.EVERY_BORROW : SessionReset.SHARED_POOLS_ONLY;

  final LocalDemo demo;
  final TenantLimiter limiter;
  final Map<String, List<UUID>> seeded = new LinkedHashMap<>();
  /** While set, every S3 call of the service (both paths) fails as if S3 could not be reached. */
  final java.util.concurrent.atomic.AtomicBoolean s3Down = new java.util.concurrent.atomic.AtomicBoolean();
  private final TenantDataSource dataSource;
  private final software.amazon.awssdk.services.s3.S3Client s3;
  private final HikariDataSource baselinePool;
  private final Server server;
  private final int tenantKitPort;
  private final int baselinePort;
  private final int filterOnlyPort;
  private final int dataOnlyPort;
  private final DemoService.Running bootService;
  private final ConfigurableApplicationContext bootBaseline;
  private final int bootBaselinePort;
  private final ConfigurableApplicationContext bootSecured;
  private final int bootSecuredPort;

  private LoadTarget(LocalDemo demo, RequestLimits basic, RequestLimits premium) throws Exception {
    this.demo = demo;
    this.limiter = TenantLimiter.builder().tier("basic", basic).tier("premium", premium).build();
    TenantTokenVerifier verifier = TenantTokenVerifier.builder().catalog(demo.catalog()).build();
    verifier.warmUp();
    PoolSettings pools = PoolSettings.DEFAULT;
    this.dataSource = TenantDataSource.builder().catalog(demo.catalog()).tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK)
        .defaultPoolSettings(pools).sharedPoolSize(pools.maxConnections()).sessionReset(SESSION_RESET).build();
    // The service's S3 client: the local S3 server's, with a switch that makes every call fail as a
    // connection to an unreachable S3 would (no local S3 server can be taken down and brought back
    // with its objects; the failure is injected where the SDK would send the request).
    this.s3 = demo.s3().clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(
        new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
          @Override
          public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
              software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            if (s3Down.get()) {
              // As the SDK reports a refused connection: its exception, the socket's as the cause.
              throw software.amazon.awssdk.core.exception.SdkClientException.create(
                  "Unable to execute HTTP request: Connect to S3 failed: Connection refused (injected)",
                  new java.net.ConnectException("Connection refused (injected)"));
            }
          }
        })).build();
    TenantStorageClient storage = TenantStorageClient.builder().s3Client(s3)
        .presigner(demo.s3().presigner()).build();
    DocumentStore store = new DocumentStore(dataSource, storage, Duration.ofMinutes(5));
    // A second pooled tenant beside globex in the shared database, so that reads of its ids by
    // globex test row-level security under load, not just routing.
    Tenant globex = demo.catalog().require(TenantId.of("globex"));
    demo.catalog().put(globex.toBuilder().id("initech")
        .identity(demo.issuer().pool("eu-west-1_InitechPool").identity().build())
        .storage(globex.storage().orElseThrow().toBuilder().prefix("tenants/initech/").build()).build());
    for (String t : List.of("acme", "globex", "initech")) {
      Tenant tenant = demo.catalog().require(TenantId.of(t));
      List<UUID> ids = new ArrayList<>();
      TenantContext.run(tenant, () -> {
        for (int i = 0; i < SEEDED; i++) {
          ids.add(store.create(t + "-seed-" + i + ".txt", "text/plain",
              (t + "'s seed " + i).getBytes(StandardCharsets.UTF_8)).id());
        }
      });
      seeded.put(t, ids);
    }

    DatabaseConfig acmeDb = demo.catalog().require(TenantId.of("acme")).database().orElseThrow();
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl("jdbc:postgresql://" + acmeDb.host() + ":" + acmeDb.port() + "/" + acmeDb.database());
    hikari.setUsername(acmeDb.user());
    hikari.setPassword(acmeDb.password());
    hikari.setMaximumPoolSize(pools.maxConnections()); // what TenantKit gives acme's silo pool
    hikari.setConnectionTimeout(pools.waitTimeout().toMillis());
    this.baselinePool = new HikariDataSource(hikari);

    TenantFilter filter = TenantFilter.builder().resolver(TenantResolvers.subdomain("{tenant}.localhost"))
        .catalog(demo.catalog()).guard(BearerTokenGuard.of(verifier)).limiter(limiter).build();
    this.server = new Server();
    ServerConnector tk = connector(server);
    ServerConnector base = connector(server);
    server.addConnector(tk);
    server.addConnector(base);
    ServletContextHandler tenantKit = context(new DocumentsServlet(new TenantKitBackend(store, dataSource)));
    tenantKit.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    tenantKit.setVirtualHosts(new String[] {"@tenantkit"});
    tk.setName("tenantkit");
    ServletContextHandler baseline = context(new DocumentsServlet(new BaselineBackend(baselinePool, s3)));
    baseline.setVirtualHosts(new String[] {"@baseline"});
    base.setName("baseline");
    // Two halves of TenantKit's path, for the capacity breakdown: the filter (resolver, token,
    // limiter) in front of the baseline's raw database and S3; and TenantKit's data layer
    // (TenantDataSource, TenantStorageClient) in acme's scope with no filter.
    ServerConnector filterOnlyConnector = connector(server);
    server.addConnector(filterOnlyConnector);
    filterOnlyConnector.setName("filteronly");
    ServletContextHandler filterOnly = context(new DocumentsServlet(new BaselineBackend(baselinePool, s3)));
    filterOnly.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    filterOnly.setVirtualHosts(new String[] {"@filteronly"});
    ServerConnector dataOnlyConnector = connector(server);
    server.addConnector(dataOnlyConnector);
    dataOnlyConnector.setName("dataonly");
    ServletContextHandler dataOnly = context(new DocumentsServlet(new TenantKitBackend(store, dataSource)));
    Tenant acme = demo.catalog().require(TenantId.of("acme"));
    dataOnly.addFilter(new FilterHolder((jakarta.servlet.Filter) (req, res, chain) -> {
      try (dev.tenantkit.core.TenantScope ignored = TenantContext.open(acme)) {
        chain.doFilter(req, res);
      }
    }), "/*", EnumSet.of(DispatcherType.REQUEST));
    dataOnly.setVirtualHosts(new String[] {"@dataonly"});
    org.eclipse.jetty.server.handler.ContextHandlerCollection contexts =
        new org.eclipse.jetty.server.handler.ContextHandlerCollection(tenantKit, baseline, filterOnly, dataOnly);
    server.setHandler(contexts);
    server.start();
    this.tenantKitPort = tk.getLocalPort();
    this.baselinePort = base.getLocalPort();
    this.filterOnlyPort = filterOnlyConnector.getLocalPort();
    this.dataOnlyPort = dataOnlyConnector.getLocalPort();

    // The Spring Boot services, on the same stand-ins, S3 client (so that S3 can be taken down) and limits.
    this.bootBaseline = BootBaseline.start(hikari.getJdbcUrl(), acmeDb.user(), acmeDb.password(),
        pools.maxConnections(), s3, null, null);
    this.bootBaselinePort = port(bootBaseline);
    dev.tenantkit.core.IdentityConfig acmeIssuer = demo.catalog().require(TenantId.of("acme")).identity().orElseThrow();
    this.bootSecured = BootBaseline.start(hikari.getJdbcUrl(), acmeDb.user(), acmeDb.password(),
        pools.maxConnections(), s3, acmeIssuer.issuer(), java.util.Objects.requireNonNullElse(acmeIssuer.jwksUri(),
            java.net.URI.create(acmeIssuer.issuer() + "/.well-known/jwks.json")));
    this.bootSecuredPort = port(bootSecured);
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("tenantkit.limits.enabled", "true");
    tier(limits, "basic", basic);
    tier(limits, "premium", premium);
    this.bootService = DemoService.serve(demo, limits, Map.of("s3Client", s3));
  }

  private static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1"));
  }

  private static void tier(Map<String, Object> properties, String tier, RequestLimits limits) {
    String prefix = "tenantkit.limits.tiers." + tier + ".";
    properties.put(prefix + "requests-per-second", Integer.toString(limits.requestsPerSecond()));
    properties.put(prefix + "burst", Integer.toString(limits.burst()));
    properties.put(prefix + "max-concurrent-requests", Integer.toString(limits.maxConcurrentRequests()));
  }

  /** Starts the stand-ins, seeds both tenants and serves them; the limits are per tier. */
  static LoadTarget start(RequestLimits basic, RequestLimits premium) throws Exception {
    LocalDemo demo = LocalDemo.start();
    try {
      return new LoadTarget(demo, basic, premium);
    } catch (Exception | Error e) {
      demo.close();
      throw e;
    }
  }

  int tenantKitPort() {
    return tenantKitPort;
  }

  int baselinePort() {
    return baselinePort;
  }

  /** TenantKit's filter in front of the baseline's raw database and S3 calls (acme only). */
  int filterOnlyPort() {
    return filterOnlyPort;
  }

  /** TenantKit's data layer in acme's scope, no filter (no token, resolver or limiter). */
  int dataOnlyPort() {
    return dataOnlyPort;
  }

  /** The documents example on Spring Boot and tenant-spring-boot-starter. */
  int bootServicePort() {
    return bootService.port();
  }

  /** A plain Spring Boot service with the same calls for acme, and Spring Security checking acme's tokens. */
  int bootSecuredPort() {
    return bootSecuredPort;
  }

  /** The documents example's Spring context. */
  ConfigurableApplicationContext bootServiceContext() {
    return bootService.context();
  }

  /** A plain Boot service's Spring context: the secured one's, or the one without checks. */
  ConfigurableApplicationContext bootBaselineContext(boolean secured) {
    return secured ? bootSecured : bootBaseline;
  }

  /** A plain Spring Boot service with the same calls for acme and no checks. */
  int bootBaselinePort() {
    return bootBaselinePort;
  }

  private static ServerConnector connector(Server server) {
    ServerConnector c = new ServerConnector(server);
    c.setHost("127.0.0.1");
    c.setPort(0);
    return c;
  }

  private static ServletContextHandler context(HttpServlet servlet) {
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(servlet), "/*");
    return context;
  }

  @Override
  public void close() throws Exception {
    bootService.close();
    bootBaseline.close();
    bootSecured.close();
    server.stop();
    baselinePool.close();
    s3.close();
    dataSource.close();
    demo.close();
  }

  /** The row with this id through {@code dataSource}, naming the tenant it belongs to (both paths read this way). */
  private static Optional<DocumentsServlet.Row> findRow(javax.sql.DataSource dataSource, UUID id) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(
            "SELECT id, name, content_type, size, created_at, tenant_id FROM documents WHERE id = ?")) {
      s.setObject(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new DocumentsServlet.Row(id.toString(), rs.getString("name"),
            rs.getString("tenant_id"))) : Optional.empty();
      }
    }
  }

  /**
   * TenantKit's path: uploads through the document store (tenant storage, then the row); reads
   * with the baseline's query on the tenant-routed data source, so the answer shows whose row
   * it is.
   */
  private static final class TenantKitBackend implements DocumentsServlet.Backend {
    private final DocumentStore store;
    private final TenantDataSource dataSource;

    TenantKitBackend(DocumentStore store, TenantDataSource dataSource) {
      this.store = store;
      this.dataSource = dataSource;
    }

    @Override
    public Optional<DocumentsServlet.Row> find(UUID id) throws Exception {
      return findRow(dataSource, id);
    }

    @Override
    public DocumentsServlet.Row create(String name, byte[] content) {
      return new DocumentsServlet.Row(store.create(name, "text/plain", content).id().toString(), name,
          TenantContext.require().id().value());
    }
  }

  /** The floor: acme's database and bucket reached directly, the document store's SQL, no checks. */
  private static final class BaselineBackend implements DocumentsServlet.Backend {
    private final HikariDataSource pool;
    private final software.amazon.awssdk.services.s3.S3Client s3;

    BaselineBackend(HikariDataSource pool, software.amazon.awssdk.services.s3.S3Client s3) {
      this.pool = pool;
      this.s3 = s3;
    }

    @Override
    public Optional<DocumentsServlet.Row> find(UUID id) throws Exception {
      return findRow(pool, id);
    }

    @Override
    public DocumentsServlet.Row create(String name, byte[] content) throws Exception {
      UUID id = UUID.randomUUID();
      uploadAsAcme(pool, s3, id, name, content, Instant.now());
      return new DocumentsServlet.Row(id.toString(), name, "acme");
    }
  }

  /** The baselines' upload (Jetty's and Boot's): the document store's S3 put and insert, for acme, no checks. */
  static void uploadAsAcme(javax.sql.DataSource dataSource, software.amazon.awssdk.services.s3.S3Client s3, UUID id,
      String name, byte[] content, Instant createdAt) throws java.sql.SQLException {
    String key = "documents/" + id + "/" + name;
    s3.putObject(r -> r.bucket(LocalDemo.ACME_BUCKET).key(key).contentType("text/plain"),
        RequestBody.fromBytes(content));
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO documents (id, tenant_id, name, content_type, size, "
            + "object_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setObject(1, id);
      s.setString(2, "acme");
      s.setString(3, name);
      s.setString(4, "text/plain");
      s.setLong(5, content.length);
      s.setString(6, key);
      s.setTimestamp(7, Timestamp.from(createdAt));
      s.executeUpdate();
    }
  }
}
