package dev.tenantkit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlStatesTest {
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(nullValues = "null", value = {
      "08000, true", "08001, true", "08003, true", "08006, true", // connection exceptions
      "57P01, true", "57P02, true", "57P03, true", "53300, true", // shut down, crashed, starting, full
      "57014, false", // query canceled: the session lives on
      "23505, false", "42P01, false", "40001, false", "28P01, false", "TK007, false", "null, false", "'', false"})
  void databaseUnavailable_onlyForAGoneOrUnreachableDatabase(String state, boolean unavailable) {
    assertThat(SqlStates.databaseUnavailable(state)).isEqualTo(unavailable);
  }

  @org.junit.jupiter.api.Test
  void databaseUnavailable_findsTheStateThroughWrappersAndNextExceptions() {
    java.sql.SQLException batch = new java.sql.SQLException("batch failed", "S1000");
    batch.setNextException(new java.sql.SQLException("I/O error", "08006"));
    assertThat(SqlStates.databaseUnavailable(new IllegalStateException("wrapped", batch))).isTrue();
    assertThat(SqlStates.databaseUnavailable(new IllegalStateException(new java.sql.SQLException("dup", "23505"))))
        .isFalse();
    assertThat(SqlStates.databaseUnavailable(new IllegalStateException("no SQL at all"))).isFalse();
  }
}
