package dev.tenantkit.core.internal;

import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.StackConfig;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantOverlapException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rules between tenants: records that are each valid alone must not share a wall. Checked
 * on the whole catalog before every snapshot is published, whatever the source (in memory, file,
 * registry), so a load or reload that would bring two tenants together is refused as a whole.
 *
 * <ul>
 *   <li>storage: a bucket in BUCKET layout is one tenant's; PREFIX tenants of one bucket have
 *       prefixes of which none is a prefix of another; an access point is one tenant's;</li>
 *   <li>database: a SILO tenant's database (engine, host, port, database) is its own, and so is
 *       its user on that server; a BRIDGE tenant's schema in its database is its own;</li>
 *   <li>identity: tenants on one issuer (or one user pool) must all be marked
 *       {@code sharedIssuer} (a second tenant makes the issuer shared for the verifier), and
 *       agree on what the verifier reads per issuer: {@code jwksUri}, {@code userPoolId},
 *       {@code tenantClaim};</li>
 *   <li>stack: stack names and load balancer DNS names are each one tenant's.</li>
 * </ul>
 *
 * Each check is a map lookup or a sort per shared resource: linear, or n log n for prefixes.
 */
public final class CatalogRules {
  private CatalogRules() {}

  /** Refuses the first overlap found, naming both tenants and the field. */
  public static void check(Collection<Tenant> tenants) {
    List<Tenant> sorted = new ArrayList<>(tenants);
    sorted.sort(Comparator.comparing(Tenant::id));
    checkStorage(sorted);
    checkDatabases(sorted);
    checkIdentities(sorted);
    checkStacks(sorted);
  }

  // ---- storage --------------------------------------------------------------------------------

  private static void checkStorage(List<Tenant> tenants) {
    Map<String, List<Tenant>> byBucket = new HashMap<>();
    Map<String, Tenant> accessPoints = new HashMap<>();
    for (Tenant t : tenants) {
      StorageConfig s = t.storage().orElse(null);
      if (s == null) {
        continue;
      }
      if (s.bucket() != null) {
        byBucket.computeIfAbsent(s.bucket(), k -> new ArrayList<>()).add(t);
      }
      if (s.accessPointArn() != null) {
        claim(accessPoints, s.accessPointArn(), t, "storage.accessPointArn", "both use access point " + s.accessPointArn());
      }
    }
    for (Map.Entry<String, List<Tenant>> e : byBucket.entrySet()) {
      List<Tenant> onBucket = e.getValue();
      if (onBucket.size() < 2) {
        continue;
      }
      for (Tenant t : onBucket) {
        if (t.storage().orElseThrow().layout() == StorageConfig.StorageLayout.BUCKET) {
          throw overlap(other(onBucket, t), t, "storage.bucket", "both use bucket " + e.getKey() + ", which tenant "
              + t.id() + " holds whole (layout BUCKET)");
        }
      }
      // Access points over one bucket are told apart by their ARNs (checked above); prefixes of
      // one bucket must not nest. Sorted, a prefix is followed by every prefix that starts with
      // it: adjacent pairs suffice.
      List<Tenant> byPrefix = new ArrayList<>();
      for (Tenant t : onBucket) {
        if (t.storage().orElseThrow().layout() == StorageConfig.StorageLayout.PREFIX) {
          byPrefix.add(t);
        }
      }
      byPrefix.sort(Comparator.comparing(t -> t.storage().orElseThrow().prefix()));
      for (int i = 1; i < byPrefix.size(); i++) {
        // PREFIX layout: the record requires a prefix.
        String outer = java.util.Objects.requireNonNull(byPrefix.get(i - 1).storage().orElseThrow().prefix());
        String inner = java.util.Objects.requireNonNull(byPrefix.get(i).storage().orElseThrow().prefix());
        if (inner.startsWith(outer)) {
          throw overlap(byPrefix.get(i - 1), byPrefix.get(i), "storage.prefix", "in bucket " + e.getKey()
              + ", prefix " + outer + " contains prefix " + inner);
        }
      }
    }
  }

  // ---- databases ------------------------------------------------------------------------------

  private static void checkDatabases(List<Tenant> tenants) {
    Map<String, List<Tenant>> byDatabase = new HashMap<>();
    Map<String, List<Tenant>> byUser = new HashMap<>();
    Map<String, Tenant> bridgeSchemas = new HashMap<>();
    for (Tenant t : tenants) {
      DatabaseConfig db = t.database().orElse(null);
      if (db == null) {
        continue;
      }
      String server = db.host() + ":" + db.port();
      String serverKey = db.engine() + "://" + serverName(db.host()) + ":" + db.port();
      byDatabase.computeIfAbsent(serverKey + "/" + db.database(), k -> new ArrayList<>()).add(t);
      byUser.computeIfAbsent(serverKey + " " + db.user(), k -> new ArrayList<>()).add(t);
      if (db.isolation() == IsolationMode.BRIDGE) {
        claim(bridgeSchemas, serverKey + "/" + db.database() + "#" + db.schema(), t, "database.schema",
            "both use schema " + db.schema() + " of database " + db.database() + " at " + server);
      }
    }
    for (List<Tenant> sharing : byDatabase.values()) {
      Tenant silo = firstSilo(sharing);
      if (silo != null) {
        DatabaseConfig db = silo.database().orElseThrow();
        throw overlap(silo, other(sharing, silo), "database.database", "both use database " + db.database()
            + " at " + db.host() + ":" + db.port() + ", which tenant " + silo.id() + " holds whole (SILO)");
      }
    }
    for (List<Tenant> sharing : byUser.values()) {
      Tenant silo = firstSilo(sharing);
      if (silo != null) {
        DatabaseConfig db = silo.database().orElseThrow();
        throw overlap(silo, other(sharing, silo), "database.user", "both connect as " + db.user() + " to "
            + db.host() + ":" + db.port() + "; a SILO tenant's database user is its own");
      }
    }
  }

  /**
   * One spelling per issuer: the host as {@link #serverName}, the scheme's default port left out,
   * no trailing slash. Two records that spell one issuer differently are then on one issuer, and
   * the rules between tenants of one issuer (including that they name it alike) apply to them.
   */
  private static String issuerName(URI issuer) {
    String scheme = String.valueOf(issuer.getScheme()).toLowerCase(Locale.ROOT);
    int port = issuer.getPort();
    boolean defaultPort = port == -1 || (port == 443 && scheme.equals("https")) || (port == 80 && scheme.equals("http"));
    String path = issuer.getRawPath() == null ? "" : issuer.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return scheme + "://" + serverName(String.valueOf(issuer.getHost())) + (defaultPort ? "" : ":" + port) + path;
  }

  /**
   * One spelling per server: case and a trailing dot do not make another host, and every
   * loopback spelling ({@code localhost}, {@code 127.0.0.1}, {@code ::1}) is this machine.
   */
  private static String serverName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return dev.tenantkit.core.spi.Hosts.isLoopback(h) ? "loopback" : h;
  }

  /** The first SILO tenant of a group of two or more that share something; else null. */
  private static @Nullable Tenant firstSilo(List<Tenant> sharing) {
    if (sharing.size() < 2) {
      return null;
    }
    for (Tenant t : sharing) {
      if (t.database().orElseThrow().isolation() == IsolationMode.SILO) {
        return t;
      }
    }
    return null;
  }

  private static Tenant other(List<Tenant> group, Tenant one) {
    return group.get(group.get(0) == one ? 1 : 0);
  }

  // ---- identity -------------------------------------------------------------------------------

  private static void checkIdentities(List<Tenant> tenants) {
    Map<String, List<Tenant>> byIssuer = new HashMap<>();
    for (Tenant t : tenants) {
      IdentityConfig id = t.identity().orElse(null);
      if (id == null) {
        continue;
      }
      byIssuer.computeIfAbsent("issuer " + issuerName(id.issuer()), k -> new ArrayList<>()).add(t);
      if (id.userPoolId() != null) {
        // A user pool reached through an explicit issuer (an emulator, a private endpoint) is
        // still the same pool.
        byIssuer.computeIfAbsent("user pool " + id.userPoolId(), k -> new ArrayList<>()).add(t);
      }
    }
    for (Map.Entry<String, List<Tenant>> e : byIssuer.entrySet()) {
      List<Tenant> on = e.getValue();
      Tenant first = on.get(0);
      IdentityConfig a = first.identity().orElseThrow();
      for (Tenant y : on.subList(1, on.size())) {
        IdentityConfig b = y.identity().orElseThrow();
        // A second tenant on an issuer makes it shared for the verifier (the tenant claim then
        // tells tenants apart), so an unmarked tenant would have its tokens bound differently
        // than its record says: every tenant on the issuer must say so.
        if (!a.sharedIssuer() || !b.sharedIssuer()) {
          String client = commonClient(a.appClientIds(), b.appClientIds());
          throw overlap(first, y, client != null ? "identity.appClientIds" : "identity.sharedIssuer",
              "both use " + e.getKey() + (client != null ? " and accept " + client : "")
                  + "; give each tenant its own issuer, or mark every tenant on it identity.sharedIssuer "
                  + "(a pooled user pool, tenants told apart by the tenant claim)");
        }
        // What the verifier reads per issuer must not depend on which record it reads it from:
        // the keys' location, the kind of issuer and the claim that names the tenant.
        sameOnIssuer(first, y, e.getKey(), "identity.jwksUri", a.jwksUri(), b.jwksUri());
        sameOnIssuer(first, y, e.getKey(), "identity.userPoolId", a.userPoolId(), b.userPoolId());
        sameOnIssuer(first, y, e.getKey(), "identity.tenantClaim", a.tenantClaim(), b.tenantClaim());
        sameOnIssuer(first, y, e.getKey(), "identity.issuer", a.issuer(), b.issuer());
      }
    }
  }

  private static void sameOnIssuer(Tenant a, Tenant b, String issuer, String field, @Nullable Object x,
      @Nullable Object y) {
    if (!java.util.Objects.equals(x, y)) {
      throw overlap(a, b, field, "both use " + issuer + " but name different " + field.substring(9)
          + " (" + x + " and " + y + "); tenants of one issuer must agree on it");
    }
  }

  /** A client both accept, or null; an empty list ({@code anyClient}) accepts every client. */
  private static @Nullable String commonClient(Set<String> a, Set<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() && b.isEmpty() ? "every app client" : "app client " + (a.isEmpty() ? b : a).iterator().next();
    }
    for (String c : a) {
      if (b.contains(c)) {
        return "app client " + c;
      }
    }
    return null;
  }

  // ---- stacks ---------------------------------------------------------------------------------

  private static void checkStacks(List<Tenant> tenants) {
    Map<String, Tenant> names = new HashMap<>();
    Map<String, Tenant> albs = new HashMap<>();
    for (Tenant t : tenants) {
      StackConfig s = t.stack().orElse(null);
      if (s == null) {
        continue;
      }
      claim(names, s.name(), t, "stack.name", "both name stack " + s.name());
      if (s.albDnsName() != null) {
        claim(albs, s.albDnsName().toLowerCase(Locale.ROOT), t, "stack.albDnsName",
            "both name load balancer " + s.albDnsName());
      }
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static void claim(Map<String, Tenant> held, String key, Tenant t, String field, String problem) {
    Tenant holder = held.putIfAbsent(key, t);
    if (holder != null) {
      throw overlap(holder, t, field, problem);
    }
  }

  /** The two tenants named in id order, whichever was found first. */
  private static TenantOverlapException overlap(Tenant one, Tenant other, String field, String problem) {
    TenantId a = one.id();
    TenantId b = other.id();
    return a.compareTo(b) <= 0 ? new TenantOverlapException(a, b, field, problem)
        : new TenantOverlapException(b, a, field, problem);
  }
}
