package dev.tenantkit.storage;

import java.net.URI;
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
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** S3Proxy in-process with the transient store: a real S3 protocol server on loopback. */
final class S3Fixture implements AutoCloseable {
  static final String ACCESS = "local-access";
  static final String SECRET = "local-secret-not-real";
  final S3Proxy proxy;
  final BlobStoreContext context;
  final S3Client s3;
  final S3Presigner presigner;
  final URI endpoint;

  S3Fixture() throws Exception {
    context = ContextBuilder.newBuilder("transient").credentials("identity", "credential").build(BlobStoreContext.class);
    proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
        // DeleteObjects must carry a checksum and the SDK sends x-amz-checksum-crc32, which
        // S3Proxy 2.6.0 does not list as supported; this is S3Proxy's switch to accept it.
        .ignoreUnknownHeaders(true).build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) {
      Thread.sleep(10);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET));
    // As DESIGN.md says: checksums only when required and path-style, or S3Proxy refuses uploads.
    s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
    presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
  }

  void createBucket(String name) {
    s3.createBucket(b -> b.bucket(name));
  }

  @Override
  public void close() throws Exception {
    presigner.close();
    s3.close();
    proxy.stop();
    context.close();
  }
}
