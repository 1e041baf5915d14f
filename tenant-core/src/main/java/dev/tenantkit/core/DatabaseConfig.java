package dev.tenantkit.core;

import dev.tenantkit.core.internal.Checks;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where the tenant's relational data lives and how to authenticate to it.
 *
 * @param engine PostgreSQL (first-class) or MySQL
 * @param isolation silo (own database), bridge (own schema) or pool (row-level security)
 * @param host the database endpoint
 * @param port the database port; the engine's default when not given
 * @param database the database name
 * @param schema the tenant's schema; required for {@link IsolationMode#BRIDGE}
 * @param user the database user the service connects as
 * @param credentials how the password is obtained
 * @param secretArn the Secrets Manager secret, for {@link CredentialsSource#SECRET}
 * @param region the Region for IAM tokens and secrets
 * @param password a fixed password, for {@link CredentialsSource#STATIC} (local use only; never
 *     printed by {@link #toString()})
 */
public record DatabaseConfig(
    DatabaseEngine engine,
    IsolationMode isolation,
    String host,
    int port,
    String database,
    @Nullable String schema,
    String user,
    CredentialsSource credentials,
    @Nullable String secretArn,
    @Nullable String region,
    @Nullable String password) {

  // Unquoted identifiers both engines accept; TenantKit still quotes them when it builds SQL.
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]+\\]");
  private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$\\-]{0,62}");

  /** Validates every field and the combinations the isolation and credentials modes need. */
  public DatabaseConfig {
    if (engine == null) {
      throw new InvalidTenantRecordException("engine", "is required (POSTGRESQL or MYSQL)");
    }
    if (isolation == null) {
      throw new InvalidTenantRecordException("isolation", "is required (SILO, BRIDGE or POOL)");
    }
    if (credentials == null) {
      throw new InvalidTenantRecordException("credentials", "is required (IAM, SECRET or STATIC)");
    }
    Checks.matches(Checks.required(host, "host"), HOST, "host", "must be a host name or IP address");
    Checks.port(port, "port");
    Checks.matches(Checks.required(database, "database"), IDENTIFIER, "database",
        "must be a lowercase identifier of at most 63 characters");
    Checks.matches(schema, IDENTIFIER, "schema", "must be a lowercase identifier of at most 63 characters");
    Checks.matches(Checks.required(user, "user"), USER, "user", "must be a database user name");
    Checks.arn(secretArn, "secretArn");
    Checks.region(region, "region");
    if (isolation == IsolationMode.BRIDGE && schema == null) {
      throw new InvalidTenantRecordException("schema", "is required for isolation BRIDGE");
    }
    if (isolation == IsolationMode.POOL && engine != DatabaseEngine.POSTGRESQL) {
      throw new InvalidTenantRecordException("isolation",
          "POOL relies on PostgreSQL row-level security; engine " + engine + " supports SILO and BRIDGE");
    }
    switch (credentials) {
      case IAM:
        Checks.required(region, "region");
        if (password != null) {
          throw new InvalidTenantRecordException("password", "must not be set with credentials IAM");
        }
        break;
      case SECRET:
        Checks.required(secretArn, "secretArn");
        if (password != null) {
          throw new InvalidTenantRecordException("password", "must not be set with credentials SECRET");
        }
        break;
      case STATIC:
        if (password == null) {
          throw new InvalidTenantRecordException("password", "is required for credentials STATIC");
        }
        break;
      default:
        throw new AssertionError(credentials);
    }
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder().engine(engine).isolation(isolation).host(host).port(port).database(database)
        .schema(schema).user(user).credentials(credentials).secretArn(secretArn).region(region)
        .password(password);
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "DatabaseConfig[engine=" + engine + ", isolation=" + isolation + ", host=" + host
        + ", port=" + port + ", database=" + database + ", schema=" + schema + ", user=" + user
        + ", credentials=" + credentials + ", secretArn=" + secretArn + ", region=" + region
        + ", password=" + (password == null ? "null" : "***") + "]";
  }

  /** Database engines. */
  public enum DatabaseEngine {
    /** PostgreSQL: every isolation mode. */
    POSTGRESQL(5432),
    /** MySQL or MariaDB: silo and bridge. */
    MYSQL(3306);

    private final int defaultPort;

    DatabaseEngine(int defaultPort) {
      this.defaultPort = defaultPort;
    }

    /** The engine's usual port. */
    public int defaultPort() {
      return defaultPort;
    }
  }

  /** How a tenant's rows are kept apart from other tenants'. */
  public enum IsolationMode {
    /** The tenant's own database or instance. */
    SILO,
    /** A shared server, a schema per tenant. */
    BRIDGE,
    /** Shared tables guarded by PostgreSQL row-level security. */
    POOL
  }

  /** Where the database password comes from. */
  public enum CredentialsSource {
    /** RDS IAM database authentication: a short-lived signed token. */
    IAM,
    /** An RDS secret in Secrets Manager. */
    SECRET,
    /** A fixed password in the record: local development and tests only. */
    STATIC
  }

  /** Builds a {@link DatabaseConfig}. */
  public static final class Builder {
    private DatabaseEngine engine = DatabaseEngine.POSTGRESQL;
    private @Nullable IsolationMode isolation;
    private @Nullable String host;
    private int port;
    private @Nullable String database;
    private @Nullable String schema;
    private @Nullable String user;
    private @Nullable CredentialsSource credentials;
    private @Nullable String secretArn;
    private @Nullable String region;
    private @Nullable String password;

    private Builder() {}

    /** The engine; PostgreSQL by default. */
    public Builder engine(DatabaseEngine engine) {
      this.engine = engine;
      return this;
    }

    /** The isolation mode. */
    public Builder isolation(@Nullable IsolationMode isolation) {
      this.isolation = isolation;
      return this;
    }

    /** The endpoint host. */
    public Builder host(@Nullable String host) {
      this.host = host;
      return this;
    }

    /** The port; 0 (the default) means the engine's default port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The database name. */
    public Builder database(@Nullable String database) {
      this.database = database;
      return this;
    }

    /** The tenant's schema (bridge). */
    public Builder schema(@Nullable String schema) {
      this.schema = schema;
      return this;
    }

    /** The database user. */
    public Builder user(@Nullable String user) {
      this.user = user;
      return this;
    }

    /** Where the password comes from. */
    public Builder credentials(@Nullable CredentialsSource credentials) {
      this.credentials = credentials;
      return this;
    }

    /** The Secrets Manager secret ARN. */
    public Builder secretArn(@Nullable String secretArn) {
      this.secretArn = secretArn;
      return this;
    }

    /** The Region for IAM tokens and secrets. */
    public Builder region(@Nullable String region) {
      this.region = region;
      return this;
    }

    /** A fixed password: local development and tests only. */
    public Builder password(@Nullable String password) {
      this.password = password;
      return this;
    }

    /** Validates and builds. */
    public DatabaseConfig build() {
      if (isolation == null) {
        throw new InvalidTenantRecordException("isolation", "is required (SILO, BRIDGE or POOL)");
      }
      if (credentials == null) {
        throw new InvalidTenantRecordException("credentials", "is required (IAM, SECRET or STATIC)");
      }
      return new DatabaseConfig(engine, isolation, Checks.required(host, "host"),
          port == 0 ? engine.defaultPort() : port, Checks.required(database, "database"), schema,
          Checks.required(user, "user"), credentials, secretArn, region, password);
    }
  }
}
