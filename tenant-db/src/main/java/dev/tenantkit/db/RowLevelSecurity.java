package dev.tenantkit.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The SQL that puts a shared PostgreSQL table under TenantKit's tenant policy (pool isolation).
 *
 * <p>{@link TenantDataSource} sets {@value #TENANT_SETTING} on every connection it hands out for
 * a pool-mode tenant, with {@code set_config} and a bind parameter, in the same round trip as the
 * {@code DISCARD ALL} that clears whatever the previous borrower left. The policy compares the
 * table's tenant column with that setting, so a connection sees and writes only its tenant's rows,
 * and a connection with no tenant set sees none.
 *
 * <p>What the database must look like, or the policy is bypassed:
 * <ul>
 *   <li>the application role (the user in the tenant record) must not own the tables: run this
 *       SQL and create the tables as another role (a migration role), then grant the application
 *       role {@code SELECT, INSERT, UPDATE, DELETE};</li>
 *   <li>it must not be a superuser nor have {@code BYPASSRLS}, and neither may any role it is a
 *       member of, directly or through other roles, whatever the membership's {@code INHERIT}
 *       and {@code SET} options (a member can {@code SET ROLE} to it); nor may it, or a role it is
 *       a member of, own a table with row-level security (an owner is exempt from policies that
 *       are not forced, and can turn {@code FORCE} off);</li>
 *   <li>it must reach no partition without row-level security of a table with it (a partition
 *       is a table of its own: {@link #enable} covers every partition; {@link #policyStatements}
 *       covers the one table it names), no view over such a table that runs with the rights of
 *       a role that bypasses the policy (its owner, unless it is {@code security_invoker}), no
 *       materialized view over one (it holds every tenant's rows), and no
 *       {@code SECURITY DEFINER} function owned by a role that bypasses the policy;</li>
 *   <li>it must have no role-level settings ({@code ALTER ROLE ... SET}), for any shared pool,
 *       bridge mode too: every new connection starts with them and {@code DISCARD ALL} restores
 *       them for every borrower, so one tenant could set them for all;</li>
 *   <li>the tenant column holds the tenant id as text.</li>
 * </ul>
 * {@link TenantDataSource} checks all of this on every new physical connection of a shared
 * pool (so a membership granted or a setting made after the pool opened is caught by the next
 * connection) and on the pool's first borrow, and refuses with
 * {@link TenantDbException.Reason#ROLE_BYPASSES_RLS}, naming the offending role or object, e.g.
 * {@code role app is a member of admin, which has BYPASSRLS}.
 * {@code FORCE ROW LEVEL SECURITY} is set too, so even the table owner is subject to the policy
 * in its ordinary queries.
 */
public final class RowLevelSecurity {
  /** The PostgreSQL setting that carries the tenant id on a connection. */
  public static final String TENANT_SETTING = "tenantkit.tenant_id";
  /** The name of the policy {@link #policyStatements} creates on each table. */
  public static final String POLICY_NAME = "tenantkit_tenant_isolation";

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

  private RowLevelSecurity() {}

  /**
   * The statements that enable and force row-level security on {@code table} and create the
   * tenant policy on {@code tenantColumn}. Re-running them replaces the policy.
   *
   * @param table a lowercase table name, optionally schema-qualified ({@code app.documents})
   * @param tenantColumn the lowercase name of the text column holding the tenant id
   * @throws IllegalArgumentException when a name is not a plain lowercase identifier
   */
  public static List<String> policyStatements(String table, String tenantColumn) {
    String t = qualifiedName(table, "table");
    String c = quote(identifier(tenantColumn, "tenantColumn"));
    String check = c + " = current_setting('" + TENANT_SETTING + "', true)";
    return List.of(
        "ALTER TABLE " + t + " ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE " + t + " FORCE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS " + POLICY_NAME + " ON " + t,
        "CREATE POLICY " + POLICY_NAME + " ON " + t + " USING (" + check + ") WITH CHECK (" + check + ")");
  }

  /**
   * Runs {@link #policyStatements} on {@code connection}, which must belong to the table's owner
   * (a migration role, not the application role), for the table and, when it is partitioned, for
   * every partition below it: a partition is a table of its own, reachable by name, and the
   * parent's policy does not apply to queries that name it.
   */
  public static void enable(Connection connection, String table, String tenantColumn) throws SQLException {
    List<String> tables = new java.util.ArrayList<>();
    tables.add(table);
    String qualified = qualifiedName(table, "table");
    try (java.sql.PreparedStatement p = connection.prepareStatement("with recursive tree(oid) as ("
        + "select inhrelid from pg_catalog.pg_inherits where inhparent = ?::regclass "
        + "union all select i.inhrelid from pg_catalog.pg_inherits i join tree on i.inhparent = tree.oid) "
        + "select n.nspname, c.relname from tree join pg_catalog.pg_class c on c.oid = tree.oid "
        + "join pg_catalog.pg_namespace n on n.oid = c.relnamespace order by 1, 2")) {
      p.setString(1, qualified);
      try (java.sql.ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1) + "." + rs.getString(2));
        }
      }
    }
    try (Statement s = connection.createStatement()) {
      for (String t : tables) {
        for (String sql : policyStatements(t, tenantColumn)) {
          s.execute(sql);
        }
      }
    }
  }

  private static String qualifiedName(String name, String what) {
    if (name == null) {
      throw new IllegalArgumentException(what + " is required");
    }
    int dot = name.indexOf('.');
    if (dot < 0) {
      return quote(identifier(name, what));
    }
    return quote(identifier(name.substring(0, dot), what + " schema")) + "."
        + quote(identifier(name.substring(dot + 1), what));
  }

  private static String identifier(String name, String what) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " must be a lowercase SQL identifier of 1 to 63 "
          + "letters, digits, '_' or '$', not starting with a digit");
    }
    return name;
  }

  private static String quote(String identifier) {
    // Validated above: no double quote can occur, quoting only keeps keywords usable.
    return '"' + identifier + '"';
  }
}
