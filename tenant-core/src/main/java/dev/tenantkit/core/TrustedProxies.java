package dev.tenantkit.core;

import dev.tenantkit.core.internal.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks a request must come from for a proxy-set header to be believed, as CIDR blocks
 * (for example the load balancer subnets {@code 10.0.0.0/24}). Addresses are matched as IP
 * literals only: no DNS lookup ever happens on the request path.
 */
public final class TrustedProxies {
  private final List<Cidr> blocks;

  private TrustedProxies(List<Cidr> blocks) {
    this.blocks = blocks;
  }

  /**
   * The given CIDR blocks (IPv4 or IPv6); a bare address means that single address.
   *
   * @throws IllegalArgumentException naming a block that does not parse
   */
  public static TrustedProxies of(String... cidrs) {
    if (cidrs.length == 0) {
      throw new IllegalArgumentException("at least one trusted proxy CIDR block is required");
    }
    List<Cidr> blocks = new ArrayList<>(cidrs.length);
    for (String cidr : cidrs) {
      blocks.add(Cidr.parse(cidr));
    }
    return new TrustedProxies(List.copyOf(blocks));
  }

  /** Whether {@code address} (an IP literal) is in one of the blocks. False for anything else. */
  public boolean contains(String address) {
    long v4 = Cidr.parseIpv4AsLong(address);
    if (v4 >= 0) {
      for (Cidr block : blocks) {
        if (block.isIpv4() && block.containsIpv4(v4)) {
          return true;
        }
      }
      return false;
    }
    byte[] ip = Cidr.parseLiteral(address);
    if (ip == null) {
      return false;
    }
    for (Cidr block : blocks) {
      if (block.contains(ip)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "TrustedProxies" + blocks;
  }
}
