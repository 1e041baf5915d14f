package dev.tenantkit.core;

import dev.tenantkit.core.internal.Checks;
import dev.tenantkit.core.internal.SafeText;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where the tenant's objects live in S3.
 *
 * @param layout bucket per tenant, prefix in a shared bucket, or an access point per tenant
 * @param bucket the bucket (the tenant's own, or the shared one)
 * @param prefix the tenant's prefix in a shared bucket, ending in {@code /}, e.g. {@code tenants/acme/}
 * @param accessPointArn the tenant's S3 access point, for {@link StorageLayout#ACCESS_POINT}
 * @param region the bucket's Region
 * @param kmsKeyArn the tenant's KMS key for SSE-KMS; absent means SSE-S3
 * @param roleArn the role assumed (with the tenant's session tags) to reach this storage
 */
public record StorageConfig(
    StorageLayout layout,
    @Nullable String bucket,
    @Nullable String prefix,
    @Nullable String accessPointArn,
    @Nullable String region,
    @Nullable String kmsKeyArn,
    @Nullable String roleArn) {

  // S3 general purpose bucket names: 3-63 of a-z 0-9 . -, letter or digit at both ends.
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");
  private static final Pattern IP_LIKE = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9_\\-=]+/)+");

  /** Validates the fields the layout needs. */
  public StorageConfig {
    if (layout == null) {
      throw new InvalidTenantRecordException("layout", "is required (BUCKET, PREFIX or ACCESS_POINT)");
    }
    if (bucket != null && (!BUCKET.matcher(bucket).matches() || IP_LIKE.matcher(bucket).matches()
        || bucket.contains(".."))) {
      throw new InvalidTenantRecordException("bucket",
          "must be a valid S3 bucket name: 3 to 63 lowercase letters, digits, '.' or '-' (was "
              + SafeText.quote(bucket) + ")");
    }
    Checks.matches(prefix, PREFIX, "prefix",
        "must be one or more segments of letters, digits, '_', '-' or '=', each ending in '/', "
            + "e.g. tenants/acme/");
    Checks.arn(accessPointArn, "accessPointArn");
    Checks.region(region, "region");
    Checks.arn(kmsKeyArn, "kmsKeyArn");
    Checks.arn(roleArn, "roleArn");
    switch (layout) {
      case BUCKET:
        Checks.required(bucket, "bucket");
        if (prefix != null) {
          throw new InvalidTenantRecordException("prefix", "is not used with layout BUCKET");
        }
        break;
      case PREFIX:
        Checks.required(bucket, "bucket");
        Checks.required(prefix, "prefix");
        break;
      case ACCESS_POINT:
        Checks.required(accessPointArn, "accessPointArn");
        break;
      default:
        throw new AssertionError(layout);
    }
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder().layout(layout).bucket(bucket).prefix(prefix).accessPointArn(accessPointArn)
        .region(region).kmsKeyArn(kmsKeyArn).roleArn(roleArn);
  }

  /** How a tenant's objects are separated from other tenants'. */
  public enum StorageLayout {
    /** The tenant's own bucket (silo). */
    BUCKET,
    /** A prefix of a shared bucket (pool); IAM session policies are the second wall. */
    PREFIX,
    /** An S3 access point per tenant over a shared bucket. */
    ACCESS_POINT
  }

  /** Builds a {@link StorageConfig}. */
  public static final class Builder {
    private @Nullable StorageLayout layout;
    private @Nullable String bucket;
    private @Nullable String prefix;
    private @Nullable String accessPointArn;
    private @Nullable String region;
    private @Nullable String kmsKeyArn;
    private @Nullable String roleArn;

    private Builder() {}

    /** The layout; decides which of the other fields are required. */
    public Builder layout(@Nullable StorageLayout layout) {
      this.layout = layout;
      return this;
    }

    /** The bucket name. */
    public Builder bucket(@Nullable String bucket) {
      this.bucket = bucket;
      return this;
    }

    /** The tenant prefix in a shared bucket, ending in '/'. */
    public Builder prefix(@Nullable String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** The tenant's access point ARN. */
    public Builder accessPointArn(@Nullable String accessPointArn) {
      this.accessPointArn = accessPointArn;
      return this;
    }

    /** The bucket's Region. */
    public Builder region(@Nullable String region) {
      this.region = region;
      return this;
    }

    /** The tenant's KMS key; set it to encrypt with SSE-KMS instead of SSE-S3. */
    public Builder kmsKeyArn(@Nullable String kmsKeyArn) {
      this.kmsKeyArn = kmsKeyArn;
      return this;
    }

    /** The role assumed for tenant-scoped credentials. */
    public Builder roleArn(@Nullable String roleArn) {
      this.roleArn = roleArn;
      return this;
    }

    /** Validates and builds. */
    public StorageConfig build() {
      if (layout == null) {
        throw new InvalidTenantRecordException("layout", "is required (BUCKET, PREFIX or ACCESS_POINT)");
      }
      return new StorageConfig(layout, bucket, prefix, accessPointArn, region, kmsKeyArn, roleArn);
    }
  }
}
