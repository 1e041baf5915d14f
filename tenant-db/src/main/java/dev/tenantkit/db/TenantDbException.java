package dev.tenantkit.db;

import dev.tenantkit.core.TenantId;
import java.sql.SQLException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * TenantKit refused or could not serve a connection for a tenant. A {@link SQLException},
 * because {@link javax.sql.DataSource#getConnection()} must throw one; each {@link Reason} has
 * its own SQLState (class {@code TK}, which the SQL standard leaves to implementations), so code
 * and frameworks that map SQLStates can tell them apart. Messages name the tenant and what was
 * wrong, never a password, a token or a secret's contents.
 */
public final class TenantDbException extends SQLException {
  private static final long serialVersionUID = 1L;

  private final Reason reason;
  private final @Nullable TenantId tenant;

  private TenantDbException(Reason reason, @Nullable TenantId tenant, String message,
      @Nullable String sqlState, @Nullable Throwable cause) {
    super(message, sqlState == null ? reason.sqlState() : sqlState, cause);
    this.reason = reason;
    this.tenant = tenant;
  }

  /** An exception for {@code reason}; its SQLState is the reason's. */
  public static TenantDbException of(Reason reason, @Nullable TenantId tenant, String message) {
    return new TenantDbException(reason, tenant, message, null, null);
  }

  /** An exception for {@code reason} caused by {@code cause}; its SQLState is the reason's. */
  public static TenantDbException of(Reason reason, @Nullable TenantId tenant, String message,
      @Nullable Throwable cause) {
    return new TenantDbException(reason, tenant, message, null, cause);
  }

  /**
   * A {@link Reason#CONNECTION_FAILED} that keeps the driver's SQLState (for example
   * {@code 08001} or {@code 28P01}) so SQLState-based error translation still works.
   */
  public static TenantDbException connectionFailed(@Nullable TenantId tenant, String message,
      SQLException cause) {
    String state = cause.getSQLState();
    return new TenantDbException(Reason.CONNECTION_FAILED, tenant, message,
        state == null ? Reason.CONNECTION_FAILED.sqlState() : state, cause);
  }

  /** Why the connection was refused or failed. */
  public Reason reason() {
    return reason;
  }

  /** The tenant concerned, when one was in scope. */
  public Optional<TenantId> tenant() {
    return Optional.ofNullable(tenant);
  }

  /** Why TenantKit refused or failed a connection, each with a distinct SQLState. */
  public enum Reason {
    /** No tenant scope is open on this thread: no connection to any default database. */
    NO_TENANT("TK001"),
    /** The tenant in scope is not in the catalog. */
    UNKNOWN_TENANT("TK002"),
    /** The tenant's status is not ACTIVE (suspended, offboarding, ...). */
    TENANT_NOT_ACTIVE("TK003"),
    /** The tenant's record has no database section. */
    NO_DATABASE("TK004"),
    /**
     * The tenant already uses all its connections and none came free within its wait timeout;
     * other tenants are not affected. Retry later or raise the tier's {@code maxConnections}.
     */
    TENANT_SATURATED("TK005"),
    /** Creating a pool would exceed {@code maxPools} and no idle pool could be evicted. */
    POOL_LIMIT("TK006"),
    /**
     * Setting the tenant on the connection (RLS setting or schema) failed; the connection was
     * discarded rather than handed out without it (fail closed).
     */
    TENANT_SETUP_FAILED("TK007"),
    /** The password, IAM token or secret could not be obtained. */
    CREDENTIALS_FAILED("TK008"),
    /** TenantKit is not set up for this tenant's database (a missing option or driver). */
    CONFIGURATION("TK009"),
    /** The data source was closed. */
    CLOSED("TK010"),
    /**
     * The database role would bypass row-level security (superuser, BYPASSRLS, or owner of a
     * policy-guarded table without FORCE): pool isolation is refused for it.
     */
    ROLE_BYPASSES_RLS("TK011"),
    /**
     * A connection lent in one tenant's scope was used (a statement created) in another tenant's
     * scope or outside any: a connection a framework keeps bound to the thread (a Spring
     * transaction, an open EntityManager) would otherwise run the other tenant's queries on the
     * first tenant's database or session. Borrow a connection in each tenant's own scope.
     */
    WRONG_SCOPE("TK012"),
    /** The database refused or could not be reached; the SQLState is the driver's. */
    CONNECTION_FAILED("08001");

    private final String sqlState;

    Reason(String sqlState) {
      this.sqlState = sqlState;
    }

    /** The SQLState exceptions with this reason carry (the driver's for CONNECTION_FAILED). */
    public String sqlState() {
      return sqlState;
    }
  }
}
