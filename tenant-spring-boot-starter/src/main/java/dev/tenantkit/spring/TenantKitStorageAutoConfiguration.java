package dev.tenantkit.spring;

import dev.tenantkit.core.TenantConfigurationException;
import dev.tenantkit.storage.TenantCredentials;
import dev.tenantkit.storage.TenantStorageClient;
import java.net.URI;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@link TenantStorageClient} (with tenant-storage on the class path), on the application's
 * {@link S3Client} and {@link S3Presigner} beans, or on clients the starter builds from
 * {@code tenantkit.storage.*} and the SDK's defaults (the Region and credentials of the instance
 * or function; the application's {@link AwsCredentialsProvider} bean if it has one), with its
 * {@link TenantCredentials} bean if any, or the one it builds with
 * {@code tenantkit.storage.scoped-credentials.enabled}.
 */
@AutoConfiguration(after = TenantKitAutoConfiguration.class)
@ConditionalOnClass({TenantStorageClient.class, S3Client.class})
public class TenantKitStorageAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  S3Client tenantKitS3Client(TenantKitProperties properties, ObjectProvider<AwsCredentialsProvider> credentials,
      ObjectProvider<TenantKitConnectionDetails> details) {
    TenantKitConnectionDetails.S3Endpoint given = endpoint(details);
    if (given != null) {
      // S3-compatible servers (stand-ins, containers) often check x-amz-content-sha256 only and refuse
      // the SDK's default CRC request checksums: send checksums where S3 requires them.
      return S3Client.builder().region(Region.of(given.region())).forcePathStyle(given.pathStyle())
          .endpointOverride(given.endpoint()).credentialsProvider(staticCredentials(given))
          .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
          .build();
    }
    TenantKitProperties.Storage s = properties.getStorage();
    try {
      var b = S3Client.builder().region(region(s)).forcePathStyle(s.isPathStyle())
          .credentialsProvider(credentials.getIfAvailable(() -> DefaultCredentialsProvider.builder().build()));
      URI endpoint = s.getEndpoint();
      if (endpoint != null) {
        b.endpointOverride(checkedEndpoint(endpoint));
      }
      return b.build();
    } catch (SdkClientException e) {
      throw new TenantConfigurationException("cannot build the S3 client for tenant storage: set"
          + " tenantkit.storage.region (or the SDK's AWS_REGION), or define an S3Client bean (" + e.getMessage() + ")");
    }
  }

  @Bean
  @ConditionalOnMissingBean
  S3Presigner tenantKitS3Presigner(TenantKitProperties properties,
      ObjectProvider<AwsCredentialsProvider> credentials, ObjectProvider<TenantKitConnectionDetails> details) {
    TenantKitConnectionDetails.S3Endpoint given = endpoint(details);
    if (given != null) {
      return S3Presigner.builder().region(Region.of(given.region())).endpointOverride(given.endpoint())
          .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(given.pathStyle()).build())
          .credentialsProvider(staticCredentials(given)).build();
    }
    TenantKitProperties.Storage s = properties.getStorage();
    var b = S3Presigner.builder().region(region(s))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s.isPathStyle()).build())
        .credentialsProvider(credentials.getIfAvailable(() -> DefaultCredentialsProvider.builder().build()));
    URI endpoint = s.getEndpoint();
    if (endpoint != null) {
      b.endpointOverride(checkedEndpoint(endpoint));
    }
    return b.build();
  }

  private static final java.util.regex.Pattern LOOPBACK_V4 =
      java.util.regex.Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  /**
   * Refuses plain HTTP to anything but loopback: object contents (and what a presigned URL grants)
   * would cross the network in the clear. {@code localhost}, {@code 127.x.x.x} and {@code [::1]}
   * only: a name is not resolved, so {@code 127.example.com} is not loopback.
   */
  static void requireHttpsOffLoopback(URI endpoint, String what) {
    String host = endpoint.getHost();
    boolean loopback = host != null && (host.equals("localhost") || host.equals("[::1]") || host.equals("::1")
        || LOOPBACK_V4.matcher(host).matches());
    if (!"https".equalsIgnoreCase(endpoint.getScheme()) && !loopback) {
      throw new IllegalArgumentException(what + " over plain HTTP must be on loopback (a local server), was "
          + endpoint.getScheme() + "://" + host + ": use https");
    }
  }

  private static TenantKitConnectionDetails.@org.jspecify.annotations.Nullable S3Endpoint endpoint(
      ObjectProvider<TenantKitConnectionDetails> details) {
    TenantKitConnectionDetails given = details.getIfAvailable();
    return given == null ? null : given.s3().orElse(null);
  }

  private static AwsCredentialsProvider staticCredentials(TenantKitConnectionDetails.S3Endpoint given) {
    return software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(given.accessKeyId(), given.secretAccessKey()));
  }

  private static URI checkedEndpoint(URI endpoint) {
    try {
      requireHttpsOffLoopback(endpoint, "tenantkit.storage.endpoint");
    } catch (IllegalArgumentException e) {
      throw new TenantConfigurationException(String.valueOf(e.getMessage()));
    }
    return endpoint;
  }

  private static Region region(TenantKitProperties.Storage s) {
    String region = s.getRegion();
    if (region != null && !region.isBlank()) {
      return Region.of(region.trim());
    }
    try {
      return new software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      throw new TenantConfigurationException("tenant storage needs a Region: set tenantkit.storage.region (or"
          + " AWS_REGION), or define S3Client and S3Presigner beans");
    }
  }

  /** The STS client for scoped credentials (a bean, so Spring closes it), unless the application has one. */
  @Bean
  @ConditionalOnMissingBean
  @org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty(
      "tenantkit.storage.scoped-credentials.enabled")
  StsClient tenantKitStsClient(TenantKitProperties properties, ObjectProvider<AwsCredentialsProvider> credentials) {
    return StsClient.builder().region(region(properties.getStorage()))
        .credentialsProvider(credentials.getIfAvailable(() -> DefaultCredentialsProvider.builder().build())).build();
  }

  /** Tenant-scoped STS credentials, when {@code tenantkit.storage.scoped-credentials.enabled}. */
  @Bean
  @ConditionalOnMissingBean
  @org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty(
      "tenantkit.storage.scoped-credentials.enabled")
  TenantCredentials tenantCredentials(TenantKitProperties properties, StsClient sts) {
    TenantKitProperties.ScopedCredentials c = properties.getStorage().getScopedCredentials();
    try {
      return TenantCredentials.builder().sts(sts).tagKey(c.getTagKey()).sessionPolicy(c.isSessionPolicy()).build();
    } catch (IllegalArgumentException e) {
      throw new TenantConfigurationException("tenantkit.storage.scoped-credentials is not valid: " + e.getMessage());
    }
  }

  @Bean
  @ConditionalOnMissingBean
  TenantStorageClient tenantStorageClient(S3Client s3, S3Presigner presigner,
      ObjectProvider<TenantCredentials> credentials) {
    TenantStorageClient.Builder builder = TenantStorageClient.builder().s3Client(s3).presigner(presigner);
    credentials.ifAvailable(builder::credentials);
    return builder.build();
  }
}
