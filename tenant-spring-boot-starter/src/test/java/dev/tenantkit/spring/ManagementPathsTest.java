package dev.tenantkit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Which raw request paths count as management endpoints (served without a tenant). */
class ManagementPathsTest {
  private final ManagementPaths actuator = new ManagementPaths("/actuator");

  @Test
  void matches_plainPathsUnderTheBasePath() {
    assertThat(actuator.matches("/actuator")).isTrue();
    assertThat(actuator.matches("/actuator/")).isTrue();
    assertThat(actuator.matches("/actuator/health")).isTrue();
    assertThat(actuator.matches("/actuator/health/liveness")).isTrue();
    assertThat(actuator.matches("/actuator/metrics/jvm.memory.used")).isTrue();
  }

  @Test
  void matches_whenThePathCouldBeNormalisedElsewhere_false() {
    // The container strips path parameters and resolves dot segments after the filter has run.
    assertThat(actuator.matches("/actuator/..;/documents")).isFalse();
    assertThat(actuator.matches("/actuator/../documents")).isFalse();
    assertThat(actuator.matches("/actuator/./health")).isFalse();
    assertThat(actuator.matches("/actuator;jsessionid=1/health")).isFalse();
    assertThat(actuator.matches("/actuator/health;x=/../../documents")).isFalse();
    assertThat(actuator.matches("/actuator/%2e%2e/documents")).isFalse();
    assertThat(actuator.matches("/actuator\\..\\documents")).isFalse();
    assertThat(actuator.matches("/actuator//documents")).isFalse();
  }

  @Test
  void matches_pathsThatOnlyStartWithTheBaseName_false() {
    assertThat(actuator.matches("/actuatorx")).isFalse();
    assertThat(actuator.matches("/actuator-admin/secrets")).isFalse();
    assertThat(actuator.matches("/documents/actuator")).isFalse();
    assertThat(actuator.matches("")).isFalse();
  }

  @Test
  void construct_whenBasePathIsRootOrNotPlain_refused() {
    assertThatThrownBy(() -> new ManagementPaths("/")).hasMessageContaining("management.endpoints.web.base-path");
    assertThatThrownBy(() -> new ManagementPaths("")).hasMessageContaining("management.endpoints.web.base-path");
    assertThatThrownBy(() -> new ManagementPaths("/a/../b")).hasMessageContaining("management.endpoints.web.base-path");
    assertThat(new ManagementPaths("/manage/").matches("/manage/health")).isTrue();
  }
}
