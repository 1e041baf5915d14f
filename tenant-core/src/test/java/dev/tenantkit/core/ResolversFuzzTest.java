package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Properties of the resolvers and the trusted-proxy check, for any Host, path, header and peer
 * address:
 * <ul>
 *   <li>each resolver answers a valid tenant id that the request really names in its place (the
 *       subdomain label, the path segment, the trusted proxy's header), answers nothing, or
 *       refuses with a {@link TenantKitException}; never another exception;</li>
 *   <li>an address outside the configured ranges is never trusted, and the header of an
 *       untrusted peer never names the tenant; an address inside them is trusted.</li>
 * </ul>
 * The reference for "inside" is the JDK's own parsing of the address bytes, never DNS.
 * Regression mode runs the committed corpus in every build; fuzz with
 * {@code JAZZER_FUZZ=1 mvn -B -pl tenant-core test -Dtest=ResolversFuzzTest}.
 */
class ResolversFuzzTest {
  private static final TrustedProxies PROXIES = TrustedProxies.of("10.0.0.0/24", "2001:db8:abcd::/48");
  private static final TenantResolver SUBDOMAIN = TenantResolvers.subdomain("{tenant}.app.example.com");
  private static final TenantResolver PATH = TenantResolvers.path("/t/{tenant}");
  private static final TenantResolver HEADER = TenantResolvers.header("X-Tenant-Id", PROXIES);
  // An octet is 1 to 3 decimal digits; a leading zero is decimal (010 is ten, never octal).
  private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  @FuzzTest(maxDuration = "5m")
  void fuzz_resolvers(FuzzedDataProvider data) {
    String host = data.consumeString(80);
    String path = data.consumeString(120);
    String header = data.consumeString(60);
    String peer = data.consumeBoolean() ? data.consumeString(45) : canonical(data.consumeBytes(data.consumeBoolean() ? 4 : 16));
    TenantRequest request;
    try {
      request = TenantRequest.builder().host(host).path(path).header("X-Tenant-Id", header).remoteAddress(peer).build();
    } catch (TenantKitException refused) {
      return;
    }
    Optional<TenantId> bySubdomain = resolve(SUBDOMAIN, request);
    bySubdomain.ifPresent(id -> assertThat(request.host()).isEqualTo(id.value() + ".app.example.com"));
    Optional<TenantId> byPath = resolve(PATH, request);
    // The segment ends at '/' or at ';' (servlet path parameters: /t/acme;jsessionid=1 is acme's).
    byPath.ifPresent(id -> assertThat(request.path().equals("/t/" + id.value())
        || request.path().startsWith("/t/" + id.value() + "/") || request.path().startsWith("/t/" + id.value() + ";"))
        .as("path %s", request.path()).isTrue());
    Optional<TenantId> byHeader = resolve(HEADER, request);
    byHeader.ifPresent(id -> {
      assertThat(inRanges(request.remoteAddress())).as("trusted %s", request.remoteAddress()).isTrue();
      assertThat(header.trim()).isEqualToIgnoringCase(id.value());
    });

    boolean trusted = PROXIES.contains(peer);
    Boolean reference = inRanges(peer);
    if (trusted) {
      assertThat(reference).as("trusted an address outside the ranges: %s", peer).isTrue();
    } else if (reference != null && reference && isCanonical(peer)) {
      assertThat(trusted).as("did not trust %s, inside the ranges", peer).isTrue();
    }
  }

  private static Optional<TenantId> resolve(TenantResolver resolver, TenantRequest request) {
    try {
      return resolver.resolve(request);
    } catch (TenantKitException refused) {
      return Optional.empty();
    }
  }

  /** The JDK's text for an address of 4 or 16 bytes (padded with zeros). */
  private static String canonical(byte[] bytes) {
    byte[] b = java.util.Arrays.copyOf(bytes, bytes.length <= 4 ? 4 : 16);
    try {
      return InetAddress.getByAddress(b).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isCanonical(String peer) {
    return DOTTED_QUAD.matcher(peer).matches() || peer.matches("[0-9a-f:]+");
  }

  /** Whether {@code address} is a literal inside the ranges; null when it is no literal. No DNS. */
  static Boolean inRanges(String address) {
    if (address == null || !(DOTTED_QUAD.matcher(address).matches() || address.matches("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\\]?"))) {
      return null;
    }
    if (DOTTED_QUAD.matcher(address).matches()) {
      for (String octet : address.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return null; // no literal, and the JDK would try it as a host name
        }
      }
    }
    byte[] b;
    try {
      b = InetAddress.getByName(address).getAddress(); // a literal: parsed, never looked up
    } catch (UnknownHostException e) {
      return null;
    }
    if (b.length == 4) {
      return (b[0] & 0xff) == 10 && b[1] == 0 && b[2] == 0;
    }
    return (b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8
        && (b[4] & 0xff) == 0xab && (b[5] & 0xff) == 0xcd;
  }

}
