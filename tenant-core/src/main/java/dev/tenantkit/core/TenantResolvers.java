package dev.tenantkit.core;

import dev.tenantkit.core.internal.Resolvers;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The resolvers TenantKit ships, and the two ways to combine them. */
public final class TenantResolvers {
  /** Environment variable a silo deployment reads its pinned tenant from. */
  public static final String TENANT_ID_ENV = "TENANTKIT_TENANT_ID";

  private TenantResolvers() {}

  /**
   * The tenant is one DNS label of the host: {@code "{tenant}.app.example.com"} matches
   * {@code acme.app.example.com} (case-insensitive, port ignored). Hosts that do not fit the
   * pattern resolve to nothing; a label that fits but is not a valid id is refused.
   *
   * @throws IllegalArgumentException when the pattern has no {@code {tenant}} label
   */
  public static TenantResolver subdomain(String pattern) {
    return Resolvers.subdomain(pattern);
  }

  /**
   * The tenant is one path segment: {@code "/t/{tenant}"} matches {@code /t/acme} and
   * {@code /t/acme/orders/7}. The raw path is used; percent-encoding is not decoded, so
   * {@code %61cme} is refused rather than read as {@code acme}. A {@code ;} ends the segment as a
   * {@code /} does (servlet path parameters): {@code /t/acme;jsessionid=1} is acme's.
   */
  public static TenantResolver path(String template) {
    return Resolvers.path(template);
  }

  /**
   * The tenant is in a header set by a trusted proxy. The header is ignored unless the request's
   * peer address is in {@code trustedProxies}, so a client cannot pick its tenant by sending
   * the header itself. Different values in repeated headers are refused as a mismatch.
   */
  public static TenantResolver header(String headerName, TrustedProxies trustedProxies) {
    return Resolvers.header(headerName, Objects.requireNonNull(trustedProxies, "trustedProxies"));
  }

  /** Always {@code tenantId}: a silo deployment that serves one tenant. */
  public static TenantResolver pinned(TenantId tenantId) {
    return Resolvers.pinned(Objects.requireNonNull(tenantId, "tenantId"));
  }

  /**
   * Pinned to the tenant in the environment variable {@value #TENANT_ID_ENV}, read once now.
   *
   * @throws TenantConfigurationException when the variable is not set
   * @throws InvalidTenantIdException when it is not a valid tenant id
   */
  public static TenantResolver pinnedFromEnvironment() {
    return pinnedFromEnvironment(System.getenv());
  }

  /** As {@link #pinnedFromEnvironment()}, reading the given environment. */
  public static TenantResolver pinnedFromEnvironment(Map<String, String> environment) {
    String value = environment.get(TENANT_ID_ENV);
    if (value == null || value.isEmpty()) {
      throw new TenantConfigurationException("environment variable " + TENANT_ID_ENV
          + " is not set; a pinned (silo) deployment needs it");
    }
    return pinned(TenantId.of(value));
  }

  /** The first resolver that answers wins; the rest are not asked. */
  public static TenantResolver firstMatch(TenantResolver... resolvers) {
    return Resolvers.firstMatch(List.of(resolvers));
  }

  /**
   * Every resolver is asked; those that answer must name the same tenant, or the request is
   * refused with {@link TenantMismatchException}. Use it when several sources must corroborate
   * (the pinned tenant of a silo and the subdomain, say).
   */
  public static TenantResolver allAgree(TenantResolver... resolvers) {
    return Resolvers.allAgree(List.of(resolvers));
  }
}
