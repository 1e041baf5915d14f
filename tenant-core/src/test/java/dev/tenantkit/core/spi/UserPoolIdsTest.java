package dev.tenantkit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.InvalidTenantRecordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserPoolIdsTest {
  @ParameterizedTest
  @ValueSource(strings = {"eu-west-1_AbC123", "us-gov-west-1_x", "eusc-de-east-1_AbC123", "cn-northwest-1_9",
      "ap-southeast-5_" + "a123456789b123456789c123456789d123456789e123456789f123456789abcd"})
  void isRegional_whenARegionsPoolId_true(String id) {
    assertThat(UserPoolIds.isRegional(id)).isTrue();
    assertThat(UserPoolIds.isEmulator(id)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "_AbC", "eu-west-1_", "eu-west-1", "eu-west_AbC", "EU-WEST-1_AbC", "eu-west-1_Ab-C",
      "eu-west-1_Ab_C", "eu-west-1_AbC ", "local_AbC", "eu-west-1_"
      + "a123456789b123456789c123456789d123456789e123456789f123456789abcde"})
  void isRegional_whenNotARegionsPoolId_false(String id) {
    assertThat(UserPoolIds.isRegional(id)).isFalse();
  }

  @Test
  void isEmulator_onlyLocalAndLettersOrDigits() {
    assertThat(UserPoolIds.isEmulator("local_AbC123")).isTrue();
    assertThat(UserPoolIds.isEmulator("local_")).isFalse();
    assertThat(UserPoolIds.isEmulator("local_Ab/C")).isFalse();
    assertThat(UserPoolIds.isEmulator("locals_AbC")).isFalse();
    assertThat(UserPoolIds.isEmulator(null)).isFalse();
    assertThat(UserPoolIds.isRegional(null)).isFalse();
  }

  @Test
  void identityConfig_acceptsAPoolInEveryRegionRegionsAccepts() {
    // Before one home, IdentityConfig's own pattern refused a pool of a Region Regions accepts.
    IdentityConfig config = IdentityConfig.builder().userPoolId("eusc-de-east-1_AbC123").region("eusc-de-east-1")
        .appClientIds("client1").build();
    assertThat(config.userPoolId()).isEqualTo("eusc-de-east-1_AbC123");
    assertThatThrownBy(() -> IdentityConfig.builder().userPoolId("eu-west_AbC").region("eu-west-1")
        .appClientIds("client1").build()).isInstanceOf(InvalidTenantRecordException.class)
        .hasMessageContaining("userPoolId").hasMessageContaining("eu-west_AbC");
  }

  @Test
  void identityConfig_emulatorPoolWithAnAwsIssuer_refused_andOnlyAPoolIdMakesARecordCognito() {
    assertThatThrownBy(() -> IdentityConfig.builder().userPoolId("local_AbC123")
        .issuer("https://cognito-idp.eu-west-1.amazonaws.com/local_AbC123").appClientIds("client1").build())
        .isInstanceOf(InvalidTenantRecordException.class).hasMessageContaining("issuer");
    assertThat(IdentityConfig.builder().userPoolId("local_AbC123").issuer("http://localhost:9229/local_AbC123")
        .appClientIds("client1").build().isCognito()).isTrue();
    assertThat(IdentityConfig.builder().issuer("https://acme.okta.example/oauth2/default").appClientIds("client1")
        .build().isCognito()).isFalse();
  }
}
