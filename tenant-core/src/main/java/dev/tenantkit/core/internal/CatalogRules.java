package dev.tenantkit.core.internal;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.StackConfig;
import dev.tenantkit.core.StorageConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantOverlapException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 *       {@code sharedIssuer}, or have no app client in common ({@code anyClient} counts as every
 *       client);</li>
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
        if (t.storage().orElseThrow().layout() != StorageConfig.StorageLayout.PREFIX) {
          Tenant other = onBucket.get(onBucket.get(0) == t ? 1 : 0);
          throw overlap(other, t, "storage.bucket", "both use bucket " + e.getKey() + ", which tenant " + t.id()
              + " holds whole (layout " + t.storage().orElseThrow().layout() + ")");
        }
      }
      // Sorted, a prefix is followed by every prefix that starts with it: adjacent pairs suffice.
      List<Tenant> byPrefix = new ArrayList<>(onBucket);
      byPrefix.sort(Comparator.comparing(t -> t.storage().orElseThrow().prefix()));
      for (int i = 1; i < byPrefix.size(); i++) {
        String outer = byPrefix.get(i - 1).storage().orElseThrow().prefix();
        String inner = byPrefix.get(i).storage().orElseThrow().prefix();
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
      String serverKey = db.engine() + "://" + db.host().toLowerCase(Locale.ROOT) + ":" + db.port();
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

  /** The first SILO tenant of a group of two or more that share something; else null. */
  private static Tenant firstSilo(List<Tenant> sharing) {
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
      byIssuer.computeIfAbsent("issuer " + id.issuer(), k -> new ArrayList<>()).add(t);
      if (id.userPoolId() != null) {
        // A user pool reached through an explicit issuer (an emulator, a private endpoint) is
        // still the same pool.
        byIssuer.computeIfAbsent("user pool " + id.userPoolId(), k -> new ArrayList<>()).add(t);
      }
    }
    for (Map.Entry<String, List<Tenant>> e : byIssuer.entrySet()) {
      List<Tenant> on = e.getValue();
      // Tenants all marked sharedIssuer may share clients; any unmarked one may not.
      for (Tenant x : on) {
        IdentityConfig a = x.identity().orElseThrow();
        if (a.sharedIssuer()) {
          continue;
        }
        for (Tenant y : on) {
          if (y == x) {
            continue;
          }
          String client = commonClient(a.appClientIds(), y.identity().orElseThrow().appClientIds());
          if (client != null) {
            Tenant first = x.id().compareTo(y.id()) < 0 ? x : y;
            throw overlap(first, first == x ? y : x, "identity.appClientIds", "both accept " + client + " of "
                + e.getKey() + "; give each tenant its own issuer or app clients, or mark both "
                + "identity.sharedIssuer (a pooled user pool, tenants told apart by the tenant claim)");
          }
        }
      }
    }
  }

  /** A client both accept, or null; an empty list ({@code anyClient}) accepts every client. */
  private static String commonClient(Set<String> a, Set<String> b) {
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

  private static TenantOverlapException overlap(Tenant first, Tenant second, String field, String problem) {
    TenantId a = first.id();
    TenantId b = second.id();
    return new TenantOverlapException(a, b, field, problem);
  }
}
