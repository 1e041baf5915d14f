package dev.tenantkit.provision;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantKitException;
import dev.tenantkit.core.spi.CognitoTenantRules;
import dev.tenantkit.core.spi.Regions;
import dev.tenantkit.provision.internal.ResourceNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything that makes one tenant's stack: validated as a whole, so a bad spec is refused with
 * one line per problem (see {@link InvalidStackSpecException}) before any synthesis starts.
 * Defaults for instance type, capacity and database class come from the tier.
 */
public final class TenantStackSpec {
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern INSTANCE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
  private static final Pattern CERTIFICATE = Pattern.compile("arn:aws[a-z-]*:acm:([a-z0-9-]+):\\d{12}:certificate/[0-9a-f-]{36}");
  private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
  /** An S3 object URI: a bucket name, then a key whose last segment is a file name. */
  private static final Pattern S3_URI = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/([A-Za-z0-9!_.()/-]{0,900}/)?[A-Za-z0-9_.-]{1,200}");
  private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");

  private final TenantId tenantId;
  private final TierPreset tier;
  private final String region;
  private final @Nullable String account;
  private final int availabilityZones;
  private final String instanceType;
  private final int minCapacity;
  private final int maxCapacity;
  private final String databaseInstanceClass;
  private final String databaseUser;
  private final int appPort;
  private final String certificateArn;
  private final @Nullable String oktaMetadataUrl;
  private final @Nullable String oktaMetadataXml;
  private final List<String> callbackUrls;
  private final List<String> logoutUrls;
  private final String cognitoDomainPrefix;
  private final Map<String, String> tags;
  private final boolean retainData;
  private final @Nullable String registryTable;
  private final @Nullable String registryRegion;
  private final @Nullable String serviceArtifact;
  private final @Nullable String serviceCommand;
  private final @Nullable String serviceAmi;

  private TenantStackSpec(Builder b, TenantId id, TierPreset tier, @Nullable String metadataXml) {
    this.tenantId = id;
    this.tier = tier;
    this.region = b.region;
    this.account = b.account;
    this.availabilityZones = b.availabilityZones;
    this.instanceType = b.instanceType != null ? b.instanceType : tier.instanceType();
    this.minCapacity = b.minCapacity != null ? b.minCapacity : tier.minCapacity();
    this.maxCapacity = b.maxCapacity != null ? b.maxCapacity : tier.maxCapacity();
    this.databaseInstanceClass = b.databaseInstanceClass != null ? b.databaseInstanceClass : tier.databaseInstanceClass();
    this.databaseUser = b.databaseUser;
    this.appPort = b.appPort;
    this.certificateArn = b.certificateArn;
    this.oktaMetadataUrl = b.oktaMetadataUrl;
    this.oktaMetadataXml = metadataXml;
    this.callbackUrls = List.copyOf(b.callbackUrls);
    this.logoutUrls = List.copyOf(b.logoutUrls);
    this.cognitoDomainPrefix = b.cognitoDomainPrefix != null ? b.cognitoDomainPrefix
        : CognitoTenantRules.defaultDomainPrefix(id);
    this.tags = java.util.Collections.unmodifiableMap(new TreeMap<>(b.tags));
    this.retainData = b.retainData;
    this.registryTable = b.registryTable;
    this.registryRegion = b.registryRegion;
    this.serviceArtifact = b.serviceArtifact;
    this.serviceCommand = b.serviceCommand;
    this.serviceAmi = b.serviceAmi;
  }

  /** The tenant registry table the stack's service reads its record from, if one is set. */
  public Optional<String> registryTable() {
    return Optional.ofNullable(registryTable);
  }

  /** The registry table's Region: {@link #region()} unless set. */
  public String registryRegion() {
    return registryRegion != null ? registryRegion : region;
  }

  /** The service's artifact in S3 ({@code s3://bucket/key}) that instances fetch at boot, if set. */
  public Optional<String> serviceArtifact() {
    return Optional.ofNullable(serviceArtifact);
  }

  /** The command that starts the service (with {@link #serviceArtifact()}), if set. */
  public Optional<String> serviceCommand() {
    return Optional.ofNullable(serviceCommand);
  }

  /** The AMI the service is baked into, if set (instead of Amazon Linux 2023). */
  public Optional<String> serviceAmi() {
    return Optional.ofNullable(serviceAmi);
  }

  /**
   * Whether data-bearing resources (database, buckets, user pool, key, logs) survive the stack's
   * deletion and are protected from deletion (true, always, except in the offboarding variant that
   * {@code destroy --delete-data} applies right before deleting).
   */
  public boolean retainData() {
    return retainData;
  }

  /** This spec with data no longer retained: the variant applied before deleting everything. */
  public TenantStackSpec disposable() {
    Builder b = new Builder();
    b.retainData = false;
    return new TenantStackSpec(copyInto(b), tenantId, tier, oktaMetadataXml);
  }

  private Builder copyInto(Builder b) {
    b.region = region;
    b.account = account;
    b.availabilityZones = availabilityZones;
    b.instanceType = instanceType;
    b.minCapacity = minCapacity;
    b.maxCapacity = maxCapacity;
    b.databaseInstanceClass = databaseInstanceClass;
    b.databaseUser = databaseUser;
    b.appPort = appPort;
    b.certificateArn = certificateArn;
    b.oktaMetadataUrl = oktaMetadataUrl;
    b.callbackUrls.addAll(callbackUrls);
    b.logoutUrls.addAll(logoutUrls);
    b.cognitoDomainPrefix = cognitoDomainPrefix;
    b.tags.putAll(tags);
    b.registryTable = registryTable;
    b.registryRegion = registryRegion;
    b.serviceArtifact = serviceArtifact;
    b.serviceCommand = serviceCommand;
    b.serviceAmi = serviceAmi;
    return b;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  public TenantId tenantId() {
    return tenantId;
  }

  public TierPreset tier() {
    return tier;
  }

  public String region() {
    return region;
  }

  /** The account, when the stack is bound to one; synthesis needs none. */
  public Optional<String> account() {
    return Optional.ofNullable(account);
  }

  public int availabilityZones() {
    return availabilityZones;
  }

  /** The AZ names ({@code region} + a, b, c): given, never looked up, so synthesis is offline. */
  public List<String> availabilityZoneNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < availabilityZones; i++) {
      names.add(region + (char) ('a' + i));
    }
    return names;
  }

  public String instanceType() {
    return instanceType;
  }

  public int minCapacity() {
    return minCapacity;
  }

  public int maxCapacity() {
    return maxCapacity;
  }

  public String databaseInstanceClass() {
    return databaseInstanceClass;
  }

  /** The database user the instances connect as with IAM authentication. */
  public String databaseUser() {
    return databaseUser;
  }

  public int appPort() {
    return appPort;
  }

  public String certificateArn() {
    return certificateArn;
  }

  public Optional<String> oktaMetadataUrl() {
    return Optional.ofNullable(oktaMetadataUrl);
  }

  /** The Okta SAML metadata document, when it was given as a file. */
  public Optional<String> oktaMetadataXml() {
    return Optional.ofNullable(oktaMetadataXml);
  }

  /**
   * The app client's OAuth callback URLs. Empty (the default) means OAuth is off for the client:
   * users sign in with SRP only; there is no placeholder URL.
   */
  public List<String> callbackUrls() {
    return callbackUrls;
  }

  /** The app client's sign-out URLs; empty by default. */
  public List<String> logoutUrls() {
    return logoutUrls;
  }

  /** The Cognito domain prefix: {@code tenantkit-<tenant>} unless given. */
  public String cognitoDomainPrefix() {
    return cognitoDomainPrefix;
  }

  /**
   * The PostgreSQL database the stack creates: the tenant id with {@code -} as {@code _}, with
   * {@code tenant__} in front when the id starts with a digit or is a word PostgreSQL reserves, so
   * it is valid for RDS for every valid tenant id.
   */
  public String databaseName() {
    return ResourceNames.databaseName(tenantId);
  }

  /** Extra tags for every resource (TenantKit adds {@code tenantkit:tenant} and {@code tenantkit:tier}). */
  public Map<String, String> tags() {
    return tags;
  }

  /** The CloudFormation stack name: {@code tenantkit-<tenant>}. */
  public String stackName() {
    return ResourceNames.stackName(tenantId);
  }

  /** Builds a {@link TenantStackSpec}; {@link #build()} reports every problem at once. */
  public static final class Builder {
    private @Nullable String tenant;
    private String tierName = "standard";
    private @Nullable TierPreset customTier;
    private String region = "";
    private @Nullable String account;
    private int availabilityZones = 2;
    private @Nullable String instanceType;
    private @Nullable Integer minCapacity;
    private @Nullable Integer maxCapacity;
    private @Nullable String databaseInstanceClass;
    private String databaseUser = "app";
    private int appPort = 8080;
    private String certificateArn = "";
    private @Nullable String oktaMetadataUrl;
    private @Nullable Path oktaMetadataFile;
    private final List<String> callbackUrls = new ArrayList<>();
    private final List<String> logoutUrls = new ArrayList<>();
    private @Nullable String cognitoDomainPrefix;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private boolean retainData = true;
    private @Nullable String registryTable;
    private @Nullable String registryRegion;
    private @Nullable String serviceArtifact;
    private @Nullable String serviceCommand;
    private @Nullable String serviceAmi;

    private Builder() {}

    /**
     * The tenant registry table (in the stack's account) the service reads its record from. The
     * instance role may then read the tenant's own item and nothing else
     * ({@link TenantRegistryTable#ownItemOnly}), and the instances boot knowing the table.
     */
    public Builder registryTable(@Nullable String tableName) {
      this.registryTable = tableName;
      return this;
    }

    /** The registry table's Region, when it is not the stack's. */
    public Builder registryRegion(@Nullable String region) {
      this.registryRegion = region;
      return this;
    }

    /**
     * What the instances run: an artifact in S3 ({@code s3://bucket/key}, fetched at boot into
     * {@code /opt/tenantkit/}) and the command that starts it (run as a systemd service with
     * {@code /etc/tenantkit/tenant.env} as its environment), such as
     * {@code java -jar /opt/tenantkit/documents-service.jar}; systemd expands {@code $VAR} and
     * {@code ${VAR}} in it from that environment ({@code $$} is a literal dollar). The instance
     * role may read that one object (no {@code *} in the key: it would be a wildcard in the
     * policy). Give this or {@link #serviceAmi}, or neither (instances then boot with the
     * environment file only, for an image you bake yourself).
     */
    public Builder service(@Nullable String artifactS3Uri, @Nullable String startCommand) {
      this.serviceArtifact = artifactS3Uri;
      this.serviceCommand = startCommand;
      return this;
    }

    /** An AMI with the service baked in (it reads {@code /etc/tenantkit/tenant.env}), instead of Amazon Linux 2023. */
    public Builder serviceAmi(@Nullable String amiId) {
      this.serviceAmi = amiId;
      return this;
    }

    /** The tenant id (required). */
    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    /** A built-in tier: basic, standard (default) or premium. */
    public Builder tier(String tier) {
      this.tierName = tier;
      this.customTier = null;
      return this;
    }

    /** A tier preset of your own. */
    public Builder tier(TierPreset tier) {
      this.customTier = tier;
      this.tierName = tier.name();
      return this;
    }

    /** The Region (required), e.g. {@code eu-west-1}. */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** The 12-digit account, to bind the stack to it (optional; synthesis needs none). */
    public Builder account(@Nullable String account) {
      this.account = account;
      return this;
    }

    /** Availability Zones: 2 (default) or 3. */
    public Builder availabilityZones(int count) {
      this.availabilityZones = count;
      return this;
    }

    /** EC2 instance type; the tier's by default. */
    public Builder instanceType(String instanceType) {
      this.instanceType = instanceType;
      return this;
    }

    /** Auto Scaling Group bounds; the tier's by default. */
    public Builder capacity(int min, int max) {
      this.minCapacity = min;
      this.maxCapacity = max;
      return this;
    }

    /** RDS instance class without {@code db.} (e.g. {@code t4g.small}); the tier's by default. */
    public Builder databaseInstanceClass(String instanceClass) {
      this.databaseInstanceClass = instanceClass;
      return this;
    }

    /** The IAM-authenticated database user of the application; {@code app} by default. */
    public Builder databaseUser(String user) {
      this.databaseUser = user;
      return this;
    }

    /** The port the application listens on (1024..65535, 8080 by default). */
    public Builder appPort(int port) {
      this.appPort = port;
      return this;
    }

    /** The ACM certificate for the ALB's HTTPS listener (required; same Region). */
    public Builder certificateArn(String arn) {
      this.certificateArn = arn;
      return this;
    }

    /** The tenant's Okta SAML metadata URL (https), to federate its user pool. */
    public Builder oktaMetadataUrl(@Nullable String url) {
      this.oktaMetadataUrl = url;
      return this;
    }

    /** The tenant's Okta SAML metadata as a file, instead of a URL. */
    public Builder oktaMetadataFile(@Nullable Path file) {
      this.oktaMetadataFile = file;
      return this;
    }

    /**
     * The app client's OAuth callback URLs (https; http only on localhost), replacing any given
     * before. Needed with Okta, whose users can only sign in through OAuth; without any, the client
     * has no OAuth at all (SRP sign-in only).
     */
    public Builder callbackUrls(List<String> urls) {
      this.callbackUrls.clear();
      this.callbackUrls.addAll(urls);
      return this;
    }

    /** The app client's sign-out URLs (same rules), replacing any given before. */
    public Builder logoutUrls(List<String> urls) {
      this.logoutUrls.clear();
      this.logoutUrls.addAll(urls);
      return this;
    }

    /**
     * The Cognito domain prefix, when {@code tenantkit-<tenant>} will not do: it is unique per
     * Region across all AWS accounts, and Cognito refuses one containing aws, amazon or cognito.
     */
    public Builder cognitoDomainPrefix(@Nullable String prefix) {
      this.cognitoDomainPrefix = prefix;
      return this;
    }

    /** An extra tag for every resource. */
    public Builder tag(String key, String value) {
      this.tags.put(key, value);
      return this;
    }

    /** Validates everything and builds, or throws with every problem found. */
    public TenantStackSpec build() {
      List<String> problems = new ArrayList<>();
      TenantId id = null;
      if (tenant == null) {
        problems.add("tenant: is required");
      } else {
        try {
          id = TenantId.of(tenant);
        } catch (TenantKitException e) {
          problems.add("tenant: " + e.getMessage());
        }
      }
      TierPreset tier = customTier != null ? customTier : TierPresets.find(tierName).orElse(null);
      if (tier == null) {
        problems.add("tier: must be one of basic, standard, premium (was \"" + abbreviate(tierName) + "\")");
      }
      if (!Regions.isRegion(region)) {
        problems.add("region: must look like eu-west-1 (was \"" + abbreviate(region) + "\")");
      }
      if (account != null && !ACCOUNT.matcher(account).matches()) {
        problems.add("account: must be 12 digits");
      }
      if (availabilityZones < 2 || availabilityZones > 3) {
        problems.add("availabilityZones: must be 2 or 3 (was " + availabilityZones + ")");
      }
      if (instanceType != null && !INSTANCE.matcher(instanceType).matches()) {
        problems.add("instanceType: must look like t3.medium (was \"" + abbreviate(instanceType) + "\")");
      }
      if (databaseInstanceClass != null && !INSTANCE.matcher(databaseInstanceClass).matches()) {
        problems.add("databaseInstanceClass: must look like t4g.small, without db. (was \""
            + abbreviate(databaseInstanceClass) + "\")");
      }
      if (minCapacity != null && maxCapacity != null
          && (minCapacity < 1 || maxCapacity < minCapacity || maxCapacity > 100)) {
        problems.add("capacity: need 1 <= min <= max <= 100 (was " + minCapacity + ".." + maxCapacity + ")");
      }
      if (!databaseUser.matches("[a-z_][a-z0-9_]{0,62}")) {
        problems.add("databaseUser: must be a lowercase identifier");
      }
      if (appPort < 1024 || appPort > 65535) {
        problems.add("appPort: must be 1024..65535 (was " + appPort + ")");
      }
      var cert = CERTIFICATE.matcher(certificateArn);
      if (!cert.matches()) {
        problems.add("certificateArn: must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)");
      } else if (Regions.isRegion(region) && !cert.group(1).equals(region)) {
        problems.add("certificateArn: is in " + cert.group(1) + " but the stack is in " + region
            + " (an ALB needs a certificate from its own Region)");
      }
      String metadataXml = null;
      if (oktaMetadataUrl != null && oktaMetadataFile != null) {
        problems.add("oktaMetadataUrl, oktaMetadataFile: give one, not both");
      } else if (oktaMetadataUrl != null && !oktaMetadataUrl.matches("https://[^\\s]{3,2000}")) {
        problems.add("oktaMetadataUrl: must be an https URL");
      } else if (oktaMetadataFile != null) {
        try {
          metadataXml = Files.readString(oktaMetadataFile);
          if (!metadataXml.contains("EntityDescriptor")) {
            problems.add("oktaMetadataFile: " + oktaMetadataFile + " is not SAML metadata (no EntityDescriptor)");
          }
        } catch (IOException e) {
          problems.add("oktaMetadataFile: cannot read " + oktaMetadataFile + " (" + e.getClass().getSimpleName() + ")");
        }
      }
      checkUrls(callbackUrls, "callbackUrls", problems);
      checkUrls(logoutUrls, "logoutUrls", problems);
      if ((oktaMetadataUrl != null || oktaMetadataFile != null) && callbackUrls.isEmpty()) {
        problems.add("callbackUrls: required with Okta federation (federated users sign in through the OAuth "
            + "authorization code flow, which redirects to the app's callback URL)");
      }
      String prefix = cognitoDomainPrefix != null ? cognitoDomainPrefix
          : id != null ? CognitoTenantRules.defaultDomainPrefix(id) : null;
      if (prefix != null) {
        CognitoTenantRules.domainPrefixProblem(prefix).ifPresent(p -> problems.add("cognitoDomainPrefix: "
            + (cognitoDomainPrefix == null ? "the default " + prefix + " " : "") + p
            + (cognitoDomainPrefix == null ? "; give one with cognitoDomainPrefix" : "")));
      }
      for (Map.Entry<String, String> t : tags.entrySet()) {
        String k = t.getKey();
        if (k == null || !TAG_KEY.matcher(k).matches() || k.startsWith("aws:") || k.startsWith("tenantkit:")) {
          problems.add("tag " + (k == null ? "null" : "\"" + abbreviate(k) + "\"")
              + ": keys are 1-128 tag characters, not starting with aws: or tenantkit: (reserved)");
        } else if (t.getValue() == null || !TAG_VALUE.matcher(t.getValue()).matches()) {
          problems.add("tag " + k + ": values are 0-256 tag characters");
        }
      }
      if (registryTable != null && !registryTable.matches("[A-Za-z0-9_.-]{3,255}")) {
        problems.add("registryTable: must be 3 to 255 letters, digits, '_', '-' or '.' (was \""
            + abbreviate(registryTable) + "\")");
      }
      if (registryRegion != null && !Regions.isRegion(registryRegion)) {
        problems.add("registryRegion: must look like eu-west-1 (was \"" + abbreviate(registryRegion) + "\")");
      }
      if ((serviceArtifact == null) != (serviceCommand == null)) {
        problems.add("service: give both the artifact and its start command");
      }
      if (serviceArtifact != null && (!S3_URI.matcher(serviceArtifact).matches()
          || serviceArtifact.endsWith("/.") || serviceArtifact.endsWith("/..") || serviceArtifact.contains("/../")
          || serviceArtifact.contains("/./"))) {
        problems.add("service: the artifact must be s3://bucket/key with a file name at the end (was \""
            + abbreviate(serviceArtifact) + "\")");
      }
      if (serviceCommand != null && (serviceCommand.isBlank() || serviceCommand.length() > 1000
          || !serviceCommand.matches("[\\x20-\\x7e]+") || serviceCommand.contains("'"))) {
        problems.add("service: the start command must be 1 to 1000 printable ASCII characters without a single quote");
      }
      if (serviceAmi != null && !serviceAmi.matches("ami-[0-9a-f]{8}([0-9a-f]{9})?")) {
        problems.add("serviceAmi: must look like ami-0123456789abcdef0 (was \"" + abbreviate(serviceAmi) + "\")");
      }
      if (serviceAmi != null && serviceArtifact != null) {
        problems.add("service, serviceAmi: give one, not both");
      }
      if (!problems.isEmpty() || id == null || tier == null) { // a null id or tier added a problem above
        throw new InvalidStackSpecException(problems);
      }
      return new TenantStackSpec(this, id, tier, metadataXml);
    }

    private static void checkUrls(List<String> urls, String field, List<String> problems) {
      if (urls.size() > CognitoTenantRules.MAX_REDIRECT_URLS) {
        problems.add(field + ": at most " + CognitoTenantRules.MAX_REDIRECT_URLS + " URLs (was " + urls.size() + ")");
      }
      for (String url : urls) {
        if (url == null) {
          problems.add(field + ": null URL");
        } else {
          CognitoTenantRules.redirectUrlProblem(url).ifPresent(p -> problems.add(field + ": \""
              + abbreviate(url) + "\" " + p));
        }
      }
    }

    private static String abbreviate(String s) {
      String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
      return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
    }
  }
}
