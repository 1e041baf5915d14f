package dev.tenantkit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.auth.TenantTokenVerifier;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantResolver;
import dev.tenantkit.core.TenantResolvers;
import dev.tenantkit.core.servlet.TenantFilter;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.testkit.TestTenants;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/** The auto-configuration's conditions and settings, in an application context without a server. */
class TenantKitAutoConfigurationTest {
  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TenantKitAutoConfiguration.class,
          TenantKitDataSourceAutoConfiguration.class, TenantKitStorageAutoConfiguration.class))
      .withPropertyValues("tenantkit.token.warm-up=false", "tenantkit.storage.region=eu-west-1");

  @Test
  void start_withoutCatalogFile_failsNamingTheProperty() {
    runner.withPropertyValues("tenantkit.resolver.subdomain={tenant}.api.example.com").run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("tenantkit.catalog.file is not set");
    });
  }

  @Test
  void start_withoutResolver_failsNamingTheProperty(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tenants.json");
    TenantCatalog.writeFile(file, TestTenants.catalog(TestTenants.silo("acme").build()).all());
    runner.withPropertyValues("tenantkit.catalog.file=" + file).run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("tenantkit.resolver.subdomain is not set");
    });
    runner.withPropertyValues("tenantkit.catalog.file=" + file, "tenantkit.resolver.subdomain= ").run(ctx ->
        assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("tenantkit.resolver.subdomain is not set"));
  }

  @Test
  void start_withCatalogFileAndSubdomain_configuresEveryPart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tenants.json");
    TenantCatalog.writeFile(file, TestTenants.catalog(TestTenants.silo("acme").build()).all());
    runner.withPropertyValues("tenantkit.catalog.file=" + file, "tenantkit.resolver.subdomain={tenant}.api.example.com")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx.getBean(TenantCatalog.class).find(TestTenants.id("acme"))).isPresent();
          assertThat(ctx).hasSingleBean(TenantResolver.class).hasSingleBean(TenantTokenVerifier.class);
          FilterRegistrationBean<?> registration = ctx.getBean("tenantFilterRegistration", FilterRegistrationBean.class);
          assertThat(registration.getFilter()).isInstanceOf(TenantFilter.class);
          assertThat(registration.getOrder()).isEqualTo(TenantKitAutoConfiguration.FILTER_ORDER).isLessThan(-100);
          assertThat(registration.getUrlPatterns()).containsExactly("/*");
          assertThat(ctx.getBean(DataSource.class)).isInstanceOf(TenantDataSource.class);
        });
  }

  @Test
  void applicationBeans_replaceTheStartersOwn() {
    TenantCatalog own = TestTenants.catalog(TestTenants.silo("globex").build());
    TenantResolver resolver = TenantResolvers.subdomain("{tenant}.internal.example.com");
    runner.withBean(TenantCatalog.class, () -> own).withBean(TenantResolver.class, () -> resolver).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean(TenantCatalog.class)).isSameAs(own);
      assertThat(ctx.getBean(TenantResolver.class)).isSameAs(resolver);
    });
  }

  @Test
  void connectionDetails_giveTheCatalogAndS3_inPlaceOfTheProperties() {
    TenantCatalog seeded = TestTenants.catalog(TestTenants.silo("acme").build());
    TenantKitConnectionDetails details = new TenantKitConnectionDetails() {
      @Override
      public TenantCatalog catalog() {
        return seeded;
      }

      @Override
      public java.util.Optional<S3Endpoint> s3() {
        return java.util.Optional.of(new S3Endpoint(java.net.URI.create("http://127.0.0.1:9"), "eu-central-1",
            "local-access", "local-secret", true));
      }
    };
    // No tenantkit.catalog.* at all, and a region of the properties the details override.
    runner.withBean(TenantKitConnectionDetails.class, () -> details)
        .withPropertyValues("tenantkit.resolver.subdomain={tenant}.localhost").run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx.getBean(TenantCatalog.class)).isSameAs(seeded);
          software.amazon.awssdk.services.s3.S3Client s3 = ctx.getBean(software.amazon.awssdk.services.s3.S3Client.class);
          assertThat(s3.serviceClientConfiguration().region().id()).isEqualTo("eu-central-1");
          assertThat(s3.serviceClientConfiguration().endpointOverride()).contains(java.net.URI.create("http://127.0.0.1:9"));
          var presigned = ctx.getBean(software.amazon.awssdk.services.s3.presigner.S3Presigner.class).presignGetObject(
              r -> r.signatureDuration(java.time.Duration.ofMinutes(1)).getObjectRequest(g -> g.bucket("b").key("k")));
          assertThat(presigned.url().toString()).startsWith("http://127.0.0.1:9/b/k").contains("local-access");
        });
    assertThat(details.s3().orElseThrow().toString()).doesNotContain("local-secret");
    // Static keys over plain HTTP only to a local server.
    for (String offLoopback : new String[] {"http://s3.example.com", "http://127.example.com", "http://10.0.0.5:9000"}) {
      assertThatThrownBy(() -> new TenantKitConnectionDetails.S3Endpoint(java.net.URI.create(offLoopback),
          "eu-west-1", "k", "s", true)).as(offLoopback).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("loopback");
    }
    // The property too: plain HTTP only to a local server.
    runner.withBean(TenantCatalog.class, () -> seeded)
        .withPropertyValues("tenantkit.resolver.subdomain={tenant}.localhost", "tenantkit.storage.endpoint=http://minio.internal:9000")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("tenantkit.storage.endpoint")
            .hasMessageContaining("https"));
    assertThat(new TenantKitConnectionDetails.S3Endpoint(java.net.URI.create("https://s3.example.com"), "eu-west-1",
        "k", "s", false).endpoint().getHost()).isEqualTo("s3.example.com");
  }

  @Test
  void limits_fromProperties_byTierWithDefaults_onlyWhenTurnedOn_andBadValuesNamed() {
    var base = runner.withBean(TenantCatalog.class, () -> TestTenants.catalog(TestTenants.silo("acme").build()))
        .withPropertyValues("tenantkit.resolver.subdomain={tenant}.api.example.com");
    base.run(ctx -> assertThat(ctx).doesNotHaveBean(dev.tenantkit.core.TenantRequestLimiter.class));
    base.withPropertyValues("tenantkit.limits.enabled=true", "tenantkit.limits.tiers.basic.requests-per-second=20",
        "tenantkit.limits.tiers.basic.burst=40", "tenantkit.limits.tiers.basic.max-concurrent-requests=16",
        "tenantkit.limits.defaults.requests-per-second=7").run(ctx -> {
          dev.tenantkit.core.TenantLimiter limiter = ctx.getBean(dev.tenantkit.core.TenantLimiter.class);
          assertThat(limiter.limitsFor(TestTenants.tenant("globex").tier("basic").build()))
              .isEqualTo(dev.tenantkit.core.RequestLimits.of(20, 40, 16));
          assertThat(limiter.limitsFor(TestTenants.tenant("initech").tier("premium").build()))
              .isEqualTo(dev.tenantkit.core.RequestLimits.of(7, 100, 32));
        });
    base.withPropertyValues("tenantkit.limits.enabled=true", "tenantkit.limits.tiers.basic.requests-per-second=0")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
            .hasMessageContaining("tenantkit.limits.tiers.basic is not a valid limit"));
    // A tier's rate above the defaults' burst: its unset burst is its rate.
    base.withPropertyValues("tenantkit.limits.enabled=true", "tenantkit.limits.tiers.premium.requests-per-second=200")
        .run(ctx -> assertThat(ctx.getBean(dev.tenantkit.core.TenantLimiter.class)
            .limitsFor(TestTenants.tenant("initech").tier("premium").build()))
            .isEqualTo(dev.tenantkit.core.RequestLimits.of(200, 200, 32)));
    // A tier that sets only its rate takes the rest from the defaults.
    base.withPropertyValues("tenantkit.limits.enabled=true", "tenantkit.limits.defaults.burst=90",
        "tenantkit.limits.tiers.basic.requests-per-second=3").run(ctx ->
            assertThat(ctx.getBean(dev.tenantkit.core.TenantLimiter.class)
                .limitsFor(TestTenants.tenant("globex").tier("basic").build()))
                .isEqualTo(dev.tenantkit.core.RequestLimits.of(3, 90, 32)));
  }

  @Test
  void scopedCredentials_whenEnabled_assumeTheTenantsRoleWithItsTag_onTheApplicationsStsClient() {
    try (dev.tenantkit.testkit.LoopbackSts sts = new dev.tenantkit.testkit.LoopbackSts()) {
      dev.tenantkit.core.Tenant acme = TestTenants.silo("acme").storage(dev.tenantkit.core.StorageConfig.builder()
          .layout(dev.tenantkit.core.StorageConfig.StorageLayout.BUCKET).bucket("acme-data").region("eu-west-1")
          .roleArn("arn:aws:iam::111122223333:role/tenantkit-acme-storage").build()).build();
      var base = runner.withBean(TenantCatalog.class, () -> TestTenants.catalog(acme))
          .withPropertyValues("tenantkit.resolver.subdomain={tenant}.api.example.com");
      base.run(ctx -> assertThat(ctx).doesNotHaveBean(dev.tenantkit.storage.TenantCredentials.class));
      base.withBean(software.amazon.awssdk.services.sts.StsClient.class,
              () -> sts.client(software.amazon.awssdk.services.sts.StsClient.builder()))
          .withPropertyValues("tenantkit.storage.scoped-credentials.enabled=true",
              "tenantkit.storage.scoped-credentials.tag-key=Tenant").run(ctx -> {
            dev.tenantkit.storage.TenantCredentials credentials = ctx.getBean(dev.tenantkit.storage.TenantCredentials.class);
            assertThat(credentials.forTenant(acme).resolveCredentials().accessKeyId()).startsWith("ASIAEXAMPLE");
            var call = sts.calls().get(0).params();
            assertThat(call).containsEntry("RoleArn", "arn:aws:iam::111122223333:role/tenantkit-acme-storage")
                .containsEntry("Tags.member.1.Key", "Tenant").containsEntry("Tags.member.1.Value", "acme")
                .containsKey("Policy");
          });
      base.withPropertyValues("tenantkit.storage.scoped-credentials.enabled=true",
          "tenantkit.storage.scoped-credentials.tag-key=").run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
              .hasMessageContaining("tenantkit.storage.scoped-credentials"));
    }
  }

  @Test
  void dataSource_outsideATenantScope_refusedNotADefaultDatabase() {
    runner.withBean(TenantCatalog.class, () -> TestTenants.catalog(TestTenants.silo("acme").build()))
        .withPropertyValues("tenantkit.resolver.subdomain={tenant}.api.example.com").run(ctx -> {
          DataSource ds = ctx.getBean(DataSource.class);
          assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("no tenant in scope");
        });
  }

  @Test
  void applicationDataSource_doesNotReplaceTheTenantDataSource_whichIsPrimary_unlessTurnedOff() {
    DataSource own = new org.postgresql.ds.PGSimpleDataSource();
    var base = runner.withBean(TenantCatalog.class, () -> TestTenants.catalog(TestTenants.silo("acme").build()))
        .withBean("reporting", DataSource.class, () -> own)
        .withPropertyValues("tenantkit.resolver.subdomain={tenant}.api.example.com");
    base.run(ctx -> {
      assertThat(ctx.getBean(DataSource.class)).isInstanceOf(TenantDataSource.class);
      assertThat(ctx.getBean("reporting")).isSameAs(own);
    });
    base.withPropertyValues("tenantkit.datasource.enabled=false").run(ctx -> {
      assertThat(ctx).doesNotHaveBean(TenantDataSource.class);
      assertThat(ctx.getBean(DataSource.class)).isSameAs(own);
    });
  }

  @Test
  void skipPaths_patternsDotSegmentsOrManagementPaths_refusedNamingTheProperty() {
    var base = runner.withBean(TenantCatalog.class, () -> TestTenants.catalog(TestTenants.silo("acme").build()))
        .withPropertyValues("tenantkit.resolver.subdomain={tenant}.api.example.com");
    base.withPropertyValues("tenantkit.filter.skip-paths=/health,/status/live").run(ctx -> assertThat(ctx).hasNotFailed());
    for (String bad : new String[] {"/public/**", "/actuator/prometheus", "/actuator", "/a/../b", "health",
        "/a;b", "/a%2fb", "/./x"}) {
      base.withPropertyValues("tenantkit.filter.skip-paths=" + bad).run(ctx -> assertThat(ctx.getStartupFailure())
          .as(bad).rootCause().hasMessageContaining("tenantkit.filter.skip-paths"));
    }
  }

  @Test
  void configurationMetadata_describesEveryProperty() throws Exception {
    String json;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("metadata generated by spring-boot-configuration-processor").isNotNull();
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String property : new String[] {"tenantkit.catalog.file", "tenantkit.resolver.subdomain",
        "tenantkit.token.required", "tenantkit.token.warm-up", "tenantkit.filter.skip-management-endpoints",
        "tenantkit.filter.skip-paths", "tenantkit.datasource.rds-ca-bundle",
        "tenantkit.datasource.plaintext-on-loopback", "tenantkit.security.group-authority-prefix",
        "tenantkit.metrics.tenant-tag-limit", "tenantkit.datasource.enabled", "tenantkit.storage.region",
        "tenantkit.storage.endpoint", "tenantkit.storage.path-style", "tenantkit.jpa.database-major-version"}) {
      int at = json.indexOf("\"name\": \"" + property + "\"");
      assertThat(at).as(property).isNotNegative();
      int end = json.indexOf('}', at);
      assertThat(json.substring(at, end)).as(property).contains("\"description\"");
    }
  }

  @Test
  void storage_onTheApplicationsS3Client_orOnClientsFromTheProperties() {
    var catalog = TestTenants.catalog(TestTenants.silo("acme").build());
    software.amazon.awssdk.services.s3.S3Client s3 = software.amazon.awssdk.services.s3.S3Client.builder()
        .region(software.amazon.awssdk.regions.Region.EU_WEST_1)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create()).build();
    runner.withBean(TenantCatalog.class, () -> catalog).withBean(software.amazon.awssdk.services.s3.S3Client.class, () -> s3)
        .withPropertyValues("tenantkit.resolver.subdomain={tenant}.api.example.com", "tenantkit.storage.region=eu-west-1")
        .run(ctx -> {
          assertThat(ctx).hasSingleBean(dev.tenantkit.storage.TenantStorageClient.class);
          assertThat(ctx.getBean(software.amazon.awssdk.services.s3.S3Client.class)).isSameAs(s3);
        });
    runner.withBean(TenantCatalog.class, () -> catalog)
        .withPropertyValues("tenantkit.resolver.subdomain={tenant}.api.example.com", "tenantkit.storage.region=eu-west-1",
            "tenantkit.storage.endpoint=http://127.0.0.1:9", "tenantkit.storage.path-style=true")
        .run(ctx -> {
          assertThat(ctx).hasSingleBean(dev.tenantkit.storage.TenantStorageClient.class);
          assertThat(ctx.getBean(software.amazon.awssdk.services.s3.S3Client.class).serviceClientConfiguration()
              .region()).isEqualTo(software.amazon.awssdk.regions.Region.EU_WEST_1);
        });
    s3.close();
  }

  @Test
  void catalogSources_bothOrAFileWithOnlyTenant_refusedNamingTheProperties(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tenants.json");
    TenantCatalog.writeFile(file, TestTenants.catalog(TestTenants.silo("acme").build()).all());
    runner.withPropertyValues("tenantkit.catalog.file=" + file, "tenantkit.catalog.registry-table=tenants",
        "tenantkit.resolver.subdomain={tenant}.api.example.com").run(ctx -> assertThat(ctx.getStartupFailure())
            .rootCause().hasMessageContaining("tenantkit.catalog.file and tenantkit.catalog.registry-table are both"));
    runner.withPropertyValues("tenantkit.catalog.file=" + file, "tenantkit.catalog.only-tenant=acme",
        "tenantkit.resolver.subdomain={tenant}.api.example.com").run(ctx -> assertThat(ctx.getStartupFailure())
            .rootCause().hasMessageContaining("tenantkit.catalog.only-tenant"));
  }

  @Test
  void resolver_pinnedTenantAlone_orWithASubdomain_accepted_andAnInvalidIdRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tenants.json");
    TenantCatalog.writeFile(file, TestTenants.catalog(TestTenants.silo("acme").build()).all());
    runner.withPropertyValues("tenantkit.catalog.file=" + file, "tenantkit.resolver.pinned-tenant=acme")
        .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(TenantResolver.class));
    runner.withPropertyValues("tenantkit.catalog.file=" + file, "tenantkit.resolver.pinned-tenant=acme",
        "tenantkit.resolver.subdomain={tenant}.api.example.com")
        .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(TenantResolver.class));
    runner.withPropertyValues("tenantkit.catalog.file=" + file, "tenantkit.resolver.pinned-tenant=Not A Tenant")
        .run(ctx -> assertThat(ctx).hasFailed());
  }

  @Test
  void dataSourceCustomizers_appliedInOrder_afterTheProperties() {
    java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    runner.withBean(TenantCatalog.class, () -> TestTenants.catalog(TestTenants.silo("acme").build()))
        .withBean("second", TenantDataSourceCustomizer.class, () -> new Second(calls))
        .withBean("first", TenantDataSourceCustomizer.class, () -> new First(calls))
        .withPropertyValues("tenantkit.resolver.subdomain={tenant}.api.example.com").run(ctx -> {
          assertThat(ctx).hasSingleBean(TenantDataSource.class);
          assertThat(calls).containsExactly("first", "second");
        });
  }

  @org.springframework.core.annotation.Order(1)
  record First(java.util.List<String> calls) implements TenantDataSourceCustomizer {
    @Override
    public void customize(TenantDataSource.Builder builder) {
      calls.add("first");
    }
  }

  @org.springframework.core.annotation.Order(2)
  record Second(java.util.List<String> calls) implements TenantDataSourceCustomizer {
    @Override
    public void customize(TenantDataSource.Builder builder) {
      calls.add("second");
    }
  }

  @Test
  void tokenNotRequired_withoutSpringSecurityVerifyingIt_refusedAtStart() {
    runner.withBean(TenantCatalog.class, () -> TestTenants.catalog(TestTenants.silo("acme").build()))
        .withPropertyValues("tenantkit.resolver.subdomain={tenant}.api.example.com", "tenantkit.token.required=false")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
            .hasMessageContaining("tenantkit.token.required=false leaves requests unauthenticated"));
  }
}
