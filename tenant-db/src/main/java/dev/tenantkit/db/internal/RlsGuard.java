package dev.tenantkit.db.internal;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.db.TenantDbException.Reason;
import dev.tenantkit.db.TenantDbException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The preflight of a shared pool's database role: run on every new physical connection of the
 * pool (so a membership granted or a role default set later is seen by the next connection) and
 * on the pool's first borrow (so the refusal reaches the caller as
 * {@link TenantDbException.Reason#ROLE_BYPASSES_RLS} at once). The rules are documented on
 * {@link dev.tenantkit.db.RowLevelSecurity}.
 *
 * <p>Every shared pool (bridge and pool mode): the role has no role-level settings
 * ({@code ALTER ROLE ... SET}), because {@code DISCARD ALL} restores them for every borrower of
 * every new connection: a tenant could set {@code search_path} or
 * {@code default_transaction_read_only} for all its neighbours.
 *
 * <p>Pool mode (row-level security), the role can get past no policy: neither it nor any role it
 * is a member of (transitively, whatever the membership's {@code INHERIT} and {@code SET}
 * options) is a superuser, has {@code BYPASSRLS} or owns a table with row-level security; it can
 * read or write no partition without row-level security of a table with it; it can read no view
 * over such a table that runs with the rights of a role that bypasses the policy (its owner,
 * unless the view is {@code security_invoker}), and no materialized view over one; and it can
 * execute no {@code SECURITY DEFINER} function (outside {@code pg_catalog} and
 * {@code information_schema}) owned by such a role.
 */
public final class RlsGuard {
  private static final Logger LOG = LoggerFactory.getLogger(RlsGuard.class);

  // Every role the pool's role is (transitively) a member of, itself included; pg_has_role's
  // MEMBER ignores the INHERIT and SET options, so a membership that could be used is never
  // missed.
  private static final String ROLES_SQL = "select r.rolname, r.rolsuper, r.rolbypassrls, "
      + "(select string_agg(c.oid::regclass::text, ', ' order by c.oid::regclass::text) from pg_class c "
      + "  where c.relowner = r.oid and c.relrowsecurity and c.relkind in ('r', 'p')) "
      + "from pg_roles r where pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER') "
      + "order by r.rolname = current_user desc, r.rolname";

  // A role that is not subject to the policies of table t: superuser, BYPASSRLS, or t's owner
  // while t's row-level security is not forced.
  private static final String BYPASSES = "(o.rolsuper or o.rolbypassrls or (o.oid = t.relowner and not t.relforcerowsecurity))";

  private static final String PARTITIONS_SQL = "select string_agg(c.oid::regclass::text, ', ') from pg_class c "
      + "join pg_inherits i on i.inhrelid = c.oid join pg_class t on t.oid = i.inhparent "
      + "where c.relispartition and not c.relrowsecurity and t.relrowsecurity "
      + "and (pg_catalog.has_table_privilege(current_user, c.oid, 'SELECT') "
      + "or pg_catalog.has_table_privilege(current_user, c.oid, 'INSERT') "
      + "or pg_catalog.has_table_privilege(current_user, c.oid, 'UPDATE') "
      + "or pg_catalog.has_table_privilege(current_user, c.oid, 'DELETE'))";

  private static final String VIEWS_SQL = "select string_agg(distinct v.oid::regclass::text, ', ') from pg_class v "
      + "join pg_roles o on o.oid = v.relowner "
      + "join pg_rewrite r on r.ev_class = v.oid "
      + "join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid "
      + "join pg_class t on t.oid = d.refobjid and t.oid <> v.oid "
      + "where v.relkind in ('v', 'm') and t.relrowsecurity "
      + "and pg_catalog.has_table_privilege(current_user, v.oid, 'SELECT') "
      + "and (v.relkind = 'm' or (" + BYPASSES + " and not coalesce(v.reloptions::text[] && "
      + "array['security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=yes'], false)))";

  private static final String FUNCTIONS_SQL = "select string_agg(distinct p.oid::regprocedure::text, ', ') from pg_proc p "
      + "join pg_roles o on o.oid = p.proowner "
      + "where p.prosecdef and pg_catalog.has_function_privilege(current_user, p.oid, 'EXECUTE') "
      + "and p.pronamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace) "
      + "and (o.rolsuper or o.rolbypassrls or exists (select 1 from pg_class t where t.relowner = o.oid "
      + "and t.relrowsecurity and not t.relforcerowsecurity))";

  private static final String ROLE_SETTINGS_SQL = "select string_agg(array_to_string(s.setconfig, ', '), ', ') "
      + "from pg_db_role_setting s where s.setrole = (select oid from pg_roles where rolname = current_user) "
      + "and s.setdatabase in (0, (select oid from pg_database where datname = current_database()))";

  private RlsGuard() {}

  /**
   * The preflight on the pool's first borrow: refuses with a typed exception, once per pool
   * (every new physical connection is checked too, by {@link ConnectionFactory}).
   */
  static void check(PhysicalPool pool, Connection c, TenantId tenant, boolean rowLevelSecurity) throws SQLException {
    // A lock, not synchronized: the check is a database round trip, which would pin a virtual
    // thread to its carrier.
    pool.rlsLock.lock();
    try {
      if (pool.rlsChecked) {
        return;
      }
      List<String> problems = problems(c, rowLevelSecurity);
      if (!problems.isEmpty()) {
        throw refusal(tenant, pool.name, problems);
      }
      pool.rlsChecked = true;
      pool.factory.armGuard();
    } finally {
      pool.rlsLock.unlock();
    }
  }

  /** The refusal for a pool whose role fails the preflight. */
  public static TenantDbException refusal(@Nullable TenantId tenant, String poolName, List<String> problems) {
    return TenantDbException.of(Reason.ROLE_BYPASSES_RLS, tenant, (tenant == null ? "" : "tenant " + tenant + ": ")
        + "pool " + poolName + " cannot keep tenants apart: " + String.join("; ", problems)
        + ". Connect shared-pool tenants as a plain application role (see RowLevelSecurity)");
  }

  /** What is wrong with the connection's role; empty when nothing is. */
  public static List<String> problems(Connection c, boolean rowLevelSecurity) throws SQLException {
    List<String> problems = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      String role;
      try (ResultSet rs = s.executeQuery("select current_user")) {
        rs.next();
        role = rs.getString(1);
      }
      String settings = single(s, ROLE_SETTINGS_SQL);
      if (settings != null) {
        problems.add("role " + role + " has role-level settings (" + settings + "), which every new connection "
            + "starts with and DISCARD ALL restores for every borrower; set them on the server or the database");
      }
      if (!rowLevelSecurity) {
        return problems;
      }
      try (ResultSet rs = s.executeQuery(ROLES_SQL)) {
        while (rs.next()) {
          String name = rs.getString(1);
          String who = name.equals(role) ? "role " + role : "role " + role + " is a member of " + name + ", which";
          if (rs.getBoolean(2)) {
            problems.add(who + " is a superuser");
          }
          if (rs.getBoolean(3)) {
            problems.add(who + " has BYPASSRLS");
          }
          String owned = rs.getString(4);
          if (owned != null) {
            problems.add(who + " owns the row-level-security table(s) " + owned + " (an owner is exempt "
                + "from policies without FORCE ROW LEVEL SECURITY, and can turn FORCE off)");
          }
        }
      }
      String partitions = single(s, PARTITIONS_SQL);
      if (partitions != null) {
        problems.add("role " + role + " can reach the partition(s) " + partitions + " directly, which have no "
            + "row-level security of their own (RowLevelSecurity.enable covers every partition)");
      }
      String views = single(s, VIEWS_SQL);
      if (views != null) {
        problems.add("role " + role + " can read the view(s) " + views + " over row-level-security tables, "
            + "which run with rights that bypass the policy (make them security_invoker, or revoke)");
      }
      String functions = single(s, FUNCTIONS_SQL);
      if (functions != null) {
        problems.add("role " + role + " can execute the SECURITY DEFINER function(s) " + functions
            + ", owned by a role that bypasses row-level security");
      }
      if (problems.isEmpty() && single(s,
          "select count(*)::text from pg_class c where c.relrowsecurity and c.relkind in ('r', 'p') having count(*) = 0") != null) {
        LOG.warn("role={} database has no table with row-level security: pool isolation has nothing to enforce it "
            + "(see RowLevelSecurity)", role);
      }
    }
    return problems;
  }

  private static @Nullable String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
