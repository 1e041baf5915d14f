package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.db.TenantDbException.Reason;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verified TLS is the default for every credentials source, and plaintext is reached only by an
 * explicit choice that still never applies to a non-loopback host by accident. On a real
 * PostgreSQL (which offers no TLS: a connection that gets through went in plaintext).
 */
class TlsDefaultsIntegrationTest {

  @BeforeAll
  static void startPostgres() {
    PgFixture.pg();
  }

  private static Reason outcome(TenantDataSource.Builder builder, Tenant tenant) {
    try (TenantDataSource ds = builder.catalog(TenantCatalog.inMemory(tenant)).build();
        TenantScope s = TenantContext.open(tenant); Connection c = ds.getConnection()) {
      return null;
    } catch (TenantDbException e) {
      if (e.reason() == Reason.CONFIGURATION) {
        assertThat(e.getMessage()).contains("rdsCaBundle").contains("TLS").contains(tenant.id().value())
            .doesNotContain(PgFixture.APP_PASSWORD);
      }
      return e.reason();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void staticPassword_byDefault_needsVerifiedTls_andIsNotSentInPlaintext() {
    assertThat(outcome(TenantDataSource.builder(), PgFixture.silo("acme"))).isEqualTo(Reason.CONFIGURATION);
  }

  @Test
  void secretsManagerPassword_byDefault_needsVerifiedTls() {
    Tenant acme = PgFixture.tenant("acme", DatabaseConfig.builder().isolation(IsolationMode.SILO).host("localhost")
        .port(PgFixture.pg().port()).database("silo_acme").user("app").credentials(CredentialsSource.SECRET)
        .secretArn("arn:aws:secretsmanager:eu-west-1:123456789012:secret:never-fetched").region("eu-west-1").build());
    DbCredentialsFactory mustNotBeAsked = db -> {
      throw new AssertionError("credentials were fetched for a connection that may not be opened");
    };
    assertThat(outcome(TenantDataSource.builder().credentials(CredentialsSource.SECRET, mustNotBeAsked), acme))
        .isEqualTo(Reason.CONFIGURATION);
  }

  @Test
  void plaintextOnLoopback_connectsToLocalhost_butNotToAnyOtherHost() {
    TenantDataSource.Builder local = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK);
    assertThat(outcome(local, PgFixture.silo("acme"))).isNull();
    for (String host : new String[] {"db.acme.internal", "127.example.com", "10.0.0.12"}) {
      Tenant remote = PgFixture.tenant("acme", PgFixture.db(IsolationMode.SILO, "silo_acme", "app").host(host).build());
      assertThat(outcome(TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK), remote))
          .as(host).isEqualTo(Reason.CONFIGURATION);
    }
  }

  @Test
  void explicitDisable_isHonoured() {
    assertThat(outcome(TenantDataSource.builder().tlsMode(TlsMode.DISABLE), PgFixture.silo("acme"))).isNull();
  }
}
