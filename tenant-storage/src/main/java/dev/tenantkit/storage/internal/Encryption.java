package dev.tenantkit.storage.internal;

import dev.tenantkit.core.StorageConfig;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Server-side encryption from the tenant's record, the one place it is decided: SSE-KMS with the
 * tenant's key and bucket keys when the record names a key, SSE-S3 otherwise, nothing when
 * turned off (local stand-ins). Applied to every write: put, copy, multipart.
 */
final class Encryption {
  private final @Nullable ServerSideEncryption mode;
  private final @Nullable String kmsKeyArn;

  Encryption(StorageConfig config, boolean enabled) {
    this.kmsKeyArn = enabled ? config.kmsKeyArn() : null;
    this.mode = !enabled ? null : kmsKeyArn != null ? ServerSideEncryption.AWS_KMS : ServerSideEncryption.AES256;
  }

  PutObjectRequest.Builder apply(PutObjectRequest.Builder b) {
    return apply(b, PutObjectRequest.Builder::serverSideEncryption, PutObjectRequest.Builder::ssekmsKeyId,
        PutObjectRequest.Builder::bucketKeyEnabled);
  }

  CopyObjectRequest.Builder apply(CopyObjectRequest.Builder b) {
    return apply(b, CopyObjectRequest.Builder::serverSideEncryption, CopyObjectRequest.Builder::ssekmsKeyId,
        CopyObjectRequest.Builder::bucketKeyEnabled);
  }

  CreateMultipartUploadRequest.Builder apply(CreateMultipartUploadRequest.Builder b) {
    return apply(b, CreateMultipartUploadRequest.Builder::serverSideEncryption,
        CreateMultipartUploadRequest.Builder::ssekmsKeyId, CreateMultipartUploadRequest.Builder::bucketKeyEnabled);
  }

  // The request builders share no interface for these three settings.
  private <B> B apply(B b, BiConsumer<B, ServerSideEncryption> sse, BiConsumer<B, String> key,
      BiConsumer<B, Boolean> bucketKey) {
    if (mode != null) {
      sse.accept(b, mode);
      if (kmsKeyArn != null) {
        key.accept(b, kmsKeyArn);
        bucketKey.accept(b, true);
      }
    }
    return b;
  }
}
