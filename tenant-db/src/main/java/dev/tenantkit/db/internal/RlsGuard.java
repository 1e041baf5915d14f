package dev.tenantkit.db.internal;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.db.TenantDbException;
import dev.tenantkit.db.TenantDbException.Reason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, once per pool-mode pool, that its role cannot get past row-level security, itself or
 * through a role it is a member of (and so can {@code SET ROLE} to, or inherits from): no such
 * role may be a superuser, have {@code BYPASSRLS}, or own a table with row-level security (an
 * owner is exempt from unforced policies and can turn forced ones off). Refuses the pool naming
 * the offending role; warns when the database has no RLS table at all. The rule is documented on
 * {@link dev.tenantkit.db.RowLevelSecurity}.
 */
final class RlsGuard {
  private static final Logger LOG = LoggerFactory.getLogger(RlsGuard.class);

  // Every role the pool's role is (transitively) a member of, itself included; pg_has_role's
  // MEMBER ignores the INHERIT and SET options, so a membership that could be used is never
  // missed.
  private static final String ROLES_SQL = "select r.rolname, r.rolsuper, r.rolbypassrls, "
      + "(select string_agg(c.oid::regclass::text, ', ' order by c.oid::regclass::text) from pg_class c "
      + "  where c.relowner = r.oid and c.relrowsecurity and c.relkind in ('r', 'p')) "
      + "from pg_roles r where pg_has_role(current_user, r.oid, 'MEMBER') "
      + "order by r.rolname = current_user desc, r.rolname";

  private RlsGuard() {}

  static void check(PhysicalPool pool, Connection c, TenantId tenant) throws SQLException {
    // A lock, not synchronized: the check is a database round trip, which would pin a virtual
    // thread to its carrier.
    pool.rlsLock.lock();
    try {
      if (pool.rlsChecked) {
        return;
      }
      try (Statement s = c.createStatement()) {
        String role;
        try (ResultSet rs = s.executeQuery("select current_user")) {
          rs.next();
          role = rs.getString(1);
        }
        List<String> problems = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(ROLES_SQL)) {
          while (rs.next()) {
            String name = rs.getString(1);
            String who = name.equals(role) ? "role " + role : "role " + role + " is a member of " + name
                + ", which";
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
        if (!problems.isEmpty()) {
          throw TenantDbException.of(Reason.ROLE_BYPASSES_RLS, tenant, "tenant " + tenant + ": pool "
              + pool.name + " cannot enforce row-level security: " + String.join("; ", problems)
              + ". Connect pool-mode tenants as a plain application role that is not a member of such a "
              + "role and owns none of the tables (see RowLevelSecurity)");
        }
        try (ResultSet rs = s.executeQuery(
            "select count(*) from pg_class c where c.relrowsecurity and c.relkind in ('r', 'p')")) {
          rs.next();
          if (rs.getInt(1) == 0) {
            LOG.warn("pool={} role={} database has no table with row-level security: pool isolation has "
                + "nothing to enforce it (see RowLevelSecurity)", pool.name, role);
          }
        }
      }
      pool.rlsChecked = true;
    } finally {
      pool.rlsLock.unlock();
    }
  }
}
