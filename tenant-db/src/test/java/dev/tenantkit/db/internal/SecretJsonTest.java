package dev.tenantkit.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.db.DbCredentials;
import dev.tenantkit.db.TenantDbException;
import org.junit.jupiter.api.Test;

class SecretJsonTest {
  private static final String ARN = "arn:aws:secretsmanager:eu-west-1:1:secret:x";

  @Test
  void parse_readsUsernameAndPassword_ignoringTheOtherRdsFields() throws Exception {
    DbCredentials c = SecretJson.parse("{\"engine\":\"postgres\",\"host\":\"h\",\"port\":5432,"
        + "\"username\":\"app\",\"password\":\"p@ss\\\"word\",\"dbname\":\"d\",\"extra\":{\"a\":[1,2]}}", ARN);
    assertThat(c).isEqualTo(new DbCredentials("app", "p@ss\"word"));
  }

  @Test
  void parse_errorsNameTheSecretAndField_neverTheContents() {
    String[] bad = {"not json at all hunter2", "[\"hunter2\"]", "{\"username\":\"app\"}",
        "{\"username\":\"app\",\"password\":42}", "{\"password\":\"hunter2\"}", "{\"username\":\"app\",\"password\":\"hunter2\""};
    for (String json : bad) {
      assertThatThrownBy(() -> SecretJson.parse(json, ARN)).as(json)
          .isInstanceOfSatisfying(TenantDbException.class, e -> {
            assertThat(e.reason()).isEqualTo(TenantDbException.Reason.CREDENTIALS_FAILED);
            assertThat(e.getMessage()).contains(ARN).doesNotContain("hunter2");
            assertThat(e.getCause()).isNull();
          });
    }
  }

  @Test
  void authenticationFailures_areRecognisedByEngineCode() {
    assertThat(Jdbc.isAuthenticationFailure(new java.sql.SQLException("x", "28P01"))).isTrue();
    assertThat(Jdbc.isAuthenticationFailure(new java.sql.SQLException("x", "28000"))).isTrue();
    assertThat(Jdbc.isAuthenticationFailure(new java.sql.SQLException("x", "HY000", 1045))).isTrue();
    assertThat(Jdbc.isAuthenticationFailure(new java.sql.SQLException("x", "08001",
        new java.sql.SQLException("inner", "28P01")))).isTrue();
    assertThat(Jdbc.isAuthenticationFailure(new java.sql.SQLException("x", "08001"))).isFalse();
  }
}
