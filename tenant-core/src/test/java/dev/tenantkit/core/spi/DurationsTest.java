package dev.tenantkit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void requireBetween_insideOrOnTheBounds_returnsTheValue() {
    Duration min = Duration.ofMillis(250);
    Duration max = Duration.ofMinutes(5);
    assertThat(Durations.requireBetween("waitTimeout", min, min, max)).isEqualTo(min);
    assertThat(Durations.requireBetween("waitTimeout", max, min, max)).isEqualTo(max);
    assertThat(Durations.requireBetween("waitTimeout", Duration.ofSeconds(2), min, max)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void requireBetween_outside_refusesNamingOptionRangeAndValue() {
    assertThatThrownBy(() -> Durations.requireBetween("waitTimeout", Duration.ofMillis(249), Duration.ofMillis(250),
        Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("waitTimeout must be between 250 ms and 5 minutes, was 249 ms");
    assertThatThrownBy(() -> Durations.requireBetween("ttl", Duration.ofHours(25), Duration.ofSeconds(1),
        Duration.ofHours(24))).hasMessage("ttl must be between 1 s and 1 day, was 25 hours");
    assertThatThrownBy(() -> Durations.requireBetween("ttl", null, Duration.ZERO, Duration.ofDays(1)))
        .isInstanceOf(NullPointerException.class).hasMessage("ttl");
  }

  @Test
  void words_readAsPeopleWriteThem() {
    assertThat(Durations.words(Duration.ZERO)).isEqualTo("0");
    assertThat(Durations.words(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    assertThat(Durations.words(Duration.ofSeconds(90))).isEqualTo("90 s");
    assertThat(Durations.words(Duration.ofMinutes(1))).isEqualTo("1 minute");
    assertThat(Durations.words(Duration.ofMinutes(90))).isEqualTo("90 minutes");
    assertThat(Durations.words(Duration.ofHours(1))).isEqualTo("1 hour");
    assertThat(Durations.words(Duration.ofDays(7))).isEqualTo("7 days");
    assertThat(Durations.words(Duration.ofNanos(5))).isEqualTo("PT0.000000005S");
    assertThat(Durations.words(Duration.ofSeconds(-1))).isEqualTo("PT-1S");
  }
}
