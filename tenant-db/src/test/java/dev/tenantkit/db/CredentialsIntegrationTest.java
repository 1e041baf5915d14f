package dev.tenantkit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.db.TenantDbException.Reason;
import dev.tenantkit.testkit.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Secrets Manager and IAM credentials on a real PostgreSQL. Secrets Manager is the real SDK
 * client against a loopback endpoint speaking its JSON protocol (no local server exists); IAM
 * tokens are signed by the real RdsUtilities. The local server cannot verify an IAM token, so
 * the IAM role here is trusted (like {@code rds_iam} on RDS) and the tests check which token the
 * client sent, for which host, port, user and Region, and how often one was signed.
 */
class CredentialsIntegrationTest {
  private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tenantkit/rot-AbCdEf";
  private static LoopbackSecretsManager secrets;
  private final List<TenantDataSource> opened = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    LocalPostgres pg = PgFixture.pg();
    if (!pg.databases().contains("rotation")) {
      pg.createRole("rot_user", "first-password");
      pg.createDatabase("rotation", "rot_user");
      pg.createIamRole("iam_app");
      pg.createDatabase("iamdb", "iam_app");
    }
    secrets = new LoopbackSecretsManager();
  }

  @AfterAll
  static void tearDown() {
    secrets.close();
  }

  @AfterEach
  void close() {
    opened.forEach(TenantDataSource::close);
  }

  private static Tenant secretTenant(String arn) {
    return PgFixture.tenant("acme", DatabaseConfig.builder().isolation(IsolationMode.SILO).host("localhost")
        .port(PgFixture.pg().port()).database("rotation").user("rot_user").credentials(CredentialsSource.SECRET)
        .secretArn(arn).region("eu-west-1").build());
  }

  private static String currentUser(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void secret_isReadThroughTheRealSdk_andARotationCostsABoundedNumberOfFailedLogins() throws Exception {
    int port = PgFixture.pg().port();
    PgFixture.pg().changePassword("rot_user", "first-password");
    secrets.secrets.put(ARN, LoopbackSecretsManager.rdsSecret("rot_user", "first-password", port));
    SecretsManagerCredentialsFactory factory = SecretsManagerCredentialsFactory.builder().client(secrets.client())
        .minRefetchInterval(Duration.ZERO).build();
    Tenant acme = secretTenant(ARN);
    TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(TenantCatalog.inMemory(acme))
        .credentials(CredentialsSource.SECRET, factory).authRetryBackoff(Duration.ofMillis(20)).build();
    opened.add(ds);

    try (TenantScope s = TenantContext.open(acme); Connection c = ds.getConnection()) {
      assertThat(currentUser(c)).isEqualTo("rot_user");
    }
    LoopbackSecretsManager.Call call = secrets.calls().get(secrets.calls().size() - 1);
    assertThat(call.header("X-Amz-Target")).isEqualTo("secretsmanager.GetSecretValue");
    assertThat(LoopbackSecretsManager.secretId(call)).isEqualTo(ARN);
    assertThat(call.header("Authorization")).startsWith("AWS4-HMAC-SHA256").contains("/eu-west-1/secretsmanager/aws4_request");
    long fetchesBefore = secrets.fetchesOf(ARN);

    // Rotation: the database password changes, then the secret. Existing connections live on;
    // new ones first try the cached (old) password, are refused, re-fetch, and get in.
    PgFixture.pg().changePassword("rot_user", "second-password");
    secrets.secrets.put(ARN, LoopbackSecretsManager.rdsSecret("rot_user", "second-password", port));
    List<Connection> held = new ArrayList<>();
    try (TenantScope s = TenantContext.open(acme)) {
      for (int i = 0; i < 4; i++) {
        held.add(ds.getConnection()); // needs at least 3 new physical connections
      }
      for (Connection c : held) {
        assertThat(currentUser(c)).isEqualTo("rot_user");
      }
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
    TenantPoolStats stats = ds.stats(acme.id()).orElseThrow();
    assertThat(stats.total()).isGreaterThanOrEqualTo(4);
    assertThat(stats.authenticationFailures()).isBetween(1L, 3L);
    assertThat(secrets.fetchesOf(ARN) - fetchesBefore).isBetween(1L, 3L);
    assertThat(factory.fetches()).isEqualTo(secrets.fetchesOf(ARN));
  }

  @Test
  void passwordChangedButSecretNotYet_failsWithTheDriversSqlState_thenRecoversWhenTheSecretIs() throws Exception {
    int port = PgFixture.pg().port();
    String arn = ARN + "2";
    PgFixture.pg().changePassword("rot_user", "old-password");
    secrets.secrets.put(arn, LoopbackSecretsManager.rdsSecret("rot_user", "old-password", port));
    Tenant acme = secretTenant(arn);
    TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(TenantCatalog.inMemory(acme))
        .credentials(CredentialsSource.SECRET, SecretsManagerCredentialsFactory.builder().client(secrets.client())
            .minRefetchInterval(Duration.ZERO).build())
        .defaultPoolSettings(PoolSettings.ofMaxConnections(2).withWaitTimeout(Duration.ofSeconds(1)))
        .authRetryBackoff(Duration.ofMillis(10)).build();
    opened.add(ds);
    PgFixture.pg().changePassword("rot_user", "new-password");

    try (TenantScope s = TenantContext.open(acme)) {
      assertThatThrownBy(ds::getConnection).isInstanceOfSatisfying(TenantDbException.class, e -> {
        assertThat(e.reason()).isEqualTo(Reason.CONNECTION_FAILED);
        assertThat(e.getSQLState()).isEqualTo("28P01");
        assertThat(e.getMessage()).contains("acme").doesNotContain("old-password").doesNotContain("new-password");
      });
      secrets.secrets.put(arn, LoopbackSecretsManager.rdsSecret("rot_user", "new-password", port));
      try (Connection c = ds.getConnection()) {
        assertThat(currentUser(c)).isEqualTo("rot_user");
      }
    }
  }

  @Test
  void missingOrMalformedSecret_isACredentialsErrorThatNamesTheSecretButNotItsContents() {
    SecretsManagerCredentialsFactory factory = SecretsManagerCredentialsFactory.builder().client(secrets.client()).build();
    String missing = ARN + "-missing";
    assertThatThrownBy(() -> factory.credentials(secretTenant(missing).database().orElseThrow()))
        .isInstanceOfSatisfying(TenantDbException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS_FAILED);
          assertThat(e.getMessage()).contains(missing).contains("ResourceNotFoundException");
        });
    String malformed = ARN + "-malformed";
    secrets.secrets.put(malformed, "{\"username\": \"rot_user\", \"pass\": \"hunter2-secret\"}");
    assertThatThrownBy(() -> factory.credentials(secretTenant(malformed).database().orElseThrow()))
        .isInstanceOfSatisfying(TenantDbException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS_FAILED);
          assertThat(e.getMessage()).contains("password").doesNotContain("hunter2");
        });
    String notJson = ARN + "-notjson";
    secrets.secrets.put(notJson, "user=rot_user;password=hunter2-secret");
    assertThatThrownBy(() -> factory.credentials(secretTenant(notJson).database().orElseThrow()))
        .isInstanceOf(TenantDbException.class).hasMessageNotContaining("hunter2");
  }

  /** Records every credentials call, passing through to the real IAM token factory. */
  static final class Recording implements DbCredentialsFactory {
    final DbCredentialsFactory delegate;
    final List<DbCredentials> given = new CopyOnWriteArrayList<>();

    Recording(DbCredentialsFactory delegate) {
      this.delegate = delegate;
    }

    @Override
    public DbCredentials credentials(DatabaseConfig database) throws SQLException {
      DbCredentials c = delegate.credentials(database);
      given.add(c);
      return c;
    }
  }

  private static Tenant iamTenant() {
    return PgFixture.tenant("acme", DatabaseConfig.builder().isolation(IsolationMode.SILO).host("localhost")
        .port(PgFixture.pg().port()).database("iamdb").user("iam_app").credentials(CredentialsSource.IAM)
        .region("eu-west-1").build());
  }

  private static IamAuthTokenFactory iamFactory() {
    return IamAuthTokenFactory.builder()
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local-secret")))
        .build();
  }

  @Test
  void iam_eachNewPhysicalConnectionGetsAToken_andAWarmPoolSignsNothing() throws Exception {
    IamAuthTokenFactory tokens = iamFactory();
    Recording recording = new Recording(tokens);
    Tenant acme = iamTenant();
    TenantDataSource ds = TenantDataSource.builder().tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).catalog(TenantCatalog.inMemory(acme))
        .credentials(CredentialsSource.IAM, recording).build();
    opened.add(ds);

    List<Connection> held = new ArrayList<>();
    try (TenantScope s = TenantContext.open(acme)) {
      for (int i = 0; i < 3; i++) {
        held.add(ds.getConnection());
      }
      assertThat(currentUser(held.get(0))).isEqualTo("iam_app");
      for (Connection c : held) {
        c.close();
      }
      int physical = ds.stats(acme.id()).orElseThrow().total();
      assertThat(physical).isGreaterThanOrEqualTo(3);
      assertThat(recording.given).hasSize(physical);
      for (DbCredentials c : recording.given) {
        assertThat(c.user()).isEqualTo("iam_app");
        assertThat(c.password()).startsWith("localhost:" + PgFixture.pg().port() + "/?")
            .contains("DBUser=iam_app").contains("Action=connect").contains("X-Amz-Expires=900")
            .contains("%2Feu-west-1%2Frds-db%2Faws4_request");
      }
      // Three connections, one signature: the token is cached per (Region, host, port, user).
      assertThat(tokens.tokensSigned()).isEqualTo(1);

      int before = recording.given.size();
      for (int i = 0; i < 500; i++) {
        try (Connection c = ds.getConnection()) {
          assertThat(c.isClosed()).isFalse();
        }
      }
      assertThat(recording.given).hasSize(before);
    }
  }

  @Test
  void iam_requiresVerifiedTlsByDefault() throws Exception {
    Tenant acme = iamTenant();
    TenantDataSource noBundle = TenantDataSource.builder().catalog(TenantCatalog.inMemory(acme))
        .credentials(CredentialsSource.IAM, iamFactory()).build();
    opened.add(noBundle);
    try (TenantScope s = TenantContext.open(acme)) {
      assertThatThrownBy(noBundle::getConnection).isInstanceOfSatisfying(TenantDbException.class, e -> {
        assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(e.getMessage()).contains("rdsCaBundle").contains("TLS");
      });
    }
    // With a bundle, the driver insists on TLS: the local server offers none, so no token is sent
    // in the clear and the connection fails.
    Path bundle = Files.createTempFile("rds-ca", ".pem");
    Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n");
    TenantDataSource verified = TenantDataSource.builder().catalog(TenantCatalog.inMemory(acme))
        .credentials(CredentialsSource.IAM, iamFactory()).rdsCaBundle(bundle)
        .defaultPoolSettings(PoolSettings.ofMaxConnections(1).withWaitTimeout(Duration.ofSeconds(1))).build();
    opened.add(verified);
    try (TenantScope s = TenantContext.open(acme)) {
      assertThatThrownBy(verified::getConnection).isInstanceOfSatisfying(TenantDbException.class, e -> {
        assertThat(e.reason()).isEqualTo(Reason.CONNECTION_FAILED);
        assertThat(e.getMessage()).containsIgnoringCase("SSL");
      });
    }
  }
}
