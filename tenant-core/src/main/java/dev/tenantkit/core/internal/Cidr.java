package dev.tenantkit.core.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/** One CIDR block, matched against IP literals without any name lookup. */
public final class Cidr {
  private final byte[] network;
  private final int prefixBits;
  private final String text;
  // For IPv4 blocks, precomputed so the per-request check is two ANDs and a compare.
  private final long v4Mask;
  private final long v4Net;

  private Cidr(byte[] network, int prefixBits, String text) {
    this.network = network;
    this.prefixBits = prefixBits;
    this.text = text;
    if (network.length == 4) {
      long net = ((network[0] & 0xffL) << 24) | ((network[1] & 0xffL) << 16)
          | ((network[2] & 0xffL) << 8) | (network[3] & 0xffL);
      this.v4Mask = prefixBits == 0 ? 0 : (0xffffffffL << (32 - prefixBits)) & 0xffffffffL;
      this.v4Net = net & v4Mask;
    } else {
      this.v4Mask = 0;
      this.v4Net = -1;
    }
  }

  /** Parses {@code 10.0.0.0/8}, {@code fd00::/8} or a bare address. */
  public static Cidr parse(String cidr) {
    String s = cidr.trim();
    int slash = s.indexOf('/');
    byte[] ip = parseLiteral(slash < 0 ? s : s.substring(0, slash));
    if (ip == null) {
      throw new IllegalArgumentException("not an IP address or CIDR block: " + SafeText.quote(cidr));
    }
    int bits = ip.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > ip.length * 8) {
        throw new IllegalArgumentException("CIDR prefix length must be 0 to " + ip.length * 8
            + ": " + SafeText.quote(cidr));
      }
    }
    return new Cidr(ip, bits, s);
  }

  /**
   * The bytes of an IPv4 or IPv6 literal, or null for anything else (host names included:
   * this never resolves a name). IPv4-mapped IPv6 addresses come back as IPv4.
   */
  public static byte @Nullable [] parseLiteral(@Nullable String address) {
    if (address == null || address.isEmpty() || address.length() > 64) {
      return null;
    }
    String a = address;
    if (a.charAt(0) == '[' && a.charAt(a.length() - 1) == ']') {
      a = a.substring(1, a.length() - 1);
    }
    if (a.indexOf(':') >= 0) {
      for (int i = 0; i < a.length(); i++) {
        char c = a.charAt(i);
        boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
            || c == ':' || c == '.';
        if (!ok) {
          return null; // zone ids and anything else are refused
        }
      }
      try {
        // A literal containing ':' is parsed as IPv6 without a lookup.
        return InetAddress.getByName(a).getAddress();
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return parseIpv4(a);
  }

  private static byte @Nullable [] parseIpv4(String a) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= a.length(); i++) {
      char c = i == a.length() ? '.' : a.charAt(i);
      if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        // An octet is 1 to 3 decimal digits (010 is ten, never octal), as in parseIpv4AsLong.
        if (value > 255 || ++digits > 3) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  /** Whether this block is IPv4, so {@link #containsIpv4} applies. */
  public boolean isIpv4() {
    return network.length == 4;
  }

  /**
   * An IPv4 dotted quad as a non-negative long, or -1 when {@code a} is not one.
   * Allocation-free: this runs for every request that carries a proxy header.
   */
  public static long parseIpv4AsLong(String a) {
    long out = 0;
    int parts = 0;
    int value = -1;
    int n = a.length();
    if (n < 7 || n > 15) {
      return -1;
    }
    int digits = 0;
    for (int i = 0; i <= n; i++) {
      char c = i == n ? '.' : a.charAt(i);
      if (c == '.') {
        if (value < 0 || parts > 3) {
          return -1;
        }
        out = (out << 8) | value;
        parts++;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        // An octet is 1 to 3 decimal digits: 010 is ten (never octal); 0010 is no octet.
        if (value > 255 || ++digits > 3) {
          return -1;
        }
      } else {
        return -1;
      }
    }
    return parts == 4 ? out : -1;
  }

  /** Whether the IPv4 address {@code ip} (from {@link #parseIpv4AsLong}) is in this IPv4 block. */
  public boolean containsIpv4(long ip) {
    return (ip & v4Mask) == v4Net;
  }

  /** Whether {@code ip} (from {@link #parseLiteral}) is in this block. */
  public boolean contains(byte[] ip) {
    if (ip.length != network.length) {
      return false;
    }
    int full = prefixBits / 8;
    for (int i = 0; i < full; i++) {
      if (ip[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixBits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (ip[full] & mask) == (network[full] & mask);
  }

  @Override
  public String toString() {
    return text;
  }
}
