package dev.tenantkit.provision.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Empties a versioned bucket (every version and delete marker), so CloudFormation can delete it. */
public final class Buckets {
  private Buckets() {}

  public static void empty(S3Client s3, String bucket) {
    @Nullable String keyMarker = null;
    @Nullable String versionMarker = null;
    try {
      while (true) {
        String km = keyMarker;
        String vm = versionMarker;
        ListObjectVersionsResponse page = s3.listObjectVersions(b -> b.bucket(bucket).keyMarker(km).versionIdMarker(vm));
        List<ObjectIdentifier> ids = new ArrayList<>();
        page.versions().forEach(v -> ids.add(ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
        page.deleteMarkers().forEach(m -> ids.add(ObjectIdentifier.builder().key(m.key()).versionId(m.versionId()).build()));
        for (int i = 0; i < ids.size(); i += 1000) {
          List<ObjectIdentifier> batch = ids.subList(i, Math.min(ids.size(), i + 1000));
          s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
        }
        if (!Boolean.TRUE.equals(page.isTruncated())) {
          return;
        }
        keyMarker = page.nextKeyMarker();
        versionMarker = page.nextVersionIdMarker();
      }
    } catch (NoSuchBucketException e) {
      // already gone
    } catch (S3Exception e) {
      if (e.statusCode() != 501) {
        throw e;
      }
      // An S3-compatible store without versioning (S3Proxy, the local stand-in) answers 501 to
      // ListObjectVersions: it has only current objects, so deleting those empties it.
      emptyUnversioned(s3, bucket);
    }
  }

  private static void emptyUnversioned(S3Client s3, String bucket) {
    s3.listObjectsV2Paginator(b -> b.bucket(bucket)).forEach(page -> {
      List<ObjectIdentifier> ids = page.contents().stream().map(o -> ObjectIdentifier.builder().key(o.key()).build())
          .toList();
      if (!ids.isEmpty()) {
        s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
      }
    });
  }
}
