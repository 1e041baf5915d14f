package dev.tenantkit.provision;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantKitException;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.core.WritableTenantCatalog;
import dev.tenantkit.provision.internal.TenantRecords;
import dev.tenantkit.registry.TenantRegistry;
import dev.tenantkit.registry.VersionedTenant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's lifecycle, kept in its catalog record:
 *
 * <pre>{@code
 * REQUESTED -> PROVISIONING -> ACTIVE <-> SUSPENDED
 *                   |  ^        |  ^
 *                   v  |        v  | (done, or failed and rolled back: still ACTIVE)
 *                  FAILED     UPDATING
 *
 *              ACTIVE -> OFFBOARDING -> OFFBOARDED
 * }</pre>
 *
 * <p>{@link #onboard} synthesises the tenant's stack (refused if cdk-nag finds anything), checks the
 * Region's quotas for what the deployment adds, deploys through a change set and, once the stack is
 * complete, merges its outputs into the record (identity, storage, database, stack) with status
 * ACTIVE, so the other modules serve the tenant with no hand editing.
 *
 * <ul>
 *   <li>A first deployment goes PROVISIONING; if it fails the record is FAILED with the reason, and
 *       running onboarding again resumes (a stack whose creation rolled back is deleted and created
 *       again).</li>
 *   <li>Running it for an ACTIVE tenant (a tier change, a template update) goes UPDATING, which the
 *       catalog still serves, from the record of the stack as it was. On success the record is
 *       ACTIVE with the new tier. On failure CloudFormation rolls the stack back and the record
 *       returns to ACTIVE, the failure in its status reason, never FAILED: the tenant still works.
 *       An unchanged stack is a no-op.</li>
 *   <li>The record is merged, not rebuilt: what the stack owns comes from its outputs, what the
 *       operator added (a role ARN, other app clients, a JWKS URI, a schema) stays.</li>
 * </ul>
 *
 * <p>Every transition is saved through {@link Builder#onChange} (for example to the catalog file)
 * before the next step starts.
 */
public final class TenantOnboarding {
  private static final Set<TenantStatus> ONBOARDABLE = Set.of(TenantStatus.REQUESTED, TenantStatus.PROVISIONING,
      TenantStatus.FAILED, TenantStatus.ACTIVE, TenantStatus.UPDATING);

  /** Serializes synthesis: the jsii runtime under CDK's Java API is not thread-safe (aws/jsii#685). */
  private static final Object SYNTH_LOCK = new Object();

  private final Records records;
  private final StackDeployer deployer;
  private final @Nullable Preflight preflight;
  private final Consumer<String> progress;
  private final software.amazon.awssdk.services.s3.@Nullable S3Client s3;
  private final @Nullable Path assemblyDirectory;

  private TenantOnboarding(Builder b) {
    if ((b.catalog == null) == (b.registry == null)) {
      throw new IllegalStateException("give the records' home: catalog or registry (one, not both)");
    }
    this.records = b.registry != null ? new RegistryRecords(b.registry)
        : new CatalogRecords(Objects.requireNonNull(b.catalog), b.onChange);
    this.deployer = Objects.requireNonNull(b.deployer, "deployer");
    this.preflight = b.preflight;
    Consumer<String> sink = b.progress;
    Object progressLock = new Object();
    // A batch reports from several threads: one line at a time reaches the consumer.
    this.progress = line -> {
      synchronized (progressLock) {
        sink.accept(line);
      }
    };
    this.s3 = b.s3;
    this.assemblyDirectory = b.assemblyDirectory;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Provisions the tenant's stack, or updates it while the tenant keeps being served, and makes its
   * record ACTIVE.
   *
   * @throws OnboardingException when it did not complete; {@link OnboardingException#record()} is
   *     FAILED for a first deployment, ACTIVE (with the failure as its status reason) for an update
   */
  public Tenant onboard(TenantStackSpec spec) {
    return onboard(spec, true);
  }

  private Tenant onboard(TenantStackSpec spec, boolean preflightEach) {
    TenantId id = spec.tenantId();
    Op op = new Op();
    Tenant current = records.find(op, id).orElse(null);
    if (current != null && !ONBOARDABLE.contains(current.status())) {
      throw new OnboardingException("tenant " + id + " is " + current.status() + "; only REQUESTED, PROVISIONING, "
          + "FAILED, ACTIVE or UPDATING tenants are onboarded"
          + (current.status() == TenantStatus.SUSPENDED ? " (use reactivate)" : ""), current, null);
    }
    return current != null && current.status().isServing() ? update(op, current, spec, preflightEach)
        : provision(op, current, spec, preflightEach);
  }

  /** A first deployment (or the resumption of a failed one): the tenant is not served until ACTIVE. */
  private Tenant provision(Op op, @Nullable Tenant current, TenantStackSpec spec, boolean preflightEach) {
    TenantId id = spec.tenantId();
    if (current == null) {
      current = save(op, Tenant.builder().id(id).tier(spec.tier().name()).status(TenantStatus.REQUESTED).build());
    }
    Tenant provisioning = save(op, current.toBuilder().tier(spec.tier().name()).status(TenantStatus.PROVISIONING)
        .statusReason(null).build());
    try {
      return apply(op, provisioning, spec, preflightEach);
    } catch (TenantKitException | SdkException | IllegalStateException e) {
      Tenant failed = save(op, provisioning.toBuilder().status(TenantStatus.FAILED).statusReason(reason(e)).build());
      throw new OnboardingException("onboarding " + id + " failed; the record is FAILED and onboarding can be run "
          + "again to resume: " + e.getMessage(), failed, e);
    }
  }

  /**
   * A change to a served tenant's stack. The record says UPDATING (still served, sections and tier
   * as the stack still is) until the stack settles; a failure leaves it ACTIVE with the reason.
   */
  private Tenant update(Op op, Tenant current, TenantStackSpec spec, boolean preflightEach) {
    TenantId id = spec.tenantId();
    String change = "tier " + spec.tier().name() + (current.tier().name().equals(spec.tier().name()) ? ""
        : " (from " + current.tier().name() + ")");
    Tenant updating = save(op, current.toBuilder().status(TenantStatus.UPDATING)
        .statusReason("updating the stack to " + change).build());
    try {
      return apply(op, updating, spec, preflightEach);
    } catch (TenantKitException | SdkException | IllegalStateException e) {
      String outcome = outcome(e);
      Tenant kept = save(op, updating.toBuilder().status(TenantStatus.ACTIVE)
          .statusReason(abbreviate("update to " + change + " failed; " + outcome + ": " + reason(e))).build());
      throw new OnboardingException("updating " + id + " failed; " + outcome + "; the tenant is still ACTIVE, "
          + "served as before, and onboarding can be run again: " + e.getMessage(), kept, e);
    }
  }

  /**
   * What one tenant of a batch came to.
   *
   * @param tenant the tenant
   * @param record its record at the end: ACTIVE on success; FAILED, or ACTIVE with the failure as
   *     its reason, on failure (null when the failure left no record)
   * @param failure why it did not complete; null on success
   */
  public record BatchOutcome(TenantId tenant, @Nullable Tenant record, @Nullable RuntimeException failure) {
    /** Whether the tenant was onboarded. */
    public boolean succeeded() {
      return failure == null;
    }
  }

  /**
   * Onboards many tenants: one quota preflight for the sum of the batch (nothing starts when it
   * would not fit), then each tenant's lifecycle as {@link #onboard} runs it, at most
   * {@code concurrency} at once. Each tenant is independent: one that fails does not stop the
   * others, and running the batch again resumes the failed ones (and leaves the done ones
   * unchanged). Progress lines carry the stack's name ({@code tenantkit-<id>}) or the tenant's id.
   * Synthesis runs one tenant at a time (CDK's Java runtime is single-threaded); the deployments,
   * where the time goes, run side by side.
   *
   * @param concurrency 1 to 32 tenants at a time
   * @return one outcome per spec, in the specs' order
   * @throws PreflightException when the batch as a whole would exceed a quota; nothing was changed
   * @throws IllegalArgumentException when two specs name one tenant, or concurrency is out of range
   */
  public List<BatchOutcome> onboardAll(List<TenantStackSpec> specs, int concurrency) {
    if (concurrency < 1 || concurrency > 32) {
      throw new IllegalArgumentException("concurrency must be between 1 and 32, was " + concurrency);
    }
    Set<TenantId> seen = new java.util.HashSet<>();
    for (TenantStackSpec spec : specs) {
      if (!seen.add(spec.tenantId())) {
        throw new IllegalArgumentException("the batch names tenant " + spec.tenantId() + " twice");
      }
    }
    if (specs.isEmpty()) {
      return List.of();
    }
    if (preflight != null) {
      Map<TenantStackSpec, Preflight.Footprint> footprints = new java.util.LinkedHashMap<>();
      for (TenantStackSpec spec : specs) {
        footprints.put(spec, Preflight.Footprint.of(deployer.resources(spec.stackName())));
      }
      preflight.requireBatch(footprints);
    }
    java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
        Math.min(concurrency, specs.size()), r -> {
          Thread t = new Thread(r, "tenantkit-onboard-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    try {
      List<java.util.concurrent.Future<BatchOutcome>> futures = new java.util.ArrayList<>();
      for (TenantStackSpec spec : specs) {
        futures.add(pool.submit(() -> {
          try {
            return new BatchOutcome(spec.tenantId(), onboard(spec, false), null);
          } catch (OnboardingException e) {
            return new BatchOutcome(spec.tenantId(), e.record(), e);
          } catch (RuntimeException e) {
            progress.accept("tenant " + spec.tenantId() + " failed: " + e.getMessage());
            return new BatchOutcome(spec.tenantId(), null, e);
          }
        }));
      }
      List<BatchOutcome> outcomes = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<BatchOutcome> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnboardingException("interrupted while onboarding a batch; run it again to resume", null, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("an onboarding task failed unexpectedly", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** The stack was deployed, but its outputs could not be merged into the tenant's record. */
  static final class RecordNotUpdatedException extends TenantKitException {
    private static final long serialVersionUID = 1L;
    final String stackStatus;

    RecordNotUpdatedException(String stackStatus, TenantKitException cause) {
      super("the stack was deployed (" + stackStatus + ") but the record could not take its outputs: "
          + cause.getMessage(), cause);
      this.stackStatus = stackStatus;
    }
  }

  /** What a failed update left behind, for the record and the message. */
  private static String outcome(Exception e) {
    if (e instanceof RecordNotUpdatedException r) {
      return "the stack was changed (" + r.stackStatus + ") but the record still describes the previous stack";
    }
    String status = e instanceof StackDeploymentException d ? d.status() : null;
    if (status == null) {
      return "nothing was changed";
    }
    if (status.equals("UPDATE_ROLLBACK_COMPLETE")) {
      return "the stack rolled back (UPDATE_ROLLBACK_COMPLETE) to its previous version";
    }
    if (status.equals("UPDATE_ROLLBACK_FAILED")) {
      return "the stack could not roll back (UPDATE_ROLLBACK_FAILED); continue the rollback "
          + "(CloudFormation ContinueUpdateRollback) before the next update";
    }
    return "the stack is " + status;
  }

  /** Synthesise, preflight what the deployment adds, deploy, merge the outputs, save ACTIVE. */
  private Tenant apply(Op op, Tenant base, TenantStackSpec spec, boolean preflightEach) {
    TenantTemplates.Synthesized template;
    synchronized (SYNTH_LOCK) {
      template = TenantTemplates.synth(spec, assemblyDirectory, progress);
    }
    if (!template.nagFindings().isEmpty()) {
      throw new StackDeploymentException(spec.stackName(), null, "cdk-nag found " + template.nagFindings().size()
          + " unsuppressed issue(s); not deploying: " + template.nagFindings().get(0), null);
    }
    if (preflight != null && preflightEach) {
      preflight.require(spec, Preflight.Footprint.of(deployer.resources(spec.stackName())));
    }
    StackDeployer.Result result = deployer.deploy(spec.stackName(), template.json(),
        Map.of("tenantkit:tenant", spec.tenantId().value(), "tenantkit:tier", spec.tier().name()));
    Tenant active;
    try {
      active = save(op, TenantRecords.active(base, spec, result.outputs()));
    } catch (TenantKitException e) {
      // The stack is as the spec says now; only the record could not follow (an operator's field
      // that no longer fits, an overlap with another record): say so, not "nothing was changed".
      throw new RecordNotUpdatedException(result.status(), e);
    }
    progress.accept("tenant " + spec.tenantId() + " is ACTIVE (stack " + result.status()
        + (result.changed() ? "" : ", unchanged") + ")");
    return active;
  }

  /** ACTIVE to SUSPENDED: the tenant's requests and connections are refused; nothing is deleted. */
  public Tenant suspend(TenantId id, String reason) {
    return move(id, TenantStatus.ACTIVE, TenantStatus.SUSPENDED, reason);
  }

  /** SUSPENDED back to ACTIVE. */
  public Tenant reactivate(TenantId id) {
    return move(id, TenantStatus.SUSPENDED, TenantStatus.ACTIVE, null);
  }

  /**
   * OFFBOARDING, deletes the tenant's stack, then OFFBOARDED. The stack's data-bearing resources
   * (database snapshot, buckets, user pool, key) are retained by their deletion policies. A failed
   * deletion leaves the record OFFBOARDING with the reason; run offboard again to resume.
   */
  public Tenant offboard(TenantId id) {
    Op op = new Op();
    Tenant current = records.find(op, id).orElseThrow(() -> new OnboardingException("no tenant " + id, null, null));
    if (current.status() == TenantStatus.OFFBOARDED) {
      return current;
    }
    Tenant offboarding = save(op, current.toBuilder().status(TenantStatus.OFFBOARDING).statusReason(null).build());
    try {
      deployer.destroy(current.stack().map(s -> s.name()).orElse("tenantkit-" + id.value()));
    } catch (TenantKitException | SdkException e) {
      Tenant stuck = save(op, offboarding.toBuilder().statusReason(reason(e)).build());
      throw new OnboardingException("offboarding " + id + " failed; run it again to resume: " + e.getMessage(), stuck, e);
    }
    return save(op, offboarding.toBuilder().status(TenantStatus.OFFBOARDED).build());
  }

  /**
   * Offboards and deletes the tenant's data too: first applies the stack's disposable variant
   * (deletion policies Delete, deletion protection off; cdk-nag-checked like any template), then
   * empties its buckets (every object version), then deletes the stack. Needs {@link Builder#s3}.
   * There is no undo: the database is deleted without a final snapshot.
   */
  public Tenant offboardDeletingData(TenantStackSpec spec) {
    TenantId id = spec.tenantId();
    Op op = new Op();
    Tenant current = records.find(op, id).orElseThrow(() -> new OnboardingException("no tenant " + id, null, null));
    if (s3 == null) {
      throw new OnboardingException("deleting a tenant's data needs an S3 client (Builder.s3) to empty its buckets",
          current, null);
    }
    Tenant offboarding = save(op, current.toBuilder().status(TenantStatus.OFFBOARDING).statusReason(null).build());
    try {
      TenantTemplates.Synthesized disposable;
      synchronized (SYNTH_LOCK) {
        disposable = TenantTemplates.synth(spec.disposable(), assemblyDirectory, progress);
      }
      if (!disposable.nagFindings().isEmpty()) {
        throw new StackDeploymentException(spec.stackName(), null, "cdk-nag: " + disposable.nagFindings().get(0), null);
      }
      StackDeployer.Result r = deployer.deploy(spec.stackName(), disposable.json(),
          Map.of("tenantkit:tenant", id.value(), "tenantkit:tier", spec.tier().name()));
      for (String output : new String[] {StackOutputs.BUCKET_NAME, StackOutputs.LOGS_BUCKET_NAME}) {
        String bucket = r.outputs().get(output);
        if (bucket != null) {
          progress.accept("emptying bucket " + bucket);
          dev.tenantkit.provision.internal.Buckets.empty(s3, bucket);
        }
      }
      deployer.destroy(spec.stackName());
    } catch (TenantKitException | SdkException e) {
      Tenant stuck = save(op, offboarding.toBuilder().statusReason(reason(e)).build());
      throw new OnboardingException("offboarding " + id + " failed; run it again to resume: " + e.getMessage(), stuck, e);
    }
    return save(op, offboarding.toBuilder().status(TenantStatus.OFFBOARDED).build());
  }

  private Tenant move(TenantId id, TenantStatus from, TenantStatus to, @Nullable String reason) {
    Op op = new Op();
    Tenant current = records.find(op, id).orElseThrow(() -> new OnboardingException("no tenant " + id, null, null));
    if (current.status() != from) {
      throw new OnboardingException("tenant " + id + " is " + current.status() + ", not " + from, current, null);
    }
    return save(op, current.toBuilder().status(to).statusReason(reason).build());
  }

  private Tenant save(Op op, Tenant tenant) {
    return records.save(op, tenant);
  }

  /**
   * One operation on one tenant (an onboarding, a suspension): the registry version it read and
   * wrote last, held by the operation, so two operations in one process on one tenant never
   * take each other's version (a second writer's change stays a conflict, never overwritten).
   */
  private static final class Op {
    @Nullable Long version;
  }

  /** Where the records live: a catalog (persisted by onChange) or the registry (conditional writes). */
  private interface Records {
    Optional<Tenant> find(Op op, TenantId id);

    Tenant save(Op op, Tenant tenant);
  }

  private static final class CatalogRecords implements Records {
    private final WritableTenantCatalog catalog;
    private final Consumer<WritableTenantCatalog> onChange;

    CatalogRecords(WritableTenantCatalog catalog, Consumer<WritableTenantCatalog> onChange) {
      this.catalog = catalog;
      this.onChange = onChange;
    }

    @Override
    public Optional<Tenant> find(Op op, TenantId id) {
      return catalog.find(id);
    }

    @Override
    public synchronized Tenant save(Op op, Tenant tenant) {
      // Synchronized: a batch saves from several threads, and onChange writes the whole catalog.
      catalog.put(tenant);
      onChange.accept(catalog);
      return tenant;
    }
  }

  /**
   * The registry: each save is conditional on the version this operation last read or wrote, so
   * an operator's change made meanwhile (a suspension, say) is never overwritten; the save fails
   * with a RegistryConflictException instead, and onboarding can be run again.
   */
  private static final class RegistryRecords implements Records {
    private final TenantRegistry registry;

    RegistryRecords(TenantRegistry registry) {
      this.registry = registry;
    }

    @Override
    public Optional<Tenant> find(Op op, TenantId id) {
      Optional<VersionedTenant> v = registry.get(id);
      op.version = v.map(VersionedTenant::version).orElse(null);
      return v.map(VersionedTenant::tenant);
    }

    @Override
    public Tenant save(Op op, Tenant tenant) {
      Long version = op.version;
      VersionedTenant written = version == null ? registry.create(tenant) : registry.replace(tenant, version);
      op.version = written.version();
      return tenant;
    }
  }

  private static String reason(Exception e) {
    return abbreviate(Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()));
  }

  private static String abbreviate(String m) {
    String flat = m.replaceAll("\\s+", " ");
    return flat.length() > 600 ? flat.substring(0, 600) + "..." : flat;
  }

  /** Builds a {@link TenantOnboarding}. */
  public static final class Builder {
    private @Nullable WritableTenantCatalog catalog;
    private @Nullable TenantRegistry registry;
    private @Nullable StackDeployer deployer;
    private @Nullable Preflight preflight;
    private Consumer<WritableTenantCatalog> onChange = c -> { };
    private Consumer<String> progress = line -> { };
    private software.amazon.awssdk.services.s3.@Nullable S3Client s3;
    private @Nullable Path assemblyDirectory;

    private Builder() {}

    /**
     * Where synthesis writes the cloud assembly (template, cdk-nag and validation reports), kept
     * for inspection; a temporary directory deleted when the JVM exits by default.
     */
    public Builder assemblyDirectory(@Nullable Path directory) {
      this.assemblyDirectory = directory;
      return this;
    }

    /** The S3 client that empties a tenant's buckets in {@link #offboardDeletingData}. */
    public Builder s3(software.amazon.awssdk.services.s3.S3Client s3) {
      this.s3 = Objects.requireNonNull(s3, "s3");
      return this;
    }

    /** Where the records live: a catalog (saved by {@link #onChange}), or {@link #registry}. One is required. */
    public Builder catalog(WritableTenantCatalog catalog) {
      this.catalog = catalog;
      return this;
    }

    /**
     * The tenant registry as the records' home: every transition is a conditional write on the
     * version onboarding last read, so a change another operator made meanwhile is never lost
     * (the save fails with a {@code RegistryConflictException}; run onboarding again).
     */
    public Builder registry(TenantRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** How stacks are deployed (required). */
    public Builder deployer(StackDeployer deployer) {
      this.deployer = deployer;
      return this;
    }

    /** Quota checks before a deployment, for what it adds; none when not set. */
    public Builder preflight(Preflight preflight) {
      this.preflight = preflight;
      return this;
    }

    /** Called after each record change, to persist the catalog (e.g. {@code TenantCatalog.writeFile}). */
    public Builder onChange(Consumer<WritableTenantCatalog> onChange) {
      this.onChange = Objects.requireNonNull(onChange, "onChange");
      return this;
    }

    /** Receives progress lines: synthesis steps, stack events, decisions. */
    public Builder progress(Consumer<String> progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    public TenantOnboarding build() {
      return new TenantOnboarding(this);
    }
  }
}
