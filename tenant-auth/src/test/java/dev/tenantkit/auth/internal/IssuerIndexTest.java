package dev.tenantkit.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tenantkit.auth.TokenUse;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.testkit.TestTenants;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The issuer index built straight from tenant records, as any {@code TenantCatalog}
 * implementation may hand them over (the built-in catalogs refuse some of these combinations).
 */
class IssuerIndexTest {
  private static final String SHARED = "https://idp.example/shared";

  static VerifierSettings settings() {
    return new VerifierSettings(TestTenants.catalog(), TokenUse.ACCESS, Duration.ofSeconds(30),
        Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofHours(1),
        Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(2), 256 * 1024, 16 * 1024, 0, null,
        Clock.systemUTC(), Map.of(), Map.of(), Map.of());
  }

  static Tenant tenant(String id, String issuer, boolean shared, String tenantClaim) {
    return TestTenants.tenant(id).identity(IdentityConfig.builder().issuer(issuer).appClientIds("client" + id)
        .audience("api://" + id).sharedIssuer(shared).tenantClaim(tenantClaim).build()).build();
  }

  static List<ILoggingEvent> warningsWhileBuilding(List<Tenant> tenants) {
    Logger logger = (Logger) LoggerFactory.getLogger(IssuerIndex.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      IssuerIndex.build(tenants, settings(), IssuerIndex.EMPTY);
    } finally {
      logger.detachAppender(appender);
    }
    return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
  }

  @Test
  void build_sizeIsTheNumberOfDistinctIssuers() {
    IssuerIndex index = IssuerIndex.build(List.of(
        tenant("acme", "https://idp.example/acme", false, "custom:tenant_id"),
        tenant("initech", SHARED, true, "custom:tenant_id"),
        tenant("umbrella", SHARED, true, "custom:tenant_id")), settings(), IssuerIndex.EMPTY);
    assertThat(index.size()).isEqualTo(2);
    assertThat(index.entries()).hasSize(2);
    assertThat(IssuerIndex.EMPTY.size()).isZero();
  }

  @Test
  void build_loneTenantMarkedShared_issuerIsShared_unmarkedLoneTenantIsNot() {
    IssuerIndex index = IssuerIndex.build(List.of(
        tenant("initech", SHARED, true, "custom:tenant_id"),
        tenant("acme", "https://idp.example/acme", false, "custom:tenant_id")), settings(), IssuerIndex.EMPTY);
    assertThat(index.get(SHARED).issuer().shared()).isTrue();
    assertThat(index.get("https://idp.example/acme").issuer().shared()).isFalse();
  }

  @Test
  void build_whenTheTenantsOfAnIssuerAgreeOnTheTenantClaim_logsNoWarning() {
    assertThat(warningsWhileBuilding(List.of(
        tenant("acme", "https://idp.example/acme", false, "custom:tenant_id"),
        tenant("initech", SHARED, true, "custom:org"),
        tenant("umbrella", SHARED, true, "custom:org")))).isEmpty();
  }

  @Test
  void build_whenTheTenantsOfAnIssuerNameDifferentTenantClaims_warnsOnceNamingTheClaimUsed() {
    List<ILoggingEvent> warnings = warningsWhileBuilding(List.of(
        tenant("initech", SHARED, true, "custom:tenant_id"),
        tenant("umbrella", SHARED, true, "custom:org"),
        tenant("hooli", SHARED, true, "custom:tenant_id")));
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getFormattedMessage()).contains("different tenant claims").contains(SHARED);
  }
}
