package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class IamAuthTokenFactoryTest {
  private static final AwsCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "example-secret"));

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));

    void advance(Duration d) {
      now.updateAndGet(i -> i.plus(d));
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  private static DatabaseConfig db(String host, String user) {
    return DatabaseConfig.builder().isolation(IsolationMode.SILO).host(host).port(5432).database("app")
        .user(user).credentials(CredentialsSource.IAM).region("eu-west-1").build();
  }

  @Test
  void token_hasTheDocumentedShapeForHostPortUserAndRegion() throws Exception {
    IamAuthTokenFactory f = IamAuthTokenFactory.builder().credentialsProvider(CREDENTIALS).build();
    DbCredentials c = f.credentials(db("acme.abc123.eu-west-1.rds.amazonaws.com", "app_user"));
    assertThat(c.user()).isEqualTo("app_user");
    assertThat(c.password())
        .startsWith("acme.abc123.eu-west-1.rds.amazonaws.com:5432/?")
        .contains("Action=connect").contains("DBUser=app_user")
        .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
        .contains("X-Amz-Credential=AKIDEXAMPLE%2F").contains("%2Feu-west-1%2Frds-db%2Faws4_request")
        .contains("X-Amz-Expires=900").containsPattern("X-Amz-Signature=[0-9a-f]{64}");
    assertThat(c.toString()).doesNotContain(c.password()).contains("***");
  }

  @Test
  void token_isCachedPerDatabaseUser_andSignedAgainAfterRefreshAfter() throws Exception {
    MovableClock clock = new MovableClock();
    IamAuthTokenFactory f = IamAuthTokenFactory.builder().credentialsProvider(CREDENTIALS).clock(clock)
        .refreshAfter(Duration.ofMinutes(10)).build();
    String first = f.token("eu-west-1", "db.local", 5432, "app");
    clock.advance(Duration.ofMinutes(9).plusSeconds(59));
    assertThat(f.token("eu-west-1", "db.local", 5432, "app")).isSameAs(first);
    assertThat(f.tokensSigned()).isEqualTo(1);

    assertThat(f.token("eu-west-1", "db.local", 5432, "other")).contains("DBUser=other");
    assertThat(f.token("eu-west-1", "db.local", 5433, "app")).startsWith("db.local:5433/?");
    assertThat(f.token("eu-west-1", "db2.local", 5432, "app")).startsWith("db2.local:5432/?");
    assertThat(f.token("us-east-1", "db.local", 5432, "app")).contains("%2Fus-east-1%2Frds-db%2F");
    assertThat(f.tokensSigned()).isEqualTo(5);

    clock.advance(Duration.ofSeconds(1)); // 10 minutes old: replaced, 5 minutes before expiry
    String second = f.token("eu-west-1", "db.local", 5432, "app");
    assertThat(f.tokensSigned()).isEqualTo(6);
    assertThat(second).isNotSameAs(first);
    assertThat(f.token("eu-west-1", "db.local", 5432, "app")).isSameAs(second);
  }

  @Test
  void authenticationFailure_dropsTheCachedToken() throws Exception {
    IamAuthTokenFactory f = IamAuthTokenFactory.builder().credentialsProvider(CREDENTIALS).build();
    DatabaseConfig db = db("db.local", "app");
    f.credentials(db);
    f.credentials(db);
    assertThat(f.tokensSigned()).isEqualTo(1);
    f.authenticationFailed(db);
    f.credentials(db);
    assertThat(f.tokensSigned()).isEqualTo(2);
  }

  @Test
  void noAwsCredentials_isACredentialsErrorNamingTheUserAndEndpoint() {
    AwsCredentialsProvider none = () -> {
      throw software.amazon.awssdk.core.exception.SdkClientException.create("Unable to load credentials");
    };
    IamAuthTokenFactory f = IamAuthTokenFactory.builder().credentialsProvider(none).build();
    assertThatThrownBy(() -> f.token("eu-west-1", "db.local", 5432, "app"))
        .isInstanceOfSatisfying(TenantDbException.class, e -> {
          assertThat(e.reason()).isEqualTo(TenantDbException.Reason.CREDENTIALS_FAILED);
          assertThat(e.getMessage()).contains("app").contains("db.local:5432");
        });
  }

  @Test
  void refreshAfter_outsideOneToFourteenMinutes_isRefused() {
    assertThatThrownBy(() -> IamAuthTokenFactory.builder().refreshAfter(Duration.ofMinutes(15)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshAfter").hasMessageContaining("15");
    assertThatThrownBy(() -> IamAuthTokenFactory.builder().refreshAfter(Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
