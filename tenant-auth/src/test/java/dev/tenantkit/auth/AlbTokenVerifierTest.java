package dev.tenantkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The builder's rules for where ALB keys may come from (no server needed). */
class AlbTokenVerifierTest {
  static final String ARN = AlbTokenVerifierIntegrationTest.ARN;

  @ParameterizedTest
  @ValueSource(strings = {"http://public-keys.auth.elb.eu-west-1.amazonaws.com", "http://10.0.0.5:8080",
      "http://keys.example.com", "ftp://127.0.0.1/keys", "file:///etc/keys", "keys"})
  void keyEndpoint_whenCleartextToTheNetworkOrNotHttp_refusedNamingTheOption(String endpoint) {
    assertThatThrownBy(() -> AlbTokenVerifier.builder().keyEndpoint(URI.create(endpoint)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("keyEndpoint must be https (plain http only to a loopback host)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://public-keys.auth.elb.us-gov-west-1.amazonaws.com", "http://127.0.0.1:9000",
      "http://localhost:9000", "http://[::1]:9000"})
  void keyEndpoint_whenHttpsOrLoopback_accepted(String endpoint) {
    assertThat(AlbTokenVerifier.builder().region("eu-west-1").albArn(ARN).keyEndpoint(URI.create(endpoint))
        .build()).isNotNull();
  }
}
