package dev.tenantkit.spring;

import dev.tenantkit.core.CrossTenantAccessException;
import dev.tenantkit.core.HttpProblem;
import dev.tenantkit.core.InvalidTenantIdException;
import dev.tenantkit.core.NoTenantException;
import dev.tenantkit.core.TenantKitException;
import dev.tenantkit.core.TenantMismatchException;
import dev.tenantkit.core.TenantNotActiveException;
import dev.tenantkit.core.UnknownTenantException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * TenantKit's refusals, thrown inside a controller, as RFC 9457 {@link ProblemDetail}s with the
 * status they stand for and the type URI the tenant filter uses ({@code urn:tenantkit:problem:...}).
 * The detail is a fixed text per kind, never the exception's message (which names tenants and
 * settings for the logs) and never a stack trace; the exception is logged.
 */
final class TenantProblems {
  private static final Logger LOG = LoggerFactory.getLogger(TenantProblems.class);

  private TenantProblems() {}

  record Kind(int status, String code, String title) {}

  /** The tenant's database could not be reached or went away. */
  static final Kind DATABASE_UNAVAILABLE = new Kind(503, "database-unavailable", "Database unavailable");

  static Kind of(TenantKitException e) {
    if (e instanceof HttpProblem p) {
      return new Kind(p.httpStatus(), p.problemCode(), p.problemTitle());
    } else if (e instanceof CrossTenantAccessException) {
      return new Kind(403, "cross-tenant-access", "Another tenant's resource");
    } else if (e instanceof TenantMismatchException) {
      return new Kind(403, "tenant-mismatch", "Tenant mismatch");
    } else if (e instanceof TenantNotActiveException) {
      return new Kind(403, "tenant-not-active", "Tenant not active");
    } else if (e instanceof UnknownTenantException) {
      return new Kind(404, "unknown-tenant", "Unknown tenant");
    } else if (e instanceof InvalidTenantIdException) {
      return new Kind(400, "invalid-tenant", "Invalid tenant");
    } else if (e instanceof NoTenantException) {
      return new Kind(500, "no-tenant-in-scope", "No tenant in scope");
    }
    return new Kind(500, "tenant-refused", "Refused by TenantKit");
  }

  static Kind ofDb(dev.tenantkit.db.TenantDbException e) {
    return switch (e.reason()) {
      case TENANT_SATURATED -> new Kind(503, "tenant-saturated", "Tenant's database connections busy");
      case POOL_LIMIT, CONNECTION_FAILED, CREDENTIALS_FAILED, CLOSED -> DATABASE_UNAVAILABLE;
      case TENANT_NOT_ACTIVE -> new Kind(403, "tenant-not-active", "Tenant not active");
      case UNKNOWN_TENANT -> new Kind(404, "unknown-tenant", "Unknown tenant");
      default -> new Kind(500, "database-refused", "Database connection refused");
    };
  }

  static ResponseEntity<ProblemDetail> response(Kind kind, Exception e, Map<String, String> headers) {
    if (kind.status() >= 500) {
      LOG.warn("request failed: {}", kind.code(), e);
    } else {
      LOG.info("request refused: {} ({})", kind.code(), e.getMessage());
    }
    ProblemDetail p = ProblemDetail.forStatus(kind.status());
    p.setType(URI.create("urn:tenantkit:problem:" + kind.code()));
    p.setTitle(kind.title());
    p.setDetail("The request was refused: " + kind.title().toLowerCase(Locale.ROOT) + ".");
    HttpHeaders h = new HttpHeaders();
    headers.forEach(h::add);
    if (kind.status() == 503 && !h.containsHeader(HttpHeaders.RETRY_AFTER)) {
      h.add(HttpHeaders.RETRY_AFTER, "1");
    }
    return ResponseEntity.status(kind.status()).headers(h).body(p);
  }
}
