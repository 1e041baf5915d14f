package dev.tenantkit.testkit;

import java.net.URI;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An in-process S3 protocol server (S3Proxy with its transient, in-memory store) on loopback,
 * with an SDK client and presigner already set up for it. Needs {@code org.gaul:s3proxy} and
 * {@code software.amazon.awssdk:s3} on the test class path (optional dependencies of the testkit,
 * their versions in {@code tenant-dependencies}): {@link #start()} says which to add when one is
 * missing.
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

  // Every use of S3Proxy, jclouds and the SDK is in S3ProxyServer; this class only passes its
  // results on, so it links (and start() can run its check) when they are missing.
  private final S3ProxyServer server;

  private LocalS3(S3ProxyServer server) {
    this.server = server;
  }

  /**
   * Starts a server on a free loopback port.
   *
   * @throws IllegalStateException naming the Maven coordinates to add, when S3Proxy or the SDK's
   *     s3 module is not on the class path
   */
  public static LocalS3 start() {
    OptionalDependencies.require("LocalS3", OptionalDependencies.LOCAL_S3, LocalS3.class.getClassLoader());
    return new LocalS3(S3ProxyServer.start());
  }

  /** Credentials the server accepts. */
  public static StaticCredentialsProvider credentials() {
    return S3ProxyServer.credentials();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return server.endpoint();
  }

  /**
   * A client builder already set up for this server, for tests that add their own settings
   * (an interceptor, say): endpoint, credentials, path-style access, and checksums only when
   * required (otherwise S3Proxy refuses uploads with an x-amz-content-sha256 mismatch).
   */
  public S3ClientBuilder clientBuilder() {
    return S3ProxyServer.clientBuilder(server.endpoint());
  }

  /**
   * A client builder set up for a LocalS3 server at {@code endpoint}, for a server started in
   * another process (a benchmark that keeps the server out of the measured JVM, say).
   */
  public static S3ClientBuilder clientBuilder(URI endpoint) {
    return S3ProxyServer.clientBuilder(endpoint);
  }

  /** An SDK client set up for this server. */
  public S3Client client() {
    return server.client();
  }

  /** A presigner set up for this server. */
  public S3Presigner presigner() {
    return server.presigner();
  }

  /** Creates a bucket. */
  public void createBucket(String name) {
    server.createBucket(name);
  }

  /** Every key in {@code bucket}, listed with the raw client: the ground truth for isolation checks. */
  public Set<String> keys(String bucket) {
    return server.keys(bucket);
  }

  @Override
  public void close() {
    server.close();
  }
}
