package dev.tenantkit.testkit;

import java.net.URI;
import java.util.Set;
import java.util.TreeSet;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An in-process S3 protocol server (S3Proxy with its transient, in-memory store) on loopback,
 * with an SDK client and presigner already set up for it. Needs {@code org.gaul:s3proxy} and
 * {@code software.amazon.awssdk:s3} on the test class path (optional dependencies of the testkit).
 *
 * <pre>{@code
 * try (LocalS3 s3 = LocalS3.start()) {
 *   s3.createBucket("tenantkit-shared");
 *   TenantStorageClient storage = TenantStorageClient.builder().s3Client(s3.client()).build();
 * }
 * }</pre>
 */
public final class LocalS3 implements AutoCloseable {
  /** The access key the server accepts. */
  public static final String ACCESS_KEY = "local-access";
  /** The secret key the server accepts (a local value, not a secret). */
  public static final String SECRET_KEY = "local-secret-not-real";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final S3Client client;
  private final S3Presigner presigner;
  private final URI endpoint;

  private LocalS3(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
    this.proxy = proxy;
    this.context = context;
    this.endpoint = endpoint;
    this.client = clientBuilder().build();
    this.presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
  }

  /** Starts a server on a free loopback port. */
  public static LocalS3 start() {
    BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
        .build(BlobStoreContext.class);
    S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        // DeleteObjects must carry a checksum and the SDK sends x-amz-checksum-crc32, which
        // S3Proxy 2.6.0 does not list as supported; this is S3Proxy's switch to accept it.
        .ignoreUnknownHeaders(true).build();
    try {
      proxy.start();
      while (!"STARTED".equals(proxy.getState())) {
        Thread.sleep(10);
      }
    } catch (Exception e) {
      context.close();
      throw new IllegalStateException("cannot start the local S3 server", e);
    }
    return new LocalS3(proxy, context, URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  /** Credentials the server accepts. */
  public static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * A client builder already set up for this server, for tests that add their own settings
   * (an interceptor, say): endpoint, credentials, path-style access, and checksums only when
   * required (otherwise S3Proxy refuses uploads with an x-amz-content-sha256 mismatch).
   */
  public S3ClientBuilder clientBuilder() {
    return clientBuilder(endpoint);
  }

  /**
   * A client builder set up for a LocalS3 server at {@code endpoint}, for a server started in
   * another process (a benchmark that keeps the server out of the measured JVM, say).
   */
  public static S3ClientBuilder clientBuilder(URI endpoint) {
    return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials())
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
  }

  /** An SDK client set up for this server. */
  public S3Client client() {
    return client;
  }

  /** A presigner set up for this server. */
  public S3Presigner presigner() {
    return presigner;
  }

  /** Creates a bucket. */
  public void createBucket(String name) {
    client.createBucket(b -> b.bucket(name));
  }

  /** Every key in {@code bucket}, listed with the raw client: the ground truth for isolation checks. */
  public Set<String> keys(String bucket) {
    Set<String> keys = new TreeSet<>();
    client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> keys.add(o.key()));
    return keys;
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the local S3 server", e);
    } finally {
      context.close();
    }
  }
}
