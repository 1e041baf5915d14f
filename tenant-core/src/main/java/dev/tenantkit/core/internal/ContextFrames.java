package dev.tenantkit.core.internal;

import dev.tenantkit.core.CrossTenantAccessException;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.core.TenantScopeException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The per-thread stack of tenant scopes, as a linked list of frames in one ThreadLocal.
 *
 * <p>Each frame remembers its predecessor and the MDC values it replaced, so closing restores
 * exactly what was there. The hot path (open + close) is one small allocation, two ThreadLocal
 * accesses and the MDC updates; no locks.
 *
 * <p>Dependencies run one way: {@code TenantContext} (the API) and the propagating wrappers of
 * this package call in here; nothing here calls back up into {@code TenantContext}.
 */
public final class ContextFrames {
  /** The environment variable that renames the MDC key of the tenant id (Powertools: tenant_id). */
  public static final String MDC_TENANT_ID_ENV = "TENANTKIT_MDC_TENANT_ID_KEY";
  /** The environment variable that renames the MDC key of the tenant tier. */
  public static final String MDC_TENANT_TIER_ENV = "TENANTKIT_MDC_TENANT_TIER_KEY";
  private static final Pattern MDC_KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  /** MDC key of the tenant id: {@code tenant.id}, or what {@value #MDC_TENANT_ID_ENV} names. */
  public static final String MDC_TENANT_ID = mdcKey(System.getenv(), MDC_TENANT_ID_ENV, "tenant.id");
  /** MDC key of the tenant tier: {@code tenant.tier}, or what {@value #MDC_TENANT_TIER_ENV} names. */
  public static final String MDC_TENANT_TIER = distinct(MDC_TENANT_ID,
      mdcKey(System.getenv(), MDC_TENANT_TIER_ENV, "tenant.tier"));

  /** The tier's key, refused when it is the id's: the tier would overwrite the tenant in every log line. */
  static String distinct(String idKey, String tierKey) {
    if (idKey.equals(tierKey)) {
      throw new IllegalStateException(MDC_TENANT_ID_ENV + " and " + MDC_TENANT_TIER_ENV + " name the same MDC key "
          + SafeText.quote(idKey) + ": the tier would replace the tenant id in every log line");
    }
    return tierKey;
  }

  /**
   * The MDC key {@code variable} names in {@code env}, or {@code fallback}; read once, when this
   * class loads, so a scope always restores the keys it set.
   *
   * @throws IllegalStateException when the variable names no usable key (1 to 64 of
   *     {@code A-Z a-z 0-9 _ . : -}): a log field must never silently lose the tenant
   */
  static String mdcKey(Map<String, String> env, String variable, String fallback) {
    String v = env.get(variable);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    if (!MDC_KEY.matcher(v).matches()) {
      throw new IllegalStateException(variable + " must be 1 to 64 of A-Z a-z 0-9 _ . : - (an MDC key), was "
          + SafeText.quote(v));
    }
    return v;
  }

  // The category users know from the API class (cross-tenant switches, leaked scopes), named as
  // text so this class does not depend on the API class it serves.
  private static final Logger LOG = LoggerFactory.getLogger("dev.tenantkit.core.TenantContext");
  private static final ThreadLocal<Frame> CURRENT = new ThreadLocal<>();

  private ContextFrames() {}

  /** The tenant of this thread's innermost open frame. */
  public static @Nullable Tenant currentTenant() {
    Frame f = CURRENT.get();
    return f == null ? null : f.tenant;
  }

  /** Opens a frame; {@code crossTenantReason} non-null allows switching from another tenant. */
  public static TenantScope open(Tenant tenant, @Nullable String crossTenantReason) {
    Frame previous = CURRENT.get();
    // A propagated "no tenant" frame sits on CURRENT with a null tenant: read it once.
    Tenant current = previous == null ? null : previous.tenant;
    if (current != null && !current.id().equals(tenant.id())) {
      if (crossTenantReason == null) {
        throw new CrossTenantAccessException(current.id(), tenant.id());
      }
      LOG.info("cross-tenant scope opened from={} to={} reason={}",
          current.id(), tenant.id(), SafeText.quote(crossTenantReason));
    }
    return push(tenant, previous);
  }

  private static Frame push(@Nullable Tenant tenant, @Nullable Frame previous) {
    Frame frame = new Frame(tenant, previous, Thread.currentThread(),
        MDC.get(MDC_TENANT_ID), MDC.get(MDC_TENANT_TIER));
    setMdc(tenant);
    CURRENT.set(frame);
    return frame;
  }

  private static void setMdc(@Nullable Tenant tenant) {
    if (tenant == null) {
      MDC.remove(MDC_TENANT_ID);
      MDC.remove(MDC_TENANT_TIER);
    } else {
      MDC.put(MDC_TENANT_ID, tenant.id().value());
      MDC.put(MDC_TENANT_TIER, tenant.tier().name());
    }
  }

  private static void restoreMdc(String key, @Nullable String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  // ---- propagation: run a task with exactly the captured tenant, then put the thread back ----

  /** {@code task}, set to run in the tenant current now (or with no tenant, if none is). */
  public static Runnable capture(Runnable task) {
    Objects.requireNonNull(task, "task");
    @Nullable Tenant captured = currentTenant();
    return () -> runAs(captured, task);
  }

  /** {@code task}, set to run in the tenant current now (or with no tenant, if none is). */
  public static <T> Callable<T> capture(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    @Nullable Tenant captured = currentTenant();
    return () -> callAs(captured, task);
  }

  /** Runs {@code task} with {@code captured} as the thread's only tenant frame. */
  public static void runAs(@Nullable Tenant captured, Runnable task) {
    Frame before = CURRENT.get();
    Frame mine = enter(captured, before);
    try {
      task.run();
    } finally {
      exit(mine, before);
    }
  }

  /** Calls {@code task} with {@code captured} as the thread's only tenant frame. */
  public static <T> T callAs(@Nullable Tenant captured, Callable<T> task) throws Exception {
    Frame before = CURRENT.get();
    Frame mine = enter(captured, before);
    try {
      return task.call();
    } finally {
      exit(mine, before);
    }
  }

  /** Gets from {@code task} with {@code captured} as the thread's only tenant frame. */
  public static <T> T supplyAs(@Nullable Tenant captured, Supplier<T> task) {
    Frame before = CURRENT.get();
    Frame mine = enter(captured, before);
    try {
      return task.get();
    } finally {
      exit(mine, before);
    }
  }

  /**
   * Makes {@code captured} (or no tenant) the thread's only tenant frame until the returned
   * handle is closed, which puts back exactly what was there: the imperative form of
   * {@link #runAs}, for propagation libraries that set and restore in two calls.
   */
  public static TenantContext.Propagated attach(@Nullable Tenant captured) { // the captured token's tenant
    Frame before = CURRENT.get();
    Tenant open = before == null ? null : before.tenant;
    if (open != null && captured != null && !open.id().equals(captured.id())) {
      // A pooled thread left in another tenant's scope, or propagation used to switch: either is
      // a bug to find; the propagated tenant is set as asked (what the wrap methods do too).
      LOG.warn("propagated tenant replaces another tenant's open scope on this thread from={} to={}",
          open.id(), captured.id());
    }
    Frame mine = enter(captured, before);
    Thread owner = Thread.currentThread();
    return new TenantContext.Propagated() {
      private boolean done;

      @Override
      public void close() {
        if (Thread.currentThread() != owner) {
          throw new TenantScopeException("a propagated tenant context was restored on thread "
              + Thread.currentThread().getName() + " but set on " + owner.getName() + "; nothing was changed");
        }
        if (!done) {
          done = true;
          exit(mine, before);
        }
      }
    };
  }

  private static Frame enter(@Nullable Tenant captured, @Nullable Frame before) {
    // A propagated frame has no predecessor: inside the task, the submitter's tenant is the only
    // one, whatever the worker thread had. Its own saved MDC values are the worker's.
    Frame frame = new Frame(captured, null, Thread.currentThread(),
        MDC.get(MDC_TENANT_ID), MDC.get(MDC_TENANT_TIER));
    setMdc(captured);
    // Also for "no tenant": the frame marks where this propagation begins, so that its exit knows
    // which scopes opened inside it were left open, and never mistakes the caller's for them.
    CURRENT.set(frame);
    return frame;
  }

  private static void exit(Frame mine, @Nullable Frame before) {
    if (mine.closed) {
      // Unwound already, as leaked, by a propagation boundary closed out of order: nothing of
      // this one is on the thread, and what it would restore may be closed too.
      return;
    }
    Frame now = CURRENT.get();
    Frame expected = mine;
    if (now != expected) {
      int leaked = closeLeaked(now, expected);
      LOG.warn("task left {} tenant scope(s) open; they were closed tenant={}",
          leaked, mine.tenant == null ? "-" : mine.tenant.id());
    }
    mine.closed = true;
    // Never put back a scope that was closed meanwhile (closed out of order from inside, or
    // unwound by another boundary): the thread gets the nearest open one below it, or none.
    Frame restore = before;
    while (restore != null && restore.closed) {
      restore = restore.previous;
    }
    if (restore == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(restore);
    }
    if (restore == before) {
      restoreMdc(MDC_TENANT_ID, mine.savedMdcId);
      restoreMdc(MDC_TENANT_TIER, mine.savedMdcTier);
    } else {
      setMdc(restore == null ? null : restore.tenant);
    }
  }

  /** Marks frames from {@code top} down to (not including) {@code stop} closed; returns how many. */
  private static int closeLeaked(@Nullable Frame top, @Nullable Frame stop) {
    int n = 0;
    for (Frame f = top; f != null && f != stop; f = f.previous) {
      f.closed = true;
      n++;
    }
    return n;
  }

  /** One open scope. Mutable flags are touched only by the owning thread. */
  static final class Frame implements TenantScope {
    final @Nullable Tenant tenant;
    final @Nullable Frame previous;
    final Thread owner;
    final @Nullable String savedMdcId;
    final @Nullable String savedMdcTier;
    boolean closed;

    Frame(@Nullable Tenant tenant, @Nullable Frame previous, Thread owner,
        @Nullable String savedMdcId, @Nullable String savedMdcTier) {
      this.tenant = tenant;
      this.previous = previous;
      this.owner = owner;
      this.savedMdcId = savedMdcId;
      this.savedMdcTier = savedMdcTier;
    }

    @Override
    public Tenant tenant() {
      if (tenant == null) {
        throw new IllegalStateException("no tenant");
      }
      return tenant;
    }

    @Override
    public void close() {
      if (Thread.currentThread() != owner) {
        throw new TenantScopeException("tenant scope for " + tenant().id()
            + " closed on thread " + Thread.currentThread().getName() + " but opened on "
            + owner.getName() + "; nothing was changed");
      }
      if (closed) {
        return;
      }
      Frame top = CURRENT.get();
      if (top == this) {
        restore();
        return;
      }
      // Out of order: is this frame below the top, i.e. are inner scopes still open?
      boolean below = false;
      for (Frame f = top; f != null; f = f.previous) {
        if (f == this) {
          below = true;
          break;
        }
      }
      if (!below) {
        // Already unwound by a propagation boundary that closed it as leaked.
        closed = true;
        return;
      }
      int inner = closeLeaked(top, this);
      restore();
      throw new TenantScopeException("tenant scope for " + tenant().id() + " closed while " + inner
          + " inner scope(s) were still open; they were closed too and the context before this "
          + "scope was restored");
    }

    private void restore() {
      closed = true;
      // Never put back a scope closed meanwhile (out of order, under a propagation): the nearest
      // open one below, or none.
      Frame back = previous;
      while (back != null && back.closed) {
        back = back.previous;
      }
      CURRENT.set(back); // set(null) rather than remove(): cheaper, and holds no tenant
      if (back == previous) {
        restoreMdc(MDC_TENANT_ID, savedMdcId);
        restoreMdc(MDC_TENANT_TIER, savedMdcTier);
      } else {
        setMdc(back == null ? null : back.tenant);
      }
    }

    @Override
    public String toString() {
      return "TenantScope[" + (tenant == null ? "-" : tenant.id()) + (closed ? ", closed" : "") + "]";
    }
  }
}
