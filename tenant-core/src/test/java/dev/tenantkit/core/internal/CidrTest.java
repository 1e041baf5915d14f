package dev.tenantkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The CIDR rules at their edges: which literals parse (and to what), which blocks parse, and
 * membership at prefix boundaries, for the fast IPv4 path and the general byte path alike.
 * Written to the mutation report (docs/mutation-testing.md): each case pins a boundary.
 */
class CidrTest {

  @ParameterizedTest
  @CsvSource({"0.0.0.0,0", "255.255.255.255,4294967295", "1.2.3.4,16909060", "10.0.0.1,167772161",
      "192.168.100.200,3232261320", "9.9.9.9,151587081"})
  void parseIpv4AsLong_whenDottedQuad_itsValue(String address, long value) {
    assertThat(Cidr.parseIpv4AsLong(address)).isEqualTo(value);
    assertThat(Cidr.parseLiteral(address)).hasSize(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "1.2.3.256", "256.1.1.1", "1..2.3", ".1.2.3", "1.2.3.",
      "a.b.c.d", "1.2.3.4 ", " 1.2.3.4", "123.123.123.1234", "1.2.3.4/8", "1.2.3.-4", "0.0.0", "1000.1.1.1",
      "1.2.3.4.", "01.2.3.44444", "1.2.3.x4", "", "1.2.3.4.5.6"})
  void parseIpv4AsLong_whenNotADottedQuad_minusOne(String address) {
    assertThat(Cidr.parseIpv4AsLong(address)).isEqualTo(-1L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "1.2.3.256", "1..2.3", ".1.2.3", "1.2.3.", "a.b.c.d",
      "fe80::1%eth0", "example.com", "::g", "1.2.3.4/8", "[1.2.3.4", "localhost"})
  void parseLiteral_whenNoLiteral_null(String address) {
    assertThat(Cidr.parseLiteral(address)).isNull();
  }

  @Test
  void parseLiteral_edges() {
    assertThat(Cidr.parseLiteral(null)).isNull();
    assertThat(Cidr.parseLiteral("1".repeat(65))).isNull();
    assertThat(Cidr.parseLiteral("[::1]")).hasSize(16);
    assertThat(Cidr.parseLiteral("::1")).hasSize(16);
    assertThat(Cidr.parseLiteral("::ffff:10.0.0.1")).containsExactly(10, 0, 0, 1);
    assertThat(Cidr.parseLiteral("10.0.0.1")).containsExactly(10, 0, 0, 1);
    assertThat(Cidr.parseLiteral("255.255.255.255")).containsExactly(-1, -1, -1, -1);
    assertThat(Cidr.parseLiteral("0.0.0.0")).containsExactly(0, 0, 0, 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0.0/", "::/129", "nope/8", "10.0.0/8"})
  void parse_whenBadBlock_refusedNamingIt(String cidr) {
    assertThatThrownBy(() -> Cidr.parse(cidr)).isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void parse_whenPrefixTooLong_namesTheFamilysRange() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
    assertThatThrownBy(() -> Cidr.parse("fd00::/129")).hasMessageContaining("0 to 128");
  }

  @ParameterizedTest
  @CsvSource({
      // block, address, inside
      "10.0.0.0/8, 10.255.255.255, true", "10.0.0.0/8, 11.0.0.0, false", "10.0.0.0/8, 9.255.255.255, false",
      "192.168.1.128/25, 192.168.1.128, true", "192.168.1.128/25, 192.168.1.255, true",
      "192.168.1.128/25, 192.168.1.127, false", "192.168.1.0/31, 192.168.1.1, true",
      "192.168.1.0/31, 192.168.1.2, false", "192.168.1.7/32, 192.168.1.7, true", "192.168.1.7/32, 192.168.1.6, false",
      "192.168.1.7, 192.168.1.7, true", "192.168.1.7, 192.168.1.8, false", "0.0.0.0/0, 203.0.113.9, true",
      "128.0.0.0/1, 127.255.255.255, false", "128.0.0.0/1, 128.0.0.0, true", "172.16.0.0/12, 172.31.255.255, true",
      "172.16.0.0/12, 172.32.0.0, false",
      "2001:db8::/32, 2001:db8:ffff::1, true", "2001:db8::/32, 2001:db9::1, false", "2001:db8::/33, 2001:db8:8000::1, false",
      "2001:db8::/33, 2001:db8:7fff::1, true", "::/0, 2001:db8::1, true", "::1/128, ::1, true", "::1/128, ::2, false",
      "fd00::/8, fdff::1, true", "fd00::/8, fe00::1, false", "fd00::/7, fc00::1, true", "fd00::/9, fd80::1, false",
      "10.0.0.0/8, ::ffff:10.1.2.3, true", "10.0.0.0/8, 2001:db8::1, false", "2001:db8::/32, 10.0.0.1, false",
      "fd00::/8, FDFF::1, true", "2001:db8::/32, 2001:0DB8:ABCD::9, true", "2001:DB8::/32, 2001:db8:9:9::9, true",
      "9.0.0.0/8, 9.9.9.9, true"})
  void contains_atPrefixBoundaries(String block, String address, boolean inside) {
    Cidr cidr = Cidr.parse(block);
    assertThat(cidr.contains(Cidr.parseLiteral(address))).as("bytes %s in %s", address, block).isEqualTo(inside);
    long v4 = Cidr.parseIpv4AsLong(address);
    if (cidr.isIpv4() && v4 >= 0) {
      assertThat(cidr.containsIpv4(v4)).as("fast path %s in %s", address, block).isEqualTo(inside);
    }
    assertThat(cidr.toString()).isEqualTo(block.trim());
  }

  @Test
  void isIpv4_byFamily() {
    assertThat(Cidr.parse("10.0.0.0/8").isIpv4()).isTrue();
    assertThat(Cidr.parse("fd00::/8").isIpv4()).isFalse();
  }
}
