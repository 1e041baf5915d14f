package dev.tenantkit.core.spi;

import java.net.URI;

/** URI rules shared by the modules. Not for users: may change in any release. */
public final class Uris {
  private Uris() {}

  /**
   * Whether {@code uri} may carry tokens or fetch keys: {@code https}, or plain {@code http} only
   * to a loopback host ({@link Hosts#isLoopback}: local issuers and emulators), so that a
   * misconfigured record or discovery document cannot send anything over cleartext to the network.
   */
  public static boolean isHttpsOrLoopbackHttp(URI uri) {
    String scheme = uri.getScheme();
    String host = uri.getHost();
    return "https".equals(scheme) || ("http".equals(scheme) && host != null && Hosts.isLoopback(host));
  }
}
