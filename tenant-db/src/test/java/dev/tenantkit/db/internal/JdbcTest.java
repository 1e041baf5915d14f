package dev.tenantkit.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.DatabaseEngine;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.db.TenantDbException;
import dev.tenantkit.db.TlsMode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class JdbcTest {
  private static DatabaseConfig db(DatabaseEngine engine, IsolationMode mode) {
    return DatabaseConfig.builder().engine(engine).isolation(mode).host("db.example.internal").database("app")
        .schema(mode == IsolationMode.BRIDGE ? "acme" : null).user("app").credentials(CredentialsSource.IAM)
        .region("eu-west-1").build();
  }

  @Test
  void url_perEngine_usesTheEnginesDefaultPort() {
    assertThat(Jdbc.url(db(DatabaseEngine.POSTGRESQL, IsolationMode.SILO)))
        .isEqualTo("jdbc:postgresql://db.example.internal:5432/app");
    assertThat(Jdbc.url(db(DatabaseEngine.MYSQL, IsolationMode.BRIDGE)))
        .isEqualTo("jdbc:mysql://db.example.internal:3306/app");
  }

  @Test
  void properties_verifyFull_setsEachEnginesTlsOptions_andExtrasWin() {
    Properties pg = Jdbc.properties(db(DatabaseEngine.POSTGRESQL, IsolationMode.SILO), "tenantkit-acme",
        TlsMode.VERIFY_FULL, Path.of("/etc/rds.pem"), 5, Map.of("tcpKeepAlive", "false"));
    assertThat(pg.getProperty("sslmode")).isEqualTo("verify-full");
    assertThat(pg.getProperty("sslrootcert")).isEqualTo("/etc/rds.pem");
    assertThat(pg.getProperty("ApplicationName")).isEqualTo("tenantkit-acme");
    assertThat(pg.getProperty("tcpKeepAlive")).isEqualTo("false");
    assertThat(pg.getProperty("password")).isNull();

    Properties my = Jdbc.properties(db(DatabaseEngine.MYSQL, IsolationMode.SILO), "x", TlsMode.VERIFY_FULL, null, 5,
        Map.of());
    assertThat(my.getProperty("sslMode")).isEqualTo("VERIFY_IDENTITY");
    assertThat(my.getProperty("connectTimeout")).isEqualTo("5000");
    assertThat(Jdbc.properties(db(DatabaseEngine.MYSQL, IsolationMode.SILO), "x", TlsMode.DISABLE, null, 5, Map.of())
        .getProperty("sslMode")).isEqualTo("DISABLED");
    // DISABLE says plaintext, not the driver's default (pgjdbc's prefer would try unverified TLS).
    assertThat(Jdbc.properties(db(DatabaseEngine.POSTGRESQL, IsolationMode.SILO), "x", TlsMode.DISABLE, null, 5,
        Map.of()).getProperty("sslmode")).isEqualTo("disable");
  }

  @Test
  void driver_missingForMysql_namesTheArtifactToAdd() {
    DatabaseConfig mysql = db(DatabaseEngine.MYSQL, IsolationMode.SILO);
    assertThatThrownBy(() -> Jdbc.driver(mysql, Jdbc.url(mysql))).isInstanceOfSatisfying(TenantDbException.class, e -> {
      assertThat(e.reason()).isEqualTo(TenantDbException.Reason.CONFIGURATION);
      assertThat(e.getMessage()).contains("mysql-connector-j");
    });
  }

  @Test
  void quoteIdentifier_doublesEmbeddedQuotes() {
    assertThat(Jdbc.quoteIdentifier("acme")).isEqualTo("\"acme\"");
    assertThat(Jdbc.quoteIdentifier("a\"b")).isEqualTo("\"a\"\"b\"");
  }
}
