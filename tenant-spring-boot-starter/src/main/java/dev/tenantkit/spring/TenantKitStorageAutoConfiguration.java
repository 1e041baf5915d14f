package dev.tenantkit.spring;

import dev.tenantkit.storage.TenantCredentials;
import dev.tenantkit.storage.TenantStorageClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link TenantStorageClient} on the application's {@link S3Client} bean (with tenant-storage on
 * the class path), with its {@link S3Presigner} and {@link TenantCredentials} beans when it has
 * them. The S3 client stays the application's: region, endpoint and HTTP client are its choice.
 */
@AutoConfiguration(after = TenantKitAutoConfiguration.class)
@ConditionalOnClass({TenantStorageClient.class, S3Client.class})
public class TenantKitStorageAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(S3Client.class)
  TenantStorageClient tenantStorageClient(S3Client s3, ObjectProvider<S3Presigner> presigner,
      ObjectProvider<TenantCredentials> credentials) {
    TenantStorageClient.Builder builder = TenantStorageClient.builder().s3Client(s3);
    presigner.ifAvailable(builder::presigner);
    credentials.ifAvailable(builder::credentials);
    return builder.build();
  }
}
