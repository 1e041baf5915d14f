package dev.tenantkit.testkit.tenants.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.spring.TenantKitConnectionDetails;
import dev.tenantkit.testkit.LocalPostgres;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.LocalServices;
import dev.tenantkit.testkit.LocalTokenIssuer;
import dev.tenantkit.testkit.tenants.LocalTenantKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.support.GenericApplicationContext;

/** Who stops the kit: the context that started it, never one that found it running. */
@ExtendWith(LocalServices.class)
class TenantKitConnectionContextCustomizerIntegrationTest {
  static LocalTenantKit kit;

  @Test
  void aKitTheContextStarted_isStoppedWithIt_oneStartedBeforeIsLeftRunning(LocalPostgres pg, LocalS3 s3,
      LocalTokenIssuer issuer) throws Exception {
    kit = LocalTenantKit.on(pg, s3, issuer).silo("acme");
    TenantKitConnectionContextCustomizer customizer = new TenantKitConnectionContextCustomizer(
        getClass().getDeclaredField("kit"), getClass());

    try (GenericApplicationContext context = new GenericApplicationContext()) {
      customizer.customizeContext(context, null);
      context.refresh();
      assertThat(context.getBean(TenantKitConnectionDetails.class).catalog().all()).hasSize(1);
      assertThat(context.getEnvironment().getProperty("tenantkit.resolver.subdomain")).isEqualTo("{tenant}.localhost");
      assertThat(kit.isRunning()).isTrue();
    }
    assertThat(kit.isRunning()).as("started by the context: stopped with it").isFalse();

    kit.start(); // as Testcontainers' extension would, before the context
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      customizer.customizeContext(context, null);
      context.refresh();
    }
    assertThat(kit.isRunning()).as("started by someone else: left to them").isTrue();
    kit.stop();
  }
}
