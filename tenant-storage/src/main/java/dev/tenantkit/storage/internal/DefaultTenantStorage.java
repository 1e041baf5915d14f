package dev.tenantkit.storage.internal;

import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.spi.Durations;
import dev.tenantkit.storage.ListPage;
import dev.tenantkit.storage.ObjectInfo;
import dev.tenantkit.storage.ObjectKeys;
import dev.tenantkit.storage.PresignedUpload;
import dev.tenantkit.storage.PutOptions;
import dev.tenantkit.storage.StorageException;
import dev.tenantkit.storage.TenantStorage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * One tenant's view: each operation checks the key, adds the prefix, scopes the request to the
 * tenant's credentials when configured, and maps S3's errors. Encryption ({@link Encryption}),
 * multipart uploads ({@link MultipartUpload}), continuation tokens ({@link ContinuationTokens})
 * and error mapping ({@link S3Errors}) each live in their own class. Cheap to create (a few
 * fields), so views are not cached.
 */
public final class DefaultTenantStorage implements TenantStorage {

  /** What the builder collected. */
  public record Settings(Function<Tenant, S3Client> s3Clients, @Nullable Function<Tenant, S3Presigner> presigners,
      @Nullable Function<Tenant, AwsCredentialsProvider> credentials, long multipartThresholdBytes,
      int partSizeBytes, Duration defaultPresignTtl, Duration maxPresignTtl, boolean serverSideEncryption,
      ContinuationTokens tokens) {}

  private final TenantId tenantId;
  private final String bucket;
  private final String prefix;
  private final int prefixBytes;
  private final S3Client s3;
  private final Tenant tenant;
  private final Settings settings;
  private final Encryption encryption;
  // The tenant's scoped credentials on every request, or null to use the client's own.
  private final @Nullable AwsRequestOverrideConfiguration scope;

  private DefaultTenantStorage(Tenant tenant, StorageConfig config, String bucket, String prefix, Settings settings) {
    this.tenant = tenant;
    this.tenantId = tenant.id();
    this.bucket = bucket;
    this.prefix = prefix;
    this.prefixBytes = prefix.getBytes(StandardCharsets.UTF_8).length;
    this.settings = settings;
    this.s3 = settings.s3Clients().apply(tenant);
    this.encryption = new Encryption(config, settings.serverSideEncryption());
    this.scope = settings.credentials() == null ? null
        : AwsRequestOverrideConfiguration.builder().credentialsProvider(settings.credentials().apply(tenant)).build();
  }

  /** The view for {@code tenant}, laid out from its storage record. */
  public static TenantStorage of(Tenant tenant, Settings settings) {
    StorageConfig config = tenant.storage().orElseThrow(() ->
        new TenantConfigurationException("tenant " + tenant.id() + " has no storage section"));
    switch (config.layout()) {
      // Each layout's fields are required by StorageConfig for that layout.
      case BUCKET:
        return new DefaultTenantStorage(tenant, config, Objects.requireNonNull(config.bucket()), "", settings);
      case PREFIX:
        return new DefaultTenantStorage(tenant, config, Objects.requireNonNull(config.bucket()),
            Objects.requireNonNull(config.prefix()), settings);
      case ACCESS_POINT:
        return new DefaultTenantStorage(tenant, config, Objects.requireNonNull(config.accessPointArn()), "",
            settings);
      default:
        throw new AssertionError(config.layout());
    }
  }

  /** Puts the tenant's credentials on a request, when scoped credentials are configured. */
  private <B extends AwsRequest.Builder> B scoped(B b) {
    if (scope != null) {
      b.overrideConfiguration(scope);
    }
    return b;
  }

  @Override
  public TenantId tenantId() {
    return tenantId;
  }

  /** The absolute key for a checked relative key: the one place the prefix is added. */
  private String full(String key) {
    if (key == null) {
      throw new IllegalArgumentException("key is required");
    }
    ObjectKeys.check(key, prefixBytes);
    return prefix + key;
  }

  /** The relative key of an absolute key S3 returned; outside the prefix is a violation. */
  private String relative(String absolute) {
    if (!absolute.startsWith(prefix) || absolute.length() == prefix.length()) {
      throw new StorageException.IsolationViolation("S3 returned a key outside tenant " + tenantId
          + "'s space; check the bucket's policies and layout");
    }
    return absolute.substring(prefix.length());
  }

  private PutObjectRequest.Builder putRequest(String absolute, PutOptions options) {
    PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(absolute).metadata(options.metadata());
    if (options.contentType() != null) {
      b.contentType(options.contentType());
    }
    return scoped(encryption.apply(b));
  }

  private StorageException failure(String operation, S3Exception e) {
    return S3Errors.failure(tenantId, operation, e);
  }

  @Override
  public void put(String key, byte[] bytes, PutOptions options) {
    String absolute = full(key);
    try {
      s3.putObject(putRequest(absolute, options).build(), RequestBody.fromBytes(bytes));
    } catch (SdkClientException e) {
      throw S3Errors.unreachable(tenantId, "put", e);
    } catch (S3Exception e) {
      throw failure("put", e);
    }
  }

  @Override
  public void put(String key, Path file, PutOptions options) {
    String absolute = full(key);
    try {
      s3.putObject(putRequest(absolute, options).build(), RequestBody.fromFile(file));
    } catch (SdkClientException e) {
      throw S3Errors.unreachable(tenantId, "put", e);
    } catch (S3Exception e) {
      throw failure("put", e);
    }
  }

  @Override
  public void put(String key, InputStream content, PutOptions options) {
    String absolute = full(key);
    try {
      byte[] first = content.readNBytes((int) Math.min(settings.multipartThresholdBytes(), Integer.MAX_VALUE - 8));
      if (first.length < settings.multipartThresholdBytes()) {
        s3.putObject(putRequest(absolute, options).build(), RequestBody.fromBytes(first));
        return;
      }
      multipart(absolute, options, first, content);
    } catch (IOException e) {
      throw new StorageException("reading the upload for tenant " + tenantId + " failed", e);
    } catch (SdkClientException e) {
      throw S3Errors.unreachable(tenantId, "put", e);
    } catch (S3Exception e) {
      throw failure("put", e);
    }
  }

  private void multipart(String absolute, PutOptions options, byte[] first, InputStream rest) throws IOException {
    CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket).key(absolute)
        .metadata(options.metadata()).contentType(options.contentType());
    new MultipartUpload(s3, bucket, absolute, settings.partSizeBytes(), this::scoped)
        .run(scoped(encryption.apply(create)).build(), first, rest);
  }

  @Override
  public void create(String key, byte[] bytes, PutOptions options) {
    String absolute = full(key);
    try {
      s3.putObject(putRequest(absolute, options).ifNoneMatch("*").build(), RequestBody.fromBytes(bytes));
    } catch (SdkClientException e) {
      throw S3Errors.unreachable(tenantId, "create", e);
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        throw new StorageException.AlreadyExists(key);
      }
      throw failure("create", e);
    }
  }

  @Override
  public byte[] get(String key) {
    return read(key, null);
  }

  @Override
  public byte[] getRange(String key, long first, long last) {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("range must satisfy 0 <= first <= last, was " + first + ".." + last);
    }
    return read(key, "bytes=" + first + "-" + last);
  }

  private byte[] read(String key, @Nullable String range) {
    String absolute = full(key);
    try {
      GetObjectRequest.Builder b = scoped(GetObjectRequest.builder().bucket(bucket).key(absolute));
      if (range != null) {
        b.range(range);
      }
      ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b.build());
      return bytes.asByteArray();
    } catch (SdkClientException e) {
      throw S3Errors.unreachable(tenantId, "get", e);
    } catch (S3Exception e) {
      if (S3Errors.isNotFound(e)) {
        throw new StorageException.NotFound(key);
      }
      throw failure("get", e);
    }
  }

  @Override
  public InputStream open(String key) {
    String absolute = full(key);
    try {
      return s3.getObject(r -> scoped(r.bucket(bucket).key(absolute)));
    } catch (SdkClientException e) {
      throw S3Errors.unreachable(tenantId, "get", e);
    } catch (S3Exception e) {
      if (S3Errors.isNotFound(e)) {
        throw new StorageException.NotFound(key);
      }
      throw failure("get", e);
    }
  }

  @Override
  public Optional<ObjectInfo> head(String key) {
    String absolute = full(key);
    try {
      HeadObjectResponse h = s3.headObject(r -> scoped(r.bucket(bucket).key(absolute)));
      return Optional.of(new ObjectInfo(key, h.contentLength(), h.eTag(), h.lastModified(), h.contentType(), h.metadata()));
    } catch (SdkClientException e) {
      throw S3Errors.unreachable(tenantId, "head", e);
    } catch (S3Exception e) {
      if (S3Errors.isNotFound(e)) {
        return Optional.empty();
      }
      throw failure("head", e);
    }
  }

  @Override
  public ListPage list(String relativePrefix, @Nullable String delimiter, int maxKeys, @Nullable String token) {
    if (maxKeys < 1 || maxKeys > 1000) {
      throw new IllegalArgumentException("maxKeys must be 1 to 1000, was " + maxKeys);
    }
    String rel = relativePrefix == null ? "" : relativePrefix;
    if (!rel.isEmpty()) {
      // A listing prefix may end with '/' ("docs/"); the rest must be a valid key.
      ObjectKeys.check(rel.endsWith("/") ? rel.substring(0, rel.length() - 1) : rel, prefixBytes);
    }
    if (delimiter != null && !delimiter.equals("/")) {
      throw new IllegalArgumentException("the only supported delimiter is '/'");
    }
    String absolutePrefix = prefix + rel;
    String listing = tenantId + "\u0000" + bucket + "\u0000" + absolutePrefix + "\u0000" + delimiter;
    String s3Token = token == null ? null : settings.tokens().unwrap(token, listing, tenantId);
    try {
      ListObjectsV2Response r = s3.listObjectsV2(b -> scoped(b.bucket(bucket).prefix(absolutePrefix).delimiter(delimiter)
          .maxKeys(maxKeys).continuationToken(s3Token)));
      List<ObjectInfo> objects = new ArrayList<>(r.contents().size());
      for (S3Object o : r.contents()) {
        objects.add(new ObjectInfo(relative(o.key()), o.size(), o.eTag(), o.lastModified(), null, java.util.Map.of()));
      }
      List<String> prefixes = new ArrayList<>(r.commonPrefixes().size());
      for (CommonPrefix p : r.commonPrefixes()) {
        prefixes.add(relative(p.prefix()));
      }
      String next = Boolean.TRUE.equals(r.isTruncated()) && r.nextContinuationToken() != null
          ? settings.tokens().wrap(r.nextContinuationToken(), listing) : null;
      return new ListPage(objects, prefixes, next);
    } catch (SdkClientException e) {
      throw S3Errors.unreachable(tenantId, "list", e);
    } catch (S3Exception e) {
      throw failure("list", e);
    }
  }

  @Override
  public void delete(String key) {
    String absolute = full(key);
    try {
      s3.deleteObject(r -> scoped(r.bucket(bucket).key(absolute)));
    } catch (SdkClientException e) {
      throw S3Errors.unreachable(tenantId, "delete", e);
    } catch (S3Exception e) {
      throw failure("delete", e);
    }
  }

  @Override
  public void delete(Collection<String> keys) {
    List<ObjectIdentifier> ids = new ArrayList<>(keys.size());
    for (String key : keys) {
      ids.add(ObjectIdentifier.builder().key(full(key)).build()); // all checked before any request
    }
    try {
      for (int i = 0; i < ids.size(); i += 1000) {
        List<ObjectIdentifier> batch = ids.subList(i, Math.min(ids.size(), i + 1000));
        DeleteObjectsResponse r = s3.deleteObjects(b -> scoped(b.bucket(bucket).delete(d -> d.objects(batch).quiet(true))));
        if (r.hasErrors() && !r.errors().isEmpty()) {
          throw new StorageException("S3 batch delete failed for tenant " + tenantId + " on " + r.errors().size()
              + " object(s): " + r.errors().get(0).code(), null);
        }
      }
    } catch (SdkClientException e) {
      throw S3Errors.unreachable(tenantId, "delete", e);
    } catch (S3Exception e) {
      throw failure("delete", e);
    }
  }

  @Override
  public void copy(String sourceKey, String destinationKey) {
    String from = full(sourceKey);
    String to = full(destinationKey);
    CopyObjectRequest.Builder b = CopyObjectRequest.builder().sourceBucket(bucket).sourceKey(from)
        .destinationBucket(bucket).destinationKey(to);
    try {
      s3.copyObject(scoped(encryption.apply(b)).build());
    } catch (SdkClientException e) {
      throw S3Errors.unreachable(tenantId, "copy", e);
    } catch (S3Exception e) {
      if (S3Errors.isNotFound(e)) {
        throw new StorageException.NotFound(sourceKey);
      }
      throw failure("copy", e);
    }
  }

  private S3Presigner presigner() {
    if (settings.presigners() == null) {
      throw new TenantConfigurationException("presigning needs a presigner: TenantStorageClient.builder().presigner(...)");
    }
    return settings.presigners().apply(tenant);
  }

  private Duration ttl(@Nullable Duration requested) {
    // A request for longer than the maximum is refused, not shortened; below 1 s the signature's
    // whole-second expiry would round it to nothing.
    return requested == null ? settings.defaultPresignTtl()
        : Durations.requireBetween("presigned URL lifetime", requested, Duration.ofSeconds(1),
            settings.maxPresignTtl());
  }

  @Override
  public URL presignGet(String key, Duration ttl) {
    String absolute = full(key);
    Duration d = ttl(ttl);
    return presigner().presignGetObject(r -> r.signatureDuration(d)
        .getObjectRequest(g -> scoped(g.bucket(bucket).key(absolute)))).url();
  }

  @Override
  public PresignedUpload presignPut(String key, Duration ttl, @Nullable String contentType) {
    String absolute = full(key);
    Duration d = ttl(ttl);
    PutObjectRequest put = putRequest(absolute, contentType == null ? PutOptions.none() : PutOptions.contentType(contentType))
        .build();
    PresignedPutObjectRequest presigned = presigner().presignPutObject(r -> r.signatureDuration(d).putObjectRequest(put));
    // Signed headers the uploader must send; Host is set by any HTTP client from the URL.
    java.util.Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    presigned.signedHeaders().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host") && !values.isEmpty()) {
        headers.put(name, String.join(",", values));
      }
    });
    return new PresignedUpload(presigned.url(), headers);
  }
}
