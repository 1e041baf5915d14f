package dev.tenantkit.provision.internal;

import dev.tenantkit.core.TenantId;
import java.util.Set;

/**
 * The names a tenant's stack derives from its tenant id, each valid for the service that takes it,
 * for every valid tenant id (3-36 of {@code a-z 0-9 -}, single hyphens, so UUIDs and ids that start
 * with a digit too). Cognito names (pool, domain prefix) follow core's {@code CognitoTenantRules};
 * buckets, roles and log groups are named by CloudFormation, never from the id.
 */
public final class ResourceNames {
  /**
   * Words PostgreSQL reserves (its "reserved" and "reserved, can be function or type" key words),
   * plus the databases every RDS for PostgreSQL instance already has. RDS refuses a DBName that is
   * a reserved word.
   */
  private static final Set<String> POSTGRES_RESERVED = Set.of(
      "all", "analyse", "analyze", "and", "any", "array", "asc", "asymmetric", "authorization", "binary",
      "both", "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint",
      "create", "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
      "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "else", "end",
      "except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having",
      "ilike", "initially", "inner", "intersect", "into", "isnull", "join", "lateral", "leading", "left",
      "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null", "offset", "only",
      "order", "outer", "overlaps", "placing", "primary", "references", "returning", "right", "select",
      "session_user", "similar", "some", "symmetric", "system_user", "table", "tablesample", "then",
      "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when", "where",
      "window", "with",
      "postgres", "rdsadmin", "template0", "template1");

  /** Prefix for ids RDS would refuse as they are; {@code __} cannot come from an id (no {@code --}). */
  static final String DATABASE_PREFIX = "tenant__";

  private ResourceNames() {}

  /** The CloudFormation stack: {@code tenantkit-<tenant>} (a letter first, at most 46 characters). */
  public static String stackName(TenantId tenant) {
    return "tenantkit-" + tenant.value();
  }

  /**
   * The PostgreSQL database RDS creates, as RDS requires it: a letter first, then letters, digits
   * and underscores, at most 63, not a reserved word. The id with {@code -} as {@code _}
   * ({@code acme-corp} is {@code acme_corp}, unchanged from earlier versions, so no existing database
   * is replaced); an id that starts with a digit or maps onto a reserved word gets
   * {@value #DATABASE_PREFIX} in front ({@code 7eleven} is {@code tenant__7eleven}). Distinct ids
   * always give distinct names.
   */
  public static String databaseName(TenantId tenant) {
    String name = tenant.value().replace('-', '_');
    char first = name.charAt(0);
    boolean startsWithLetter = first >= 'a' && first <= 'z';
    return startsWithLetter && !POSTGRES_RESERVED.contains(name) ? name : DATABASE_PREFIX + name;
  }
}
