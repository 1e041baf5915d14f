package dev.tenantkit.core.spi;

/**
 * Host-name rules shared by the modules. Not for users: may change in any release.
 *
 * <p>Decided from the text alone, never through DNS: a name such as {@code 127.example.com} or
 * {@code localhost.example.com} may resolve anywhere, so it is not loopback.
 */
public final class Hosts {
  private Hosts() {}

  /**
   * Whether {@code host} names this machine without DNS: {@code localhost}, an IPv4 literal in
   * {@code 127.0.0.0/8}, or the IPv6 loopback {@code ::1} (bracketed or not, in any spelling of
   * its zeros).
   */
  public static boolean isLoopback(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = host;
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (h.indexOf(':') >= 0) {
      return isIpv6Loopback(h);
    }
    return isIpv4Loopback(h);
  }

  private static boolean isIpv4Loopback(String h) {
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3) {
        return false;
      }
      for (int i = 0; i < p.length(); i++) {
        if (p.charAt(i) < '0' || p.charAt(i) > '9') {
          return false;
        }
      }
      if (Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return parts[0].equals("127");
  }

  private static boolean isIpv6Loopback(String h) {
    // Expanded to its eight groups, the loopback address is 0:0:0:0:0:0:0:1.
    if (h.indexOf('%') >= 0 || h.indexOf('.') >= 0) {
      return false; // zone ids and embedded IPv4 forms are not the loopback address
    }
    int gap = h.indexOf("::");
    if (gap >= 0 && h.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    String[] head = groups(gap >= 0 ? h.substring(0, gap) : h);
    String[] tail = gap >= 0 ? groups(h.substring(gap + 2)) : new String[0];
    int given = head.length + tail.length;
    if (gap >= 0 ? given > 7 : given != 8) {
      return false;
    }
    int[] all = new int[8];
    for (int i = 0; i < head.length; i++) {
      all[i] = hex(head[i]);
    }
    for (int i = 0; i < tail.length; i++) {
      all[8 - tail.length + i] = hex(tail[i]);
    }
    for (int i = 0; i < 7; i++) {
      if (all[i] != 0) {
        return false;
      }
    }
    return all[7] == 1;
  }

  private static String[] groups(String part) {
    return part.isEmpty() ? new String[0] : part.split(":", -1);
  }

  /** A group's value, or -1 when it is not 1 to 4 hexadecimal digits. */
  private static int hex(String group) {
    if (group.isEmpty() || group.length() > 4) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < group.length(); i++) {
      int d = Character.digit(group.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }
}
