package dev.tenantkit.provision.internal;

import dev.tenantkit.provision.TenantStackSpec;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import org.jspecify.annotations.Nullable;
import software.constructs.Construct;

/**
 * The tenant's data bucket (all public access blocked, SSE-S3 or SSE-KMS with the tenant's own
 * key and bucket keys, versioned, TLS only, server access logs) and the logs bucket that receives
 * its access logs and the ALB's.
 */
public final class TenantBucket extends Construct {
  private final Bucket data;
  private final Bucket logs;
  private final @Nullable Key key;

  public TenantBucket(Construct scope, String id, TenantStackSpec spec) {
    super(scope, id);
    // ALB access logs support SSE-S3 only, so the logs bucket uses it on every tier.
    this.logs = Bucket.Builder.create(this, "Logs")
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .encryption(BucketEncryption.S3_MANAGED)
        .enforceSsl(true)
        .versioned(true)
        .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
        .lifecycleRules(java.util.List.of(software.amazon.awscdk.services.s3.LifecycleRule.builder()
            .expiration(Duration.days(365)).noncurrentVersionExpiration(Duration.days(30)).build()))
        .removalPolicy(spec.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
        .build();
    Nag.suppress(logs, "AwsSolutions-S1", "This is the access-log destination itself; logging it to "
        + "itself would loop, and S3 server access logs of a log bucket add no audit value.");

    Bucket.Builder data = Bucket.Builder.create(this, "Data")
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        .versioned(true)
        .serverAccessLogsBucket(logs)
        .serverAccessLogsPrefix("s3/data/")
        .removalPolicy(spec.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
    if (spec.tier().kmsBucketEncryption()) {
      this.key = Key.Builder.create(this, "Key")
          .description("TenantKit data key of tenant " + spec.tenantId())
          .enableKeyRotation(true)
          .removalPolicy(spec.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
          .build();
      data.encryption(BucketEncryption.KMS).encryptionKey(key).bucketKeyEnabled(true);
    } else {
      this.key = null;
      data.encryption(BucketEncryption.S3_MANAGED).bucketKeyEnabled(true);
    }
    this.data = data.build();
  }

  public Bucket data() {
    return data;
  }

  public Bucket logs() {
    return logs;
  }

  /** The tenant's KMS key, or null on tiers with SSE-S3. */
  public @Nullable Key key() {
    return key;
  }
}
