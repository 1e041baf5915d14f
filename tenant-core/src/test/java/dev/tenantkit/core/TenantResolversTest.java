package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantResolversTest {
  static TenantRequest host(String host) {
    return TenantRequest.builder().host(host).build();
  }

  static Optional<String> id(TenantResolver r, TenantRequest req) {
    return r.resolve(req).map(TenantId::value);
  }

  @Test
  void subdomain_matchesOneLabelCaseInsensitiveIgnoringPort() {
    TenantResolver r = TenantResolvers.subdomain("{tenant}.app.example.com");
    assertThat(id(r, host("acme.app.example.com"))).contains("acme");
    assertThat(id(r, host("ACME.App.Example.com:8443"))).contains("acme");
    assertThat(id(r, host("app.example.com"))).isEmpty();
    assertThat(id(r, host("a.b.app.example.com"))).isEmpty();
    assertThat(id(r, host("acme.app.example.com.evil.io"))).isEmpty();
    assertThat(id(r, host("acmeapp.example.com"))).isEmpty();
    assertThat(id(r, host(".app.example.com"))).isEmpty();
    assertThat(id(r, host("[::1]:8080"))).isEmpty();
    assertThat(id(r, host(""))).isEmpty();
  }

  @Test
  void subdomain_whenLabelIsNotAValidId_refused() {
    TenantResolver r = TenantResolvers.subdomain("{tenant}.app.example.com");
    assertThatThrownBy(() -> r.resolve(host("ac_me.app.example.com")))
        .isInstanceOf(InvalidTenantIdException.class);
    assertThatThrownBy(() -> r.resolve(host("xn--80ak6aa92e.app.example.com")))
        .isInstanceOf(InvalidTenantIdException.class);
  }

  @Test
  void subdomain_withPrefixPattern_works() {
    TenantResolver r = TenantResolvers.subdomain("api.{tenant}.example.com");
    assertThat(id(r, host("api.acme.example.com"))).contains("acme");
    assertThat(id(r, host("web.acme.example.com"))).isEmpty();
  }

  @Test
  void subdomain_whenPatternBad_refusedAtBuild() {
    assertThatThrownBy(() -> TenantResolvers.subdomain("app.example.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantResolvers.subdomain("x{tenant}.example.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantResolvers.subdomain("{tenant}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void path_matchesWholeSegmentOfRawPath() {
    TenantResolver r = TenantResolvers.path("/t/{tenant}");
    assertThat(id(r, TenantRequest.builder().path("/t/acme").build())).contains("acme");
    assertThat(id(r, TenantRequest.builder().path("/t/acme/orders/7").build())).contains("acme");
    assertThat(id(r, TenantRequest.builder().path("/t/acme;jsessionid=1").build())).contains("acme");
    assertThat(id(r, TenantRequest.builder().path("/t/").build())).isEmpty();
    assertThat(id(r, TenantRequest.builder().path("/health").build())).isEmpty();
    for (String hostile : new String[] {"/t/%61cme", "/t/..", "/t/acme%2f..%2fglobex", "/t/ACME"}) {
      assertThatThrownBy(() -> r.resolve(TenantRequest.builder().path(hostile).build()))
          .as(hostile).isInstanceOf(InvalidTenantIdException.class);
    }
  }

  @Test
  void header_onlyFromTrustedProxies() {
    TenantResolver r = TenantResolvers.header("X-Tenant-Id", TrustedProxies.of("10.0.0.0/16", "fd00::/8"));
    TenantRequest fromProxy = TenantRequest.builder().header("x-tenant-id", "acme").remoteAddress("10.0.3.7").build();
    TenantRequest fromV6Proxy = TenantRequest.builder().header("X-Tenant-Id", "acme").remoteAddress("fd00::1").build();
    TenantRequest fromClient = TenantRequest.builder().header("X-Tenant-Id", "acme").remoteAddress("203.0.113.9").build();
    TenantRequest fromHostName = TenantRequest.builder().header("X-Tenant-Id", "acme").remoteAddress("proxy.internal").build();
    assertThat(id(r, fromProxy)).contains("acme");
    assertThat(id(r, fromV6Proxy)).contains("acme");
    assertThat(id(r, fromClient)).isEmpty();
    assertThat(id(r, fromHostName)).isEmpty();
  }

  @Test
  void header_whenRepeatedWithDifferentValues_mismatch() {
    TenantResolver r = TenantResolvers.header("X-Tenant-Id", TrustedProxies.of("127.0.0.1"));
    TenantRequest req = TenantRequest.builder().header("X-Tenant-Id", "acme")
        .header("X-Tenant-Id", "globex").remoteAddress("127.0.0.1").build();
    assertThatThrownBy(() -> r.resolve(req)).isInstanceOf(TenantMismatchException.class);
  }

  @Test
  void trustedProxies_parseAndMatch() {
    TrustedProxies p = TrustedProxies.of("192.168.1.0/25");
    assertThat(p.contains("192.168.1.127")).isTrue();
    assertThat(p.contains("192.168.1.128")).isFalse();
    assertThat(p.contains("192.168.1")).isFalse();
    assertThat(p.contains("192.168.1.1.1")).isFalse();
    assertThat(p.contains("256.1.1.1")).isFalse();
    assertThat(p.contains("::ffff:192.168.1.5")).isTrue();
    assertThatThrownBy(() -> TrustedProxies.of("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrustedProxies.of("example.com")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void trustedProxies_ipv4FastPathAgreesWithGeneralPath() {
    TrustedProxies p = TrustedProxies.of("0.0.0.0/0");
    assertThat(p.contains("255.255.255.255")).isTrue();
    assertThat(p.contains("0.0.0.0")).isTrue();
    TrustedProxies exact = TrustedProxies.of("10.1.2.3");
    assertThat(exact.contains("10.1.2.3")).isTrue();
    assertThat(exact.contains("10.1.2.4")).isFalse();
    assertThat(exact.contains("010.1.2.3")).isTrue(); // leading zeros are decimal, never octal
    // ...but an octet is at most three digits, on the fast path and on the general one (found by
    // fuzzing: the general path took any number of leading zeros).
    assertThat(exact.contains("0010.1.2.3")).isFalse();
    assertThat(exact.contains("10.0001.2.3")).isFalse();
    assertThat(exact.contains("00000000000000000000000000000010.1.2.3")).isFalse();
    assertThatThrownBy(() -> TrustedProxies.of("0010.1.2.3")).isInstanceOf(RuntimeException.class);
    assertThat(exact.contains("10.1.2.3 ")).isFalse();
    assertThat(exact.contains("1.2.3")).isFalse();
    TrustedProxies v6only = TrustedProxies.of("::/0");
    assertThat(v6only.contains("10.1.2.3")).isFalse();
    assertThat(v6only.contains("2001:db8::1")).isTrue();
  }

  @Test
  void pinnedFromEnvironment_readsVariableOrFailsClearly() {
    assertThat(id(TenantResolvers.pinnedFromEnvironment(Map.of("TENANTKIT_TENANT_ID", "acme")), host("x")))
        .contains("acme");
    assertThatThrownBy(() -> TenantResolvers.pinnedFromEnvironment(Map.of()))
        .isInstanceOf(TenantConfigurationException.class)
        .hasMessageContaining("TENANTKIT_TENANT_ID");
    assertThatThrownBy(() -> TenantResolvers.pinnedFromEnvironment(Map.of("TENANTKIT_TENANT_ID", "Bad Id")))
        .isInstanceOf(InvalidTenantIdException.class);
  }

  @Test
  void firstMatch_takesFirstAnswer() {
    TenantResolver r = TenantResolvers.firstMatch(
        TenantResolvers.path("/t/{tenant}"), TenantResolvers.subdomain("{tenant}.app.example.com"));
    assertThat(id(r, TenantRequest.builder().host("acme.app.example.com").path("/t/globex").build()))
        .contains("globex");
    assertThat(id(r, TenantRequest.builder().host("acme.app.example.com").path("/").build()))
        .contains("acme");
  }

  @Test
  void allAgree_whenSourcesDisagree_mismatchNamingBoth() {
    TenantResolver r = TenantResolvers.allAgree(
        TenantResolvers.pinned(TenantId.of("acme")), TenantResolvers.subdomain("{tenant}.app.example.com"));
    assertThat(id(r, host("acme.app.example.com"))).contains("acme");
    assertThat(id(r, host("localhost"))).contains("acme");
    assertThatThrownBy(() -> r.resolve(host("globex.app.example.com")))
        .isInstanceOf(TenantMismatchException.class)
        .hasMessageContaining("pinned=acme")
        .hasMessageContaining("subdomain=globex");
  }

  @Test
  void trustedProxies_anIpv6AddressOutsideEveryBlock_isNotTrusted_andToStringNamesTheBlocks() {
    TrustedProxies proxies = TrustedProxies.of("10.0.0.0/16", "fd00::/8");
    assertThat(proxies.contains("fd00::1")).isTrue();
    assertThat(proxies.contains("2001:db8::1")).isFalse();
    assertThat(proxies.contains("fe80::1")).isFalse();
    assertThat(proxies.toString()).startsWith("TrustedProxies[").contains("10.0.0.0/16");
  }
}
