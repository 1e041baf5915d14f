package dev.tenantkit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostsTest {
  @ParameterizedTest
  @ValueSource(strings = {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "[::1]",
      "0:0:0:0:0:0:0:1", "[0000:0000::0001]", "0::1", "127.0.0.255", "127.0.0.0", "::0:1", "0::0:1",
      "::0001", "0:0:0:0:0:0:0:0001", "0:0:0:0:0:0::1", "127.000.000.001", "127.9.9.9", "127.0.0.9"})
  void isLoopback_whenLiteralLoopback_true(String host) {
    assertThat(Hosts.isLoopback(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "127.example.com", "localhost.example.com", "127.0.0.1.nip.io", "128.0.0.1",
      "127.0.0.256", "127.0.0", "127.0.0.01.2", "10.0.0.1", "::2", "1::", "::", "::1%eth0", "::ffff:127.0.0.1",
      "1:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:0:1", "::1::", "[::1", "db.internal", "0x7f.0.0.1", "1271.0.0.1",
      "127.0.0.1.1", "0:0:0:0:0:0:1", "::1:0", "00000::1", "::g", ":::1", "::10", "::11", "::0002", "1::1",
      "127.0.0.-1", "127.0..1", "0:0:0:0:0:0:0:2", "::1%lo", "0:0:0:0:0:1:0:1", "256.0.0.1",
      "0:0:0:0:0:0:0::1", "127.0.0.a", "127.0.0.:"})
  void isLoopback_whenNotALoopbackLiteral_false(String host) {
    assertThat(Hosts.isLoopback(host)).isFalse();
  }
}
