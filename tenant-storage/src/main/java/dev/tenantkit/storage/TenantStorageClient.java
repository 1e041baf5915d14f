package dev.tenantkit.storage;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.spi.Durations;
import dev.tenantkit.storage.internal.ContinuationTokens;
import dev.tenantkit.storage.internal.DefaultTenantStorage;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Hands out tenant-scoped {@link TenantStorage} views, laid out from each tenant's storage
 * record (bucket per tenant, prefix of a shared bucket, or access point).
 *
 * <pre>{@code
 * TenantStorageClient storage = TenantStorageClient.builder()
 *     .s3Client(s3).presigner(presigner)
 *     .build();
 * storage.current().put("invoices/7.pdf", bytes, PutOptions.contentType("application/pdf"));
 * }</pre>
 *
 * <p>For the second wall (IAM), give every request the tenant's scoped credentials with
 * {@link Builder#credentials(TenantCredentials)}: one S3 client and presigner serve every tenant,
 * each request signed with its tenant's session.
 *
 * <p>Continuation tokens of listings are bound to the tenant and the listing with
 * {@link Builder#continuationTokenKeys}; configure keys every instance shares, or a listing's
 * next page fails on another instance (see {@link ContinuationTokenKeys}).
 */
public interface TenantStorageClient {

  /** A builder; an S3 client (or a per-tenant factory) is required. */
  static Builder builder() {
    return new Builder();
  }

  /** The view of the tenant in the current {@link TenantContext} scope. */
  default TenantStorage current() {
    return forTenant(TenantContext.require());
  }

  /** The view of {@code tenant}: for control-plane code that names the tenant explicitly. */
  TenantStorage forTenant(Tenant tenant);

  /** Builds a {@link TenantStorageClient}. */
  final class Builder {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TenantStorageClient.class);
    private @Nullable Function<Tenant, S3Client> s3Clients;
    private @Nullable Function<Tenant, S3Presigner> presigners;
    private long multipartThresholdBytes = 16L * 1024 * 1024;
    private int partSizeBytes = 8 * 1024 * 1024;
    private Duration defaultPresignTtl = Duration.ofMinutes(5);
    private Duration maxPresignTtl = Duration.ofHours(1);
    private boolean serverSideEncryption = true;
    private @Nullable Function<Tenant, AwsCredentialsProvider> credentials;
    private @Nullable ContinuationTokenKeys tokenKeys;

    private Builder() {}

    /** One S3 client for every tenant (its credentials must reach every tenant's space). */
    public Builder s3Client(S3Client s3) {
      Objects.requireNonNull(s3, "s3");
      this.s3Clients = t -> s3;
      return this;
    }

    /**
     * A client per tenant, built and closed by you (a client per Region or account, say). For
     * tenant-scoped credentials use {@link #credentials(TenantCredentials)} with one client.
     */
    public Builder s3Clients(Function<Tenant, S3Client> s3Clients) {
      this.s3Clients = Objects.requireNonNull(s3Clients, "s3Clients");
      return this;
    }

    /**
     * Signs every request (and presigned URL) of a tenant's view with that tenant's scoped
     * credentials ({@code AssumeRole} with its session tag and policy), instead of the client's
     * own. The second wall: a bug that built a key of another tenant still fails at IAM.
     */
    public Builder credentials(TenantCredentials credentials) {
      Objects.requireNonNull(credentials, "credentials");
      this.credentials = credentials::forTenant;
      return this;
    }

    /**
     * The keys that bind continuation tokens to the tenant and the listing; without them a key
     * is generated per process and a listing's next page fails (refused, never another tenant's
     * data) when it lands on another instance. Give every instance the same keys.
     */
    public Builder continuationTokenKeys(ContinuationTokenKeys keys) {
      this.tokenKeys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /** One presigner for every tenant. Without one, presigning is refused. */
    public Builder presigner(S3Presigner presigner) {
      Objects.requireNonNull(presigner, "presigner");
      this.presigners = t -> presigner;
      return this;
    }

    /** A presigner per tenant (with that tenant's scoped credentials). */
    public Builder presigners(Function<Tenant, S3Presigner> presigners) {
      this.presigners = Objects.requireNonNull(presigners, "presigners");
      return this;
    }

    /**
     * Streams longer than this are uploaded in parts; 16 MiB by default. Lower it to start
     * uploading large streams sooner; at least 5 MiB (S3's minimum part size).
     */
    public Builder multipartThresholdBytes(long bytes) {
      if (bytes < 5L * 1024 * 1024) {
        throw new IllegalArgumentException("multipartThresholdBytes must be at least 5 MiB, was " + bytes);
      }
      this.multipartThresholdBytes = bytes;
      return this;
    }

    /** Part size of multipart uploads; 8 MiB by default, 5 MiB to 512 MiB. */
    public Builder partSizeBytes(int bytes) {
      if (bytes < 5 * 1024 * 1024 || bytes > 512 * 1024 * 1024) {
        throw new IllegalArgumentException("partSizeBytes must be 5 MiB to 512 MiB, was " + bytes);
      }
      this.partSizeBytes = bytes;
      return this;
    }

    /**
     * Lifetime of presigned URLs when the caller does not ask for one; 5 minutes by default, 1 s
     * to 7 days (S3's limit, and a signature's expiry is counted in whole seconds), and at most
     * {@link #maxPresignTtl} (checked by {@link #build}).
     */
    public Builder defaultPresignTtl(Duration ttl) {
      this.defaultPresignTtl = Durations.requireBetween("defaultPresignTtl", ttl, Duration.ofSeconds(1),
          Duration.ofDays(7));
      return this;
    }

    /**
     * The longest lifetime a presigned URL may get; 1 hour by default, at most 7 days (S3's
     * limit). A request for longer is refused, not shortened.
     */
    public Builder maxPresignTtl(Duration ttl) {
      this.maxPresignTtl = Durations.requireBetween("maxPresignTtl", ttl, Duration.ofSeconds(1), Duration.ofDays(7));
      return this;
    }

    /**
     * Whether writes ask for server-side encryption from the tenant record (SSE-KMS with its key
     * and bucket keys, or SSE-S3); true by default. Turn it off only for local S3 stand-ins that
     * do not implement it; buckets should also enforce encryption by default.
     */
    public Builder serverSideEncryption(boolean enabled) {
      this.serverSideEncryption = enabled;
      return this;
    }

    /** Validates and builds. */
    public TenantStorageClient build() {
      if (s3Clients == null) {
        throw new IllegalStateException("an S3 client (s3Client or s3Clients) is required");
      }
      if (defaultPresignTtl.compareTo(maxPresignTtl) > 0) {
        throw new IllegalStateException("defaultPresignTtl (" + Durations.words(defaultPresignTtl)
            + ") must be at most maxPresignTtl (" + Durations.words(maxPresignTtl) + ")");
      }
      ContinuationTokens tokens = ContinuationTokens.from(tokenKeys);
      if (tokens.isGenerated()) {
        LOG.info("no continuationTokenKeys configured: listing tokens are valid on this instance only; "
            + "configure keys every instance shares when listings page behind a load balancer");
      }
      DefaultTenantStorage.Settings settings = new DefaultTenantStorage.Settings(s3Clients, presigners, credentials,
          multipartThresholdBytes, partSizeBytes, defaultPresignTtl, maxPresignTtl, serverSideEncryption, tokens);
      return tenant -> DefaultTenantStorage.of(tenant, settings);
    }
  }
}
