package dev.tenantkit.core.internal;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantMismatchException;
import dev.tenantkit.core.TenantRequest;
import dev.tenantkit.core.TenantResolver;
import dev.tenantkit.core.TrustedProxies;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Implementations of the shipped resolvers. Hot path: no regex, at most one substring each. */
public final class Resolvers {
  private static final Logger LOG = LoggerFactory.getLogger(Resolvers.class);
  private static final String PLACEHOLDER = "{tenant}";

  private Resolvers() {}

  /** See {@link dev.tenantkit.core.TenantResolvers#subdomain}. */
  public static TenantResolver subdomain(String pattern) {
    String p = pattern.toLowerCase(Locale.ROOT);
    int at = p.indexOf(PLACEHOLDER);
    if (at < 0 || p.indexOf(PLACEHOLDER, at + 1) >= 0) {
      throw new IllegalArgumentException("subdomain pattern must contain {tenant} exactly once: "
          + SafeText.quote(pattern));
    }
    String prefix = p.substring(0, at);
    String suffix = p.substring(at + PLACEHOLDER.length());
    if ((!prefix.isEmpty() && !prefix.endsWith(".")) || (!suffix.isEmpty() && !suffix.startsWith("."))) {
      throw new IllegalArgumentException("{tenant} must be a whole DNS label in " + SafeText.quote(pattern));
    }
    if (suffix.length() < 2) {
      throw new IllegalArgumentException("subdomain pattern needs a parent domain after {tenant}: "
          + SafeText.quote(pattern));
    }
    return new Named("subdomain") {
      @Override
      public Optional<TenantId> resolve(TenantRequest request) {
        String host = request.host();
        int labelEnd = host.length() - suffix.length();
        if (labelEnd <= prefix.length() || !host.endsWith(suffix) || !host.startsWith(prefix)) {
          return Optional.empty();
        }
        int dot = host.indexOf('.', prefix.length());
        if (dot != labelEnd) {
          return Optional.empty(); // a.b.app.example.com: the tenant must be exactly one label
        }
        return Optional.of(TenantId.of(host.substring(prefix.length(), labelEnd)));
      }
    };
  }

  /** See {@link dev.tenantkit.core.TenantResolvers#path}. */
  public static TenantResolver path(String template) {
    int at = template.indexOf(PLACEHOLDER);
    if (!template.startsWith("/") || at < 0 || !template.substring(0, at).endsWith("/")
        || !(template.length() == at + PLACEHOLDER.length()
            || template.charAt(at + PLACEHOLDER.length()) == '/')) {
      throw new IllegalArgumentException(
          "path template must start with / and hold {tenant} as a whole segment, e.g. /t/{tenant}: "
              + SafeText.quote(template));
    }
    String prefix = template.substring(0, at);
    return new Named("path") {
      @Override
      public Optional<TenantId> resolve(TenantRequest request) {
        String path = request.path();
        if (!path.startsWith(prefix)) {
          return Optional.empty();
        }
        int end = path.indexOf('/', prefix.length());
        if (end < 0) {
          end = path.length();
        }
        int semicolon = path.indexOf(';', prefix.length()); // matrix params: "/t/acme;x=y"
        if (semicolon >= 0 && semicolon < end) {
          end = semicolon;
        }
        if (end == prefix.length()) {
          return Optional.empty();
        }
        return Optional.of(TenantId.of(path.substring(prefix.length(), end)));
      }
    };
  }

  /** See {@link dev.tenantkit.core.TenantResolvers#header}. */
  public static TenantResolver header(String headerName, TrustedProxies proxies) {
    if (headerName == null || headerName.isBlank()) {
      throw new IllegalArgumentException("headerName is required");
    }
    // Header names are case-insensitive; ask with the lower-case form, which adapters can serve
    // with one hash lookup.
    String lowerName = headerName.toLowerCase(Locale.ROOT);
    return new Named("header:" + headerName) {
      @Override
      public Optional<TenantId> resolve(TenantRequest request) {
        List<String> all = request.headers(lowerName);
        if (all.isEmpty()) {
          return Optional.empty();
        }
        if (!proxies.contains(request.remoteAddress())) {
          LOG.debug("tenant header ignored: peer is not a trusted proxy header={} peer={}",
              headerName, SafeText.quote(request.remoteAddress()));
          return Optional.empty();
        }
        String first = all.get(0);
        for (int i = 1; i < all.size(); i++) {
          if (!all.get(i).equals(first)) {
            throw new TenantMismatchException("header " + headerName + " appears with different values");
          }
        }
        return Optional.of(TenantId.of(first.trim()));
      }
    };
  }

  /** See {@link dev.tenantkit.core.TenantResolvers#pinned}. */
  public static TenantResolver pinned(TenantId tenantId) {
    Optional<TenantId> answer = Optional.of(tenantId);
    return new Named("pinned") {
      @Override
      public Optional<TenantId> resolve(TenantRequest request) {
        return answer;
      }
    };
  }

  /** See {@link dev.tenantkit.core.TenantResolvers#firstMatch}. */
  public static TenantResolver firstMatch(List<TenantResolver> resolvers) {
    TenantResolver[] chain = checkChain(resolvers);
    return new Named("firstMatch") {
      @Override
      public Optional<TenantId> resolve(TenantRequest request) {
        for (TenantResolver r : chain) {
          Optional<TenantId> id = r.resolve(request);
          if (id.isPresent()) {
            return id;
          }
        }
        return Optional.empty();
      }
    };
  }

  /** See {@link dev.tenantkit.core.TenantResolvers#allAgree}. */
  public static TenantResolver allAgree(List<TenantResolver> resolvers) {
    TenantResolver[] chain = checkChain(resolvers);
    return new Named("allAgree") {
      @Override
      public Optional<TenantId> resolve(TenantRequest request) {
        Optional<TenantId> agreed = Optional.empty(); // the first answer, returned as is
        @Nullable TenantResolver by = null;
        for (TenantResolver r : chain) {
          Optional<TenantId> id = r.resolve(request);
          if (id.isEmpty()) {
            continue;
          }
          if (by == null) {
            agreed = id;
            by = r;
          } else if (!agreed.get().equals(id.get())) {
            throw new TenantMismatchException("tenant sources disagree: " + by.name() + "="
                + agreed.get() + ", " + r.name() + "=" + id.get());
          }
        }
        return agreed;
      }
    };
  }

  private static TenantResolver[] checkChain(List<TenantResolver> resolvers) {
    if (resolvers.isEmpty()) {
      throw new IllegalArgumentException("at least one resolver is required");
    }
    return resolvers.toArray(new TenantResolver[0]);
  }

  private abstract static class Named implements TenantResolver {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
