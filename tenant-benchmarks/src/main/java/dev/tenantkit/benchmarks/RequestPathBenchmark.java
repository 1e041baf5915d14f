package dev.tenantkit.benchmarks;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantRequest;
import dev.tenantkit.core.TenantResolver;
import dev.tenantkit.core.TenantResolvers;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.core.TrustedProxies;
import dev.tenantkit.testkit.TestTenants;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.slf4j.MDC;

/**
 * What TenantKit adds to each request: resolve the tenant (subdomain and trusted header, both
 * must agree), look it up in the catalog, open the scope (with MDC), close it. Beside it, in the
 * same run: the bare minimum a hand-written filter does (parse the host label, one map lookup,
 * ThreadLocal set and clear), with and without the same two MDC keys.
 *
 * <p>1,000 tenants; requests rotate over 64 of them so lookups are not all one cache line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestPathBenchmark {
  private static final ThreadLocal<Tenant> BARE = new ThreadLocal<>();
  private static final String SUFFIX = ".app.example.com";

  private TenantResolver resolver;
  private TenantCatalog catalog;
  private Map<String, Tenant> map;
  private TenantRequest[] requests;
  private int next;

  @Setup
  public void setUp() {
    List<Tenant> tenants = TestTenants.many(1000);
    catalog = TenantCatalog.inMemory(tenants);
    map = new HashMap<>();
    for (Tenant t : tenants) {
      map.put(t.id().value(), t);
    }
    resolver = TenantResolvers.allAgree(
        TenantResolvers.subdomain("{tenant}" + SUFFIX),
        TenantResolvers.header("X-Tenant-Id", TrustedProxies.of("10.0.0.0/16")));
    requests = new TenantRequest[64];
    for (int i = 0; i < requests.length; i++) {
      String id = "tenant-" + (i * 15);
      requests[i] = TenantRequest.builder().method("GET").host(id + SUFFIX).path("/documents")
          .header("X-Tenant-Id", id).header("Accept", "application/json")
          .remoteAddress("10.0.4.20").build();
    }
  }

  private TenantRequest nextRequest() {
    return requests[next++ & 63];
  }

  /** TenantKit: resolve (subdomain + header, agreeing) + catalog.require + scope with MDC. */
  @Benchmark
  public void tenantkit(Blackhole bh) {
    TenantRequest request = nextRequest();
    TenantId id = resolver.resolve(request).orElseThrow();
    Tenant tenant = catalog.require(id);
    try (TenantScope scope = TenantContext.open(tenant)) {
      bh.consume(TenantContext.require());
    }
  }

  /** Baseline: host label substring + one map lookup + ThreadLocal set/clear. */
  @Benchmark
  public void bareThreadLocal(Blackhole bh) {
    TenantRequest request = nextRequest();
    String host = request.host();
    Tenant tenant = map.get(host.substring(0, host.length() - SUFFIX.length()));
    BARE.set(tenant);
    try {
      bh.consume(BARE.get());
    } finally {
      BARE.remove();
    }
  }

  /** Baseline plus the same two MDC keys TenantKit sets: the honest hand-written equivalent. */
  @Benchmark
  public void bareThreadLocalWithMdc(Blackhole bh) {
    TenantRequest request = nextRequest();
    String host = request.host();
    Tenant tenant = Objects.requireNonNull(map.get(host.substring(0, host.length() - SUFFIX.length())));
    BARE.set(tenant);
    MDC.put(TenantContext.MDC_TENANT_ID, tenant.id().value());
    MDC.put(TenantContext.MDC_TENANT_TIER, tenant.tier().name());
    try {
      bh.consume(BARE.get());
    } finally {
      BARE.remove();
      MDC.remove(TenantContext.MDC_TENANT_ID);
      MDC.remove(TenantContext.MDC_TENANT_TIER);
    }
  }

  /**
   * The hand-written equivalent with the same safety: both sources read and compared, the peer
   * checked against the trusted /16 (pre-parsed), the id's characters validated, one map lookup,
   * the status checked, ThreadLocal and the two MDC keys set and cleared. What a careful team
   * writes without a library; the peer the ratio that matters is measured against.
   */
  @Benchmark
  public void handWrittenEquivalent(Blackhole bh) {
    TenantRequest request = nextRequest();
    String host = request.host();
    if (!host.endsWith(SUFFIX)) {
      throw new IllegalStateException("no tenant");
    }
    String id = host.substring(0, host.length() - SUFFIX.length());
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        throw new IllegalStateException("bad id");
      }
    }
    String header = request.header("X-Tenant-Id");
    String peer = request.remoteAddress();
    if (header != null && peer.startsWith("10.0.") && !header.equals(id)) {
      throw new IllegalStateException("mismatch");
    }
    Tenant tenant = map.get(id);
    if (tenant == null || !tenant.status().isServing()) {
      throw new IllegalStateException("unknown or inactive");
    }
    BARE.set(tenant);
    MDC.put(TenantContext.MDC_TENANT_ID, tenant.id().value());
    MDC.put(TenantContext.MDC_TENANT_TIER, tenant.tier().name());
    try {
      bh.consume(BARE.get());
    } finally {
      BARE.remove();
      MDC.remove(TenantContext.MDC_TENANT_ID);
      MDC.remove(TenantContext.MDC_TENANT_TIER);
    }
  }

  /** Part: resolution alone (subdomain + header, agreeing). */
  @Benchmark
  public TenantId resolveOnly() {
    return resolver.resolve(nextRequest()).orElseThrow();
  }

  /** Part: scope open/close with MDC alone. */
  @Benchmark
  public void scopeOnly(Blackhole bh) {
    Tenant tenant = Objects.requireNonNull(map.get("tenant-15"));
    try (TenantScope scope = TenantContext.open(tenant)) {
      bh.consume(scope);
    }
  }
}
