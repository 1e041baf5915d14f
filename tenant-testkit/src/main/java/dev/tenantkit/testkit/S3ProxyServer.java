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
 * What {@link LocalS3} does with {@code org.gaul:s3proxy} and {@code software.amazon.awssdk:s3}
 * (optional dependencies of the testkit), in a class of its own: LocalS3 checks both are there
 * before it loads this one (see {@link OptionalDependencies}), and only hands on what this
 * returns, so LocalS3 itself links without them.
 */
final class S3ProxyServer implements AutoCloseable {
  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final S3Client client;
  private final S3Presigner presigner;
  private final URI endpoint;

  private S3ProxyServer(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
    this.proxy = proxy;
    this.context = context;
    this.endpoint = endpoint;
    this.client = clientBuilder(endpoint).build();
    this.presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
  }

  static S3ProxyServer start() {
    BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
        .build(BlobStoreContext.class);
    S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)
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
    return new S3ProxyServer(proxy, context, URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY));
  }

  static S3ClientBuilder clientBuilder(URI endpoint) {
    return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials())
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
  }

  URI endpoint() {
    return endpoint;
  }

  S3Client client() {
    return client;
  }

  S3Presigner presigner() {
    return presigner;
  }

  void createBucket(String name) {
    client.createBucket(b -> b.bucket(name));
  }

  Set<String> keys(String bucket) {
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
