package dev.tenantkit.storage.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

/**
 * A stream uploaded in parts of a fixed size; on any failure the upload is aborted, so nothing
 * half-written remains in the tenant's space.
 */
final class MultipartUpload {
  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final int partSize;
  private final UnaryOperator<AwsRequest.Builder> scoped;

  /** @param scoped applied to every request builder (the tenant's credentials, when scoped) */
  MultipartUpload(S3Client s3, String bucket, String absoluteKey, int partSize, UnaryOperator<AwsRequest.Builder> scoped) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = absoluteKey;
    this.partSize = partSize;
    this.scoped = scoped;
  }

  /** Uploads {@code first} (already read) and the rest of {@code rest}. */
  void run(CreateMultipartUploadRequest create, byte[] first, InputStream rest) throws IOException {
    String uploadId = s3.createMultipartUpload(create).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      byte[] pending = first;
      int partNumber = 1;
      while (true) {
        // Send full parts from what is buffered; keep the remainder with the next read.
        int offset = 0;
        while (pending.length - offset >= partSize) {
          parts.add(part(uploadId, partNumber++, pending, offset, partSize));
          offset += partSize;
        }
        byte[] next = rest.readNBytes(partSize);
        byte[] remainder = Arrays.copyOfRange(pending, offset, pending.length);
        if (next.length == 0) {
          if (remainder.length > 0) {
            parts.add(part(uploadId, partNumber, remainder, 0, remainder.length));
          }
          break;
        }
        pending = new byte[remainder.length + next.length];
        System.arraycopy(remainder, 0, pending, 0, remainder.length);
        System.arraycopy(next, 0, pending, remainder.length, next.length);
      }
      s3.completeMultipartUpload(r -> scoped.apply(r.bucket(bucket).key(key).uploadId(uploadId)
          .multipartUpload(m -> m.parts(parts))));
    } catch (IOException | RuntimeException e) {
      try {
        s3.abortMultipartUpload(r -> scoped.apply(r.bucket(bucket).key(key).uploadId(uploadId)));
      } catch (RuntimeException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }

  private CompletedPart part(String uploadId, int number, byte[] data, int offset, int length) {
    String eTag = s3.uploadPart(r -> scoped.apply(r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)),
        RequestBody.fromByteBuffer(ByteBuffer.wrap(data, offset, length))).eTag();
    return CompletedPart.builder().partNumber(number).eTag(eTag).build();
  }
}
