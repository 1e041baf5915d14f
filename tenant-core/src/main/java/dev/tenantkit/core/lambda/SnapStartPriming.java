package dev.tenantkit.core.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart's hooks for a function built on TenantKit, through the CRaC API ({@code org.crac})
 * that Lambda calls: before the snapshot, warm what every restored environment may share (the
 * catalog, the issuers' public keys, the classes of the request path); after each restore, drop
 * what must not be shared by the environments restored from one snapshot (database connections
 * and other open sockets, tenant-scoped STS sessions).
 *
 * <pre>{@code
 * this.priming = SnapStartPriming.builder()
 *     .beforeCheckpoint("issuer keys", verifier::warmUp)
 *     .beforeCheckpoint("database classes", dataSource::warmUp)    // no connection
 *     .beforeCheckpoint("database connections", dataSource::closePools)
 *     .afterRestore("database connections", dataSource::closePools)
 *     .afterRestore("tenant sessions", credentials::clear)
 *     .register();   // keep the returned object in a field: the CRaC context may hold it weakly
 * }</pre>
 *
 * <p>Steps run in the order given. A step that throws stops the checkpoint (Lambda then fails the
 * version's publication, so a function whose keys cannot be fetched is never published), or the
 * restore (the environment is discarded). Not with tenant isolation mode: Lambda offers SnapStart
 * only for functions without it.
 *
 * <p>What TenantKit leaves for the application to decide: a storage client's generated
 * continuation-token key would be the same in every restored environment, and differs between
 * environments without SnapStart (so paging across environments fails either way): give a
 * Lambda function {@code continuationTokenKeys} from Secrets Manager.
 */
public final class SnapStartPriming implements Resource {
  private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);

  /** One named step. */
  private record Step(String name, Runnable action) {}

  private final List<Step> before;
  private final List<Step> after;

  private SnapStartPriming(Builder b) {
    this.before = List.copyOf(b.before);
    this.after = List.copyOf(b.after);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    run("before the snapshot", before);
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    run("after the restore", after);
  }

  private static void run(String when, List<Step> steps) {
    for (Step s : steps) {
      long start = System.nanoTime();
      try {
        s.action().run();
      } catch (RuntimeException e) {
        throw new IllegalStateException("SnapStart priming step '" + s.name() + "' failed " + when + ": " + e, e);
      }
      LOG.info("snapstart step={} when={} millis={}", s.name(), when, (System.nanoTime() - start) / 1_000_000);
    }
  }

  /** Builds a {@link SnapStartPriming}. */
  public static final class Builder {
    private final List<Step> before = new ArrayList<>();
    private final List<Step> after = new ArrayList<>();

    private Builder() {}

    /** A step run before the snapshot is taken, such as {@code verifier::warmUp}. */
    public Builder beforeCheckpoint(String name, Runnable step) {
      before.add(new Step(Objects.requireNonNull(name, "name"), Objects.requireNonNull(step, "step")));
      return this;
    }

    /** A step run in each environment restored from the snapshot, such as {@code credentials::clear}. */
    public Builder afterRestore(String name, Runnable step) {
      after.add(new Step(Objects.requireNonNull(name, "name"), Objects.requireNonNull(step, "step")));
      return this;
    }

    /** Builds it without registering it (tests, or a context of your own). */
    public SnapStartPriming build() {
      return new SnapStartPriming(this);
    }

    /**
     * Builds it and registers it with the global CRaC context, which SnapStart calls. Keep the
     * result in a field of the handler for as long as the function lives.
     */
    public SnapStartPriming register() {
      SnapStartPriming priming = build();
      Core.getGlobalContext().register(priming);
      return priming;
    }
  }
}
