package dev.tenantkit.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.spi.Durations;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * Tenant-scoped AWS credentials: {@code AssumeRole} into the tenant's role (its storage record's
 * {@code roleArn}) with a session tag naming the tenant (for ABAC policies such as
 * {@code s3:prefix} = {@code tenants/${aws:PrincipalTag/TenantId}/*}) and, by default, a session
 * policy that allows only the tenant's storage ({@link SessionPolicies}).
 *
 * <p>AWS first: each tenant's provider is the SDK's {@code StsAssumeRoleCredentialsProvider},
 * which caches the credentials and refreshes them before they expire (5 minutes ahead by
 * default), so there is never one STS call per request. Give it to
 * {@link TenantStorageClient.Builder#credentials}: one S3 client then signs each tenant's requests
 * with that tenant's session, and no S3 client is kept per tenant.
 *
 * <p>Providers are kept per tenant (bounded by {@link Builder#maxTenants}, a Caffeine cache)
 * together with the storage section they were built from: when the tenant's record changes
 * (role, bucket, prefix, key), the next call builds a new provider with the new session policy.
 * A provider that is replaced or evicted is dropped, not closed: it holds no thread or connection
 * (no asynchronous refresh), and a request that still holds it completes with the session it
 * had.
 */
public final class TenantCredentials implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TenantCredentials.class);

  private final StsClient sts;
  private final String tagKey;
  private final boolean sessionPolicy;
  private final Duration sessionDuration;
  private final Duration prefetch;
  private final Cache<TenantId, Held> providers;

  /** A provider and the storage section it was built from. */
  private record Held(StorageConfig storage, StsAssumeRoleCredentialsProvider provider) {}

  private TenantCredentials(Builder b) {
    this.sts = Objects.requireNonNull(b.sts);
    this.tagKey = b.tagKey;
    this.sessionPolicy = b.sessionPolicy;
    this.sessionDuration = b.sessionDuration;
    this.prefetch = b.prefetch;
    this.providers = Caffeine.newBuilder().maximumSize(b.maxTenants).build();
  }

  /** A builder; the STS client is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The credentials provider of {@code tenant}: the cached one while the tenant's storage
   * section is the one it was built from, else a new one.
   *
   * @throws TenantConfigurationException when the tenant has no storage section or no role
   */
  public AwsCredentialsProvider forTenant(Tenant tenant) {
    StorageConfig storage = tenant.storage().orElseThrow(() ->
        new TenantConfigurationException("tenant " + tenant.id() + " has no storage section"));
    Held held = providers.getIfPresent(tenant.id());
    if (held != null && held.storage().equals(storage)) {
      return held.provider();
    }
    // compute, not put: two threads seeing a change at once build one provider between them.
    return providers.asMap().compute(tenant.id(), (id, current) ->
        current != null && current.storage().equals(storage) ? current
            : new Held(storage, newProvider(tenant, storage))).provider();
  }

  private StsAssumeRoleCredentialsProvider newProvider(Tenant tenant, StorageConfig storage) {
    String roleArn = storage.roleArn();
    if (roleArn == null) {
      throw new TenantConfigurationException("tenant " + tenant.id() + "'s storage has no roleArn to assume");
    }
    String policy = sessionPolicy ? SessionPolicies.forStorage(storage, roleArn) : null;
    LOG.debug("tenant credentials provider created tenant={} role={}", tenant.id(), roleArn);
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts)
        .prefetchTime(prefetch)
        .staleTime(Duration.ofMinutes(1))
        .refreshRequest(r -> {
          r.roleArn(roleArn).roleSessionName("tenantkit-" + tenant.id())
              .durationSeconds((int) sessionDuration.getSeconds())
              .tags(Tag.builder().key(tagKey).value(tenant.id().value()).build())
              .transitiveTagKeys(tagKey);
          if (policy != null) {
            r.policy(policy);
          }
        })
        .build();
  }

  /**
   * Drops every tenant's cached session now; each tenant's next {@link #forTenant} call assumes
   * its role again. After a SnapStart restore, so environments restored from one snapshot never
   * share a session (see {@code dev.tenantkit.core.lambda.SnapStartPriming}).
   */
  public void clear() {
    providers.invalidateAll();
  }

  /** Drops every provider. */
  @Override
  public void close() {
    providers.invalidateAll();
  }

  /** Builds {@link TenantCredentials}. */
  public static final class Builder {
    private @Nullable StsClient sts;
    private String tagKey = "TenantId";
    private boolean sessionPolicy = true;
    private Duration sessionDuration = Duration.ofHours(1);
    private Duration prefetch = Duration.ofMinutes(5);
    private int maxTenants = 1000;

    private Builder() {}

    /** The STS client. Required. */
    public Builder sts(StsClient sts) {
      this.sts = Objects.requireNonNull(sts, "sts");
      return this;
    }

    /** The session tag naming the tenant; {@code TenantId} by default (match your ABAC policies). */
    public Builder tagKey(String tagKey) {
      if (tagKey == null || !tagKey.matches("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}")) {
        throw new IllegalArgumentException("tagKey must be a valid IAM tag key of 1 to 128 characters");
      }
      this.tagKey = tagKey;
      return this;
    }

    /**
     * Whether a session policy limits the credentials to the tenant's storage; true by default.
     * Turn it off only when the role's own policy (ABAC on the tag) already does exactly that.
     */
    public Builder sessionPolicy(boolean enabled) {
      this.sessionPolicy = enabled;
      return this;
    }

    /** How long each assumed session lasts; 1 hour by default, 15 minutes to 12 hours. */
    public Builder sessionDuration(Duration duration) {
      this.sessionDuration = Durations.requireBetween("sessionDuration", duration, Duration.ofMinutes(15),
          Duration.ofHours(12));
      return this;
    }

    /**
     * How long before expiry credentials are refreshed; 5 minutes by default, 61 s to 14 minutes:
     * more than the 1-minute stale time these providers use (inside it a refresh blocks callers) and less
     * than the shortest session STS grants (15 minutes). Raise it when STS calls are slow or
     * throttled, so the refresh has time to succeed before callers see stale credentials.
     */
    public Builder refreshBefore(Duration prefetch) {
      this.prefetch = Durations.requireBetween("refreshBefore", prefetch, Duration.ofSeconds(61),
          Duration.ofMinutes(14));
      return this;
    }

    /** At most this many tenants' providers are kept; 1,000 by default. */
    public Builder maxTenants(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxTenants must be at least 1, was " + max);
      }
      this.maxTenants = max;
      return this;
    }

    /** Builds. */
    public TenantCredentials build() {
      if (sts == null) {
        throw new IllegalStateException("sts is required");
      }
      return new TenantCredentials(this);
    }
  }
}
