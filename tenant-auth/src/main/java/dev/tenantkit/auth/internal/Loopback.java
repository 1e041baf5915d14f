package dev.tenantkit.auth.internal;

import java.net.URI;

/**
 * "https, or plain http only on a loopback host" for key and discovery locations, the same rule
 * tenant-core applies to the record's issuer and jwksUri (localhost, 127.0.0.0/8, [::1]).
 */
public final class Loopback {
  private Loopback() {}

  /** Whether {@code uri} is https, or http to a loopback host. */
  public static boolean httpsOrLoopbackHttp(URI uri) {
    String scheme = uri.getScheme();
    String host = uri.getHost() == null ? "" : uri.getHost();
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    return "https".equals(scheme) || ("http".equals(scheme) && loopback);
  }
}
