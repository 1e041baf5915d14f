package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.TenantCatalog;
import java.nio.file.Path;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantDataSourceBuilderTest {

  @Test
  void build_withoutACatalog_isRefused() {
    assertThatThrownBy(() -> TenantDataSource.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("catalog");
  }

  @Test
  void options_outOfRange_areRefusedNamingTheOption() {
    TenantDataSource.Builder b = TenantDataSource.builder();
    assertThatThrownBy(() -> b.sharedPoolSize(0)).hasMessageContaining("sharedPoolSize");
    assertThatThrownBy(() -> b.maxPools(0)).hasMessageContaining("maxPools");
    assertThatThrownBy(() -> b.poolConnectionTimeout(Duration.ofMillis(10))).hasMessageContaining("poolConnectionTimeout");
    assertThatThrownBy(() -> b.idlePoolTimeout(Duration.ZERO)).hasMessageContaining("idlePoolTimeout");
    assertThatThrownBy(() -> b.maxAuthAttempts(0)).hasMessageContaining("maxAuthAttempts");
    assertThatThrownBy(() -> b.rdsCaBundle(Path.of("/no/such/bundle.pem"))).hasMessageContaining("rdsCaBundle");
    assertThatThrownBy(() -> b.connectionProperty("password", "x")).hasMessageContaining("password");
    assertThatThrownBy(() -> b.credentials(CredentialsSource.STATIC, db -> null)).hasMessageContaining("STATIC");
    assertThatThrownBy(() -> b.tier("Premium!", PoolSettings.DEFAULT)).hasMessageContaining("tier");
    assertThatThrownBy(() -> TenantDataSource.builder().catalog(TenantCatalog.inMemory())
        .poolConnectionTimeout(Duration.ofSeconds(10)).idlePoolTimeout(Duration.ofSeconds(5)).build())
        .hasMessageContaining("idlePoolTimeout");
  }

  @Test
  void poolSettings_validateTheirRanges() {
    assertThatThrownBy(() -> new PoolSettings(0, 0, Duration.ofSeconds(1))).hasMessageContaining("maxConnections");
    assertThatThrownBy(() -> new PoolSettings(2, 3, Duration.ofSeconds(1))).hasMessageContaining("minIdle");
    assertThatThrownBy(() -> new PoolSettings(2, 0, Duration.ofMillis(1))).hasMessageContaining("waitTimeout");
    assertThat(PoolSettings.ofMaxConnections(7).withMinIdle(2)).isEqualTo(new PoolSettings(7, 2, Duration.ofSeconds(2)));
  }

  @Test
  void dataSource_withNoTenantDoesNotConnect_andRefusesUserAndPassword() throws Exception {
    try (TenantDataSource ds = TenantDataSource.builder().catalog(TenantCatalog.inMemory()).build()) {
      assertThatThrownBy(() -> ds.getConnection("postgres", "guess")).isInstanceOf(SQLFeatureNotSupportedException.class);
      assertThat(ds.unwrap(TenantDataSource.class)).isSameAs(ds);
      assertThatThrownBy(() -> ds.unwrap(com.zaxxer.hikari.HikariDataSource.class)).isInstanceOf(java.sql.SQLException.class);
      assertThat(ds.livePools()).isZero();
    }
  }

  @Test
  void everyReason_hasItsOwnSqlState() {
    Set<String> states = new HashSet<>();
    Arrays.stream(TenantDbException.Reason.values()).forEach(r -> assertThat(states.add(r.sqlState())).as(r.name()).isTrue());
    assertThat(TenantDbException.Reason.NO_TENANT.sqlState()).hasSize(5);
  }
}
