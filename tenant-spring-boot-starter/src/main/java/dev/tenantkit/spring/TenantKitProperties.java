package dev.tenantkit.spring;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * TenantKit's settings under {@code tenantkit.*}. No catalog or resolver stops the start with a
 * message naming the property, the bearer token is required unless turned off, databases are
 * reached over verified TLS unless plaintext on loopback is asked for, and only the management
 * endpoints' plain paths and the listed skip-paths are served without a tenant.
 */
@ConfigurationProperties("tenantkit")
public class TenantKitProperties {
  private final Catalog catalog = new Catalog();
  private final Resolver resolver = new Resolver();
  private final Token token = new Token();
  private final Filter filter = new Filter();
  private final Datasource datasource = new Datasource();
  private final Security security = new Security();
  private final Metrics metrics = new Metrics();
  private final Jpa jpa = new Jpa();
  private final Storage storage = new Storage();
  private final Limits limits = new Limits();
  private final Health health = new Health();

  public Catalog getCatalog() {
    return catalog;
  }

  public Resolver getResolver() {
    return resolver;
  }

  public Token getToken() {
    return token;
  }

  public Filter getFilter() {
    return filter;
  }

  public Datasource getDatasource() {
    return datasource;
  }

  public Security getSecurity() {
    return security;
  }

  public Metrics getMetrics() {
    return metrics;
  }

  public Jpa getJpa() {
    return jpa;
  }

  public Storage getStorage() {
    return storage;
  }

  public Limits getLimits() {
    return limits;
  }

  public Health getHealth() {
    return health;
  }

  /** Tenant-scoped STS credentials for tenant storage. */
  public static class ScopedCredentials {
    /** Turns them on (the application's StsClient bean, else one from the SDK's defaults). */
    private boolean enabled;

    /** The session tag that names the tenant, for ABAC policies such as aws:PrincipalTag/TenantId. */
    private String tagKey = "TenantId";

    /** Whether each session carries a policy that allows only the tenant's bucket or prefix. */
    private boolean sessionPolicy = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getTagKey() {
      return tagKey;
    }

    public void setTagKey(String tagKey) {
      this.tagKey = tagKey;
    }

    public boolean isSessionPolicy() {
      return sessionPolicy;
    }

    public void setSessionPolicy(boolean sessionPolicy) {
      this.sessionPolicy = sessionPolicy;
    }
  }

  /** Actuator health (with spring-boot-health on the class path). */
  public static class Health {
    /**
     * Whether health details name tenants and issuers (each tenant's pool: connections, waiting,
     * saturation; each issuer's key set: state, last fetch, problem). Off: counts only, since
     * health details may be shown to anonymous callers; turn it on with
     * management.endpoint.health.show-details=when-authorized.
     */
    private boolean tenantDetails;

    public boolean isTenantDetails() {
      return tenantDetails;
    }

    public void setTenantDetails(boolean tenantDetails) {
      this.tenantDetails = tenantDetails;
    }
  }

  /**
   * Per-tenant request limits, run by the tenant filter after the token: a tenant over its rate or
   * its requests in flight gets 429 problem+json with Retry-After, against its own budget only. The
   * limits of a tenant's tier apply, or the limits its record names (which win); tiers not listed
   * get the defaults.
   */
  public static class Limits {
    /** Turns the limiter on. Off by default: an application that defines a TenantRequestLimiter bean uses that. */
    private boolean enabled;

    /** The limits of tiers not listed under tiers. */
    private Tier defaults = new Tier();

    /** The limits of each tier, by tier name (basic, standard, premium, ...). */
    private java.util.Map<String, Tier> tiers = new java.util.LinkedHashMap<>();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Tier getDefaults() {
      return defaults;
    }

    public void setDefaults(Tier defaults) {
      this.defaults = defaults;
    }

    public java.util.Map<String, Tier> getTiers() {
      return tiers;
    }

    public void setTiers(java.util.Map<String, Tier> tiers) {
      this.tiers = tiers;
    }
  }

  /** One tier's request limits; a value not set is the defaults' (50, 100, 32 unless set). */
  public static class Tier {
    /** The sustained rate of requests per second. */
    private @Nullable Integer requestsPerSecond;

    /** How many requests may come at once above the rate (the token bucket's capacity). */
    private @Nullable Integer burst;

    /** The tenant's requests in flight at once. */
    private @Nullable Integer maxConcurrentRequests;

    public @Nullable Integer getRequestsPerSecond() {
      return requestsPerSecond;
    }

    public void setRequestsPerSecond(@Nullable Integer requestsPerSecond) {
      this.requestsPerSecond = requestsPerSecond;
    }

    public @Nullable Integer getBurst() {
      return burst;
    }

    public void setBurst(@Nullable Integer burst) {
      this.burst = burst;
    }

    public @Nullable Integer getMaxConcurrentRequests() {
      return maxConcurrentRequests;
    }

    public void setMaxConcurrentRequests(@Nullable Integer maxConcurrentRequests) {
      this.maxConcurrentRequests = maxConcurrentRequests;
    }
  }


  /**
   * The S3 clients the starter builds for tenant storage (with tenant-storage on the class path),
   * unless the application defines S3Client and S3Presigner beans. Credentials: the application's
   * AwsCredentialsProvider bean, else the SDK's default chain (the instance's or function's role).
   */
  public static class Storage {
    /** The Region of the tenants' buckets; the SDK's default (AWS_REGION, the instance's) when not set. */
    private @Nullable String region;

    /** Another S3 endpoint (an S3-compatible server for local development); AWS's when not set. */
    private @Nullable URI endpoint;

    /** Path-style requests (bucket in the path), as S3-compatible servers often need. */
    private boolean pathStyle;

    /**
     * Tenant-scoped credentials: every S3 request signed with the tenant's own STS session
     * (AssumeRole into its storage record's roleArn, with the tenant as a session tag and a session
     * policy that allows only its storage), so IAM refuses another tenant's objects even if
     * TenantKit's key checks were bypassed. A tenant without a roleArn is then refused storage.
     */
    private final ScopedCredentials scopedCredentials = new ScopedCredentials();

    public ScopedCredentials getScopedCredentials() {
      return scopedCredentials;
    }

    public @Nullable String getRegion() {
      return region;
    }

    public void setRegion(@Nullable String region) {
      this.region = region;
    }

    public @Nullable URI getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(@Nullable URI endpoint) {
      this.endpoint = endpoint;
    }

    public boolean isPathStyle() {
      return pathStyle;
    }

    public void setPathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
    }
  }

  /** Hibernate on TenantDataSource (with spring-boot-hibernate on the class path). */
  public static class Jpa {
    /**
     * The PostgreSQL major version Hibernate writes SQL for, since it cannot ask a tenant's database
     * at start (the tenant stack deploys 17).
     */
    private int databaseMajorVersion = 17;

    public int getDatabaseMajorVersion() {
      return databaseMajorVersion;
    }

    public void setDatabaseMajorVersion(int databaseMajorVersion) {
      this.databaseMajorVersion = databaseMajorVersion;
    }
  }

  /** Micrometer (with micrometer-core on the class path). */
  public static class Metrics {
    /**
     * The most tenants the catalog may have for TenantKit's meters to carry a tenant tag; with
     * more, every tenant is tagged "other" (and one warning is logged), so that thousands of
     * tenants cannot blow up the metrics' cardinality. 0: no tenant tags, tier only.
     */
    private int tenantTagLimit = 100;

    public int getTenantTagLimit() {
      return tenantTagLimit;
    }

    public void setTenantTagLimit(int tenantTagLimit) {
      this.tenantTagLimit = tenantTagLimit;
    }
  }

  /** Spring Security (with spring-boot-security and spring-security-oauth2-resource-server). */
  public static class Security {
    /**
     * The prefix of the authority each of the user's groups becomes (Cognito's cognito:groups,
     * Okta's groups claim): ROLE_ by default, so hasRole('admin') checks the group admin. Scopes
     * always become SCOPE_ followed by the scope.
     */
    private String groupAuthorityPrefix = "ROLE_";

    public String getGroupAuthorityPrefix() {
      return groupAuthorityPrefix;
    }

    public void setGroupAuthorityPrefix(String groupAuthorityPrefix) {
      this.groupAuthorityPrefix = groupAuthorityPrefix;
    }
  }

  /** Where the tenants come from. */
  public static class Catalog {
    /**
     * The tenant catalog file (JSON; docs/catalog.md), reloaded when it changes. This or
     * registry-table is required, unless the application defines its own TenantCatalog bean.
     */
    private @Nullable Path file;

    /**
     * The DynamoDB table of the tenant registry (with tenant-registry on the class path), instead
     * of a file: a fleet's tenants, polled, with a last-known-good copy in state-dir. DynamoDB is
     * reached with the application's DynamoDbClient bean, or a client of the SDK's default chain.
     */
    private @Nullable String registryTable;

    /** The registry's Region, for the client the starter builds; the SDK's default when not set. */
    private @Nullable String registryRegion;

    /**
     * Read only this tenant's record from the registry: a silo stack's instances, which serve one
     * tenant (pair it with tenantkit.resolver.pinned-tenant).
     */
    private @Nullable String onlyTenant;

    /** Where the registry's last-known-good copy is kept. */
    private Path stateDir = Path.of("/var/lib/tenantkit");

    public @Nullable Path getFile() {
      return file;
    }

    public void setFile(@Nullable Path file) {
      this.file = file;
    }

    public @Nullable String getRegistryTable() {
      return registryTable;
    }

    public void setRegistryTable(@Nullable String registryTable) {
      this.registryTable = registryTable;
    }

    public @Nullable String getRegistryRegion() {
      return registryRegion;
    }

    public void setRegistryRegion(@Nullable String registryRegion) {
      this.registryRegion = registryRegion;
    }

    public @Nullable String getOnlyTenant() {
      return onlyTenant;
    }

    public void setOnlyTenant(@Nullable String onlyTenant) {
      this.onlyTenant = onlyTenant;
    }

    public Path getStateDir() {
      return stateDir;
    }

    public void setStateDir(Path stateDir) {
      this.stateDir = stateDir;
    }
  }

  /** How a request names its tenant. */
  public static class Resolver {
    /**
     * The host pattern that names the tenant, such as {tenant}.api.example.com. This or
     * pinned-tenant is required, unless the application defines its own TenantResolver bean.
     */
    private @Nullable String subdomain;

    /**
     * The one tenant this instance serves (a silo stack's): every request is for it, and with a
     * subdomain pattern as well, the subdomain must name it too.
     */
    private @Nullable String pinnedTenant;

    public @Nullable String getPinnedTenant() {
      return pinnedTenant;
    }

    public void setPinnedTenant(@Nullable String pinnedTenant) {
      this.pinnedTenant = pinnedTenant;
    }

    public @Nullable String getSubdomain() {
      return subdomain;
    }

    public void setSubdomain(@Nullable String subdomain) {
      this.subdomain = subdomain;
    }
  }

  /** The bearer token of the tenant's issuer. */
  public static class Token {
    /**
     * Whether the tenant filter requires a bearer token of the resolved tenant's issuer (Cognito or
     * Okta), verified and bound to that tenant, on every admitted request. Off only with Spring
     * Security's chain verifying the token instead (the starter's TenantAuthenticationManagerResolver);
     * without it, the start fails.
     */
    private boolean required = true;

    /**
     * Whether to fetch every issuer's keys at start, so that a misconfigured issuer stops the start
     * instead of failing its first requests.
     */
    private boolean warmUp = true;

    public boolean isRequired() {
      return required;
    }

    public void setRequired(boolean required) {
      this.required = required;
    }

    public boolean isWarmUp() {
      return warmUp;
    }

    public void setWarmUp(boolean warmUp) {
      this.warmUp = warmUp;
    }
  }

  /** The tenant filter. */
  public static class Filter {
    /**
     * Whether the management endpoints (under management.endpoints.web.base-path, /actuator by
     * default) are served without a tenant, so that the load balancer's health check reaches them.
     * Only plain paths under the base path are skipped: one with a '.' or '..' segment, ';', '%',
     * '\' or '//' in it goes through tenant admission.
     */
    private boolean skipManagementEndpoints = true;

    /**
     * Further exact paths served without a tenant (and open in the starter's security chain), such
     * as a load balancer's health check of the application's own: plain literal paths, compared
     * with the raw request URI, not under the management base path.
     */
    private List<String> skipPaths = new ArrayList<>();

    public boolean isSkipManagementEndpoints() {
      return skipManagementEndpoints;
    }

    public void setSkipManagementEndpoints(boolean skipManagementEndpoints) {
      this.skipManagementEndpoints = skipManagementEndpoints;
    }

    public List<String> getSkipPaths() {
      return skipPaths;
    }

    public void setSkipPaths(List<String> skipPaths) {
      this.skipPaths = skipPaths;
    }
  }

  /** The tenants' databases (with tenant-db on the class path). */
  public static class Datasource {
    /**
     * The RDS CA bundle (global-bundle.pem) that verifies the databases' certificates: connections
     * are TLS with the server verified (verify-full), which needs it for PostgreSQL.
     */
    private @Nullable Path rdsCaBundle;

    /**
     * Plaintext to databases on a loopback address only (local development and tests); every
     * other host is still reached over verified TLS. Off by default.
     */
    private boolean plaintextOnLoopback;

    /**
     * Whether the starter makes TenantDataSource the application's (primary) DataSource when
     * tenant-db is on the class path. Off: the application's own data sources only.
     */
    private boolean enabled = true;

    /**
     * Whether a borrow from a silo pool resets the PostgreSQL session too (off by default; shared
     * PostgreSQL pools are reset on every borrow either way; MySQL sessions are not reset). A silo
     * pool serves one tenant, so what one request leaves on its connection (a SET, a role, a
     * session advisory lock, a temporary table) can reach only the same tenant's next request; on,
     * each silo borrow resets it, at one round trip a borrow (SessionReset.EVERY_BORROW), for
     * applications that keep such state, and a silo connection the database closed while pooled is
     * replaced at the borrow instead of failing the request's first statement (503).
     */
    private boolean resetSiloSessions;

    public boolean isResetSiloSessions() {
      return resetSiloSessions;
    }

    public void setResetSiloSessions(boolean resetSiloSessions) {
      this.resetSiloSessions = resetSiloSessions;
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable Path getRdsCaBundle() {
      return rdsCaBundle;
    }

    public void setRdsCaBundle(@Nullable Path rdsCaBundle) {
      this.rdsCaBundle = rdsCaBundle;
    }

    public boolean isPlaintextOnLoopback() {
      return plaintextOnLoopback;
    }

    public void setPlaintextOnLoopback(boolean plaintextOnLoopback) {
      this.plaintextOnLoopback = plaintextOnLoopback;
    }
  }
}
