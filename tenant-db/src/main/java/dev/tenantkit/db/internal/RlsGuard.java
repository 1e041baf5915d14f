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
 * Checks, once per pool-mode pool, that its role cannot bypass row-level security: not a
 * superuser, no BYPASSRLS, and no RLS table it owns without FORCE (an owner is exempt from its
 * table's policies unless they are forced). Refuses the pool if it can; warns when the database
 * has no RLS table at all, or when the role owns forced tables (it could turn RLS off).
 */
final class RlsGuard {
  private static final Logger LOG = LoggerFactory.getLogger(RlsGuard.class);

  private RlsGuard() {}

  static void check(PhysicalPool pool, Connection c, TenantId tenant) throws SQLException {
    synchronized (pool) {
      if (pool.rlsChecked) {
        return;
      }
      try (Statement s = c.createStatement()) {
        String role;
        try (ResultSet rs = s.executeQuery(
            "select current_user, rolsuper, rolbypassrls from pg_roles where rolname = current_user")) {
          if (!rs.next()) {
            throw new SQLException("cannot read the current role from pg_roles");
          }
          role = rs.getString(1);
          if (rs.getBoolean(2) || rs.getBoolean(3)) {
            throw TenantDbException.of(Reason.ROLE_BYPASSES_RLS, tenant, "tenant " + tenant + ": role " + role + " of pool " + pool.name
                + " is " + (rs.getBoolean(2) ? "a superuser" : "BYPASSRLS")
                + " and would bypass row-level security; connect pool-mode tenants as a plain application role");
          }
        }
        List<String> unforced = new ArrayList<>();
        List<String> forced = new ArrayList<>();
        int rlsTables = 0;
        try (ResultSet rs = s.executeQuery("select c.relname, c.relforcerowsecurity, "
            + "pg_get_userbyid(c.relowner) = current_user from pg_class c "
            + "where c.relrowsecurity and c.relkind in ('r', 'p')")) {
          while (rs.next()) {
            rlsTables++;
            if (rs.getBoolean(3)) {
              (rs.getBoolean(2) ? forced : unforced).add(rs.getString(1));
            }
          }
        }
        if (!unforced.isEmpty()) {
          throw TenantDbException.of(Reason.ROLE_BYPASSES_RLS, tenant, "tenant " + tenant + ": role " + role + " of pool " + pool.name
              + " owns " + unforced + " without FORCE ROW LEVEL SECURITY and would bypass their policies; "
              + "create the tables as another role or run RowLevelSecurity.policyStatements");
        }
        if (!forced.isEmpty()) {
          LOG.warn("pool={} role={} owns RLS tables {}: the policies apply (FORCE), but the owner could "
              + "disable them; prefer an application role that does not own its tables", pool.name, role, forced);
        }
        if (rlsTables == 0) {
          LOG.warn("pool={} role={} database has no table with row-level security: pool isolation has "
              + "nothing to enforce it (see RowLevelSecurity)", pool.name, role);
        }
      }
      pool.rlsChecked = true;
    }
  }
}
