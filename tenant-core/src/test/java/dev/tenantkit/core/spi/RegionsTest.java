package dev.tenantkit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegionsTest {
  @ParameterizedTest
  @ValueSource(strings = {"eu-west-1", "us-east-1", "us-gov-west-1", "us-isob-east-1", "cn-northwest-1",
      "ap-southeast-5", "eu-central-2", "il-central-1", "eusc-de-east-1"})
  void isRegion_whenARegionCode_true(String region) {
    assertThat(Regions.isRegion(region)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "eu-west", "EU-WEST-1", "eu_west_1", "eu-west-123", "west-1", "eu-west-1 ", "e-west-1"})
  void isRegion_whenNotARegionCode_false(String value) {
    assertThat(Regions.isRegion(value)).isFalse();
  }
}
