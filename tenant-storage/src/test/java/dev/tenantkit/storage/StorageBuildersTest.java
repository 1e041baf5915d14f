package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The duration options of the storage builders: one range rule, the same words (no server needed). */
class StorageBuildersTest {

  @Test
  void defaultPresignTtl_outsideOneSecondToSevenDays_refusedNamingTheRange() {
    assertThatThrownBy(() -> TenantStorageClient.builder().defaultPresignTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("defaultPresignTtl must be between 1 s and 7 days, was 0");
    assertThatThrownBy(() -> TenantStorageClient.builder().defaultPresignTtl(Duration.ofDays(8)))
        .hasMessage("defaultPresignTtl must be between 1 s and 7 days, was 8 days");
    assertThatThrownBy(() -> TenantStorageClient.builder().defaultPresignTtl(null))
        .isInstanceOf(NullPointerException.class).hasMessage("defaultPresignTtl");
  }

  @Test
  void build_whenTheDefaultLifetimeExceedsTheMaximum_refusedNamingBoth() {
    try (S3Client s3 = S3Client.builder().region(Region.EU_WEST_1).build()) {
      assertThatThrownBy(() -> TenantStorageClient.builder().s3Client(s3).defaultPresignTtl(Duration.ofHours(2))
          .build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("defaultPresignTtl (2 hours) must be at most maxPresignTtl (1 hour)");
    }
  }

  @Test
  void refreshBefore_outsideItsRange_refusedNamingTheRange() {
    assertThatThrownBy(() -> TenantCredentials.builder().refreshBefore(Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refreshBefore must be between 61 s and 14 minutes, was 1 minute");
    assertThatThrownBy(() -> TenantCredentials.builder().refreshBefore(Duration.ofMinutes(15)))
        .hasMessage("refreshBefore must be between 61 s and 14 minutes, was 15 minutes");
    assertThat(TenantCredentials.builder().refreshBefore(Duration.ofMinutes(14))).isNotNull();
  }
}
