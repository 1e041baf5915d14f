package dev.tenantkit.auth.internal;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantId;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2: issuer -> what the catalog says of it, and its key source, as one immutable snapshot.
 * An unknown issuer costs one map lookup, before any network call. Key sources live in the
 * snapshot, not in a map beside it: a verification holds the snapshot it started with, so a
 * change that removes or moves an issuer can never have its old key source re-created into the
 * index that replaced it.
 */
final class IssuerIndex {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerIndex.class);
  private static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256");

  static final IssuerIndex EMPTY = new IssuerIndex(Map.of());

  /** One issuer and its keys. */
  record Entry(Issuer issuer, IssuerKeys keys) {}

  private final Map<String, Entry> byIss;

  private IssuerIndex(Map<String, Entry> byIss) {
    this.byIss = byIss;
  }

  @Nullable Entry get(String iss) {
    return byIss.get(iss);
  }

  Collection<Entry> entries() {
    return byIss.values();
  }

  int size() {
    return byIss.size();
  }

  /**
   * The index for {@code tenants}. An issuer whose key location is unchanged keeps
   * {@code previous}'s key source (and the keys it has cached); a new or moved one gets a new one.
   */
  static IssuerIndex build(Collection<Tenant> tenants, VerifierSettings s, IssuerIndex previous) {
    Map<String, List<IdentityConfig>> byIssuer = new HashMap<>();
    Map<String, Set<TenantId>> tenantsByIssuer = new HashMap<>();
    for (Tenant t : tenants) {
      IdentityConfig id = t.identity().orElse(null);
      if (id != null) {
        String iss = id.issuer().toString();
        byIssuer.computeIfAbsent(iss, k -> new ArrayList<>()).add(id);
        tenantsByIssuer.computeIfAbsent(iss, k -> new HashSet<>()).add(t.id());
      }
    }
    Map<String, Entry> next = new HashMap<>();
    byIssuer.forEach((iss, identities) -> {
      Issuer issuer = describe(iss, identities, tenantsByIssuer.getOrDefault(iss, Set.of()), s);
      Entry old = previous.get(iss);
      IssuerKeys keys = old != null && old.issuer().sameKeyLocation(issuer) ? old.keys() : new IssuerKeys(issuer, s);
      next.put(iss, new Entry(issuer, keys));
    });
    return new IssuerIndex(Map.copyOf(next));
  }

  private static Issuer describe(String iss, List<IdentityConfig> identities, Set<TenantId> tenants,
      VerifierSettings s) {
    IdentityConfig first = identities.get(0);
    boolean shared = tenants.size() > 1;
    boolean cognito = false;
    URI jwks = null;
    for (IdentityConfig id : identities) {
      shared |= id.sharedIssuer();
      cognito |= id.isCognito();
      if (id.jwksUri() != null) {
        jwks = id.jwksUri();
      }
      if (!id.tenantClaim().equals(first.tenantClaim())) {
        LOG.warn("tenants of one issuer name different tenant claims; using {} issuer={}", first.tenantClaim(), iss);
      }
    }
    Set<JWSAlgorithm> algs = new LinkedHashSet<>();
    for (String a : s.algorithms().getOrDefault(iss, DEFAULT_ALGORITHMS)) {
      algs.add(JWSAlgorithm.parse(a));
    }
    return new Issuer(iss, cognito, Set.copyOf(tenants), shared, first.tenantClaim(), Set.copyOf(algs), jwks);
  }
}
