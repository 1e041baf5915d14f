package dev.tenantkit.storage;

import dev.tenantkit.core.StorageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * IAM session policies that allow only one tenant's storage: {@code s3:ListBucket} on its bucket
 * (with an {@code s3:prefix} condition in a shared bucket), object actions on its bucket or
 * {@code prefix/*}, and its KMS key when it has one. Passed with {@code AssumeRole}, they cap
 * whatever the role itself allows: the second wall behind the key checks.
 */
public final class SessionPolicies {
  /** STS's limit on a session policy's plaintext. */
  public static final int MAX_CHARS = 2048;

  private SessionPolicies() {}

  /**
   * The session policy for {@code storage}, in the partition of {@code roleArn}.
   *
   * @throws IllegalArgumentException when it would exceed {@link #MAX_CHARS}
   */
  public static String forStorage(StorageConfig storage, String roleArn) {
    String partition = roleArn.startsWith("arn:") ? roleArn.split(":", 3)[1] : "aws";
    List<String> statements = new ArrayList<>();
    String objects;
    switch (storage.layout()) {
      case BUCKET: {
        String bucket = "arn:" + partition + ":s3:::" + storage.bucket();
        statements.add(statement("TenantList", "\"s3:ListBucket\"", quote(bucket), null));
        objects = bucket + "/*";
        break;
      }
      case PREFIX: {
        String bucket = "arn:" + partition + ":s3:::" + storage.bucket();
        String prefix = Objects.requireNonNull(storage.prefix()); // required for PREFIX
        statements.add(statement("TenantList", "\"s3:ListBucket\"", quote(bucket),
            "{\"StringLike\":{\"s3:prefix\":[" + quote(prefix) + "," + quote(prefix + "*") + "]}}"));
        objects = bucket + "/" + prefix + "*";
        break;
      }
      case ACCESS_POINT: {
        String ap = Objects.requireNonNull(storage.accessPointArn()); // required for ACCESS_POINT
        statements.add(statement("TenantList", "\"s3:ListBucket\"", quote(ap), null));
        objects = ap + "/object/*";
        break;
      }
      default:
        throw new AssertionError(storage.layout());
    }
    statements.add(statement("TenantObjects",
        "[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\",\"s3:AbortMultipartUpload\",\"s3:ListMultipartUploadParts\"]",
        quote(objects), null));
    String kmsKey = storage.kmsKeyArn();
    if (kmsKey != null) {
      statements.add(statement("TenantKey", "[\"kms:Decrypt\",\"kms:GenerateDataKey\"]", quote(kmsKey), null));
    }
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    if (policy.length() > MAX_CHARS) {
      throw new IllegalArgumentException("session policy is " + policy.length() + " characters; STS allows "
          + MAX_CHARS + " (shorten the bucket or prefix)");
    }
    return policy;
  }

  private static String statement(String sid, String actions, String resource, @Nullable String condition) {
    return "{\"Sid\":\"" + sid + "\",\"Effect\":\"Allow\",\"Action\":" + actions + ",\"Resource\":" + resource
        + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
  }

  // Bucket names, prefixes and ARNs are validated by the tenant record: no quote or backslash.
  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
