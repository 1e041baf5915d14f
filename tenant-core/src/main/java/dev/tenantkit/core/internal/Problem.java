package dev.tenantkit.core.internal;

import dev.tenantkit.core.HttpProblem;
import dev.tenantkit.core.InvalidTenantIdException;
import dev.tenantkit.core.TenantKitException;
import dev.tenantkit.core.TenantMismatchException;
import dev.tenantkit.core.TenantNotActiveException;
import dev.tenantkit.core.UnknownTenantException;
import java.util.Map;

/**
 * An RFC 9457 problem for a refused request. Details are fixed texts: nothing from the request
 * or the exception message is echoed, so a response never reveals internals or reflects input.
 */
public final class Problem {
  /** The media type of the body. */
  public static final String CONTENT_TYPE = "application/problem+json";

  /** No resolver named a tenant. */
  public static final Problem TENANT_REQUIRED = new Problem(400, "tenant-required", "Tenant required",
      "The request does not name a tenant.");
  /** A resolver found a tenant id that is not valid. */
  public static final Problem INVALID_TENANT = new Problem(400, "invalid-tenant", "Invalid tenant",
      "The tenant named by the request is not a valid tenant id.");
  /** The catalog has no such tenant. */
  public static final Problem UNKNOWN_TENANT = new Problem(404, "unknown-tenant", "Unknown tenant",
      "The tenant named by the request does not exist.");
  /** The tenant is not active. */
  public static final Problem TENANT_NOT_ACTIVE = new Problem(403, "tenant-not-active",
      "Tenant not active", "The tenant named by the request is not active.");
  /** Sources disagree about the tenant. */
  public static final Problem TENANT_MISMATCH = new Problem(403, "tenant-mismatch", "Tenant mismatch",
      "The request names more than one tenant.");
  /** Any other TenantKit refusal. */
  public static final Problem REFUSED = new Problem(400, "request-refused", "Request refused",
      "The request was refused.");

  /** The tenant's database went away mid-request (a restart, a failover). */
  public static final Problem DATABASE_UNAVAILABLE = new Problem(503, "database-unavailable", "Database unavailable",
      "The request was refused: database unavailable.", Map.of("Retry-After", "1"));

  private final int status;
  private final String code;
  private final String title;
  private final String detail;
  private final String json;
  private final Map<String, String> headers;

  private Problem(int status, String code, String title, String detail) {
    this(status, code, title, detail, Map.of());
  }

  private Problem(int status, String code, String title, String detail, Map<String, String> headers) {
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.headers = Map.copyOf(headers);
    this.json = "{\"type\":\"urn:tenantkit:problem:" + escape(code) + "\",\"title\":\""
        + escape(title) + "\",\"status\":" + status + ",\"detail\":\"" + escape(detail) + "\"}";
  }

  /** An application's RFC 9457 problem document with this type URI, escaped for JSON. */
  public static String json(String type, int status, String title, String detail) {
    return "{\"type\":\"" + escape(type) + "\",\"title\":\"" + escape(title) + "\",\"status\":" + status
        + ",\"detail\":\"" + escape(detail) + "\"}";
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The problem for a TenantKit refusal. */
  public static Problem of(TenantKitException e) {
    if (e instanceof HttpProblem) {
      HttpProblem p = (HttpProblem) e;
      return new Problem(p.httpStatus(), p.problemCode(), p.problemTitle(),
          "The request was refused: " + p.problemTitle().toLowerCase(java.util.Locale.ROOT) + ".",
          p.problemHeaders());
    }
    if (e instanceof InvalidTenantIdException) {
      return INVALID_TENANT;
    } else if (e instanceof UnknownTenantException) {
      return UNKNOWN_TENANT;
    } else if (e instanceof TenantNotActiveException) {
      return TENANT_NOT_ACTIVE;
    } else if (e instanceof TenantMismatchException) {
      return TENANT_MISMATCH;
    }
    return REFUSED;
  }

  /**
   * The problem for an outage a handler's exception reports, or null for any other exception: a
   * TenantKit exception answered 503 ({@link HttpProblem}: S3 unavailable, a tenant's database
   * connections busy), or an {@link java.sql.SQLException} whose SQLState says the database could
   * not be reached or went away (class 08, PostgreSQL's 57P01 to 57P03, 53300), as the exception
   * or any of its causes.
   */
  public static @org.jspecify.annotations.Nullable Problem outage(Throwable e) {
    java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof TenantKitException && t instanceof HttpProblem && ((HttpProblem) t).httpStatus() == 503) {
        return of((TenantKitException) t);
      }
    }
    return dev.tenantkit.core.spi.SqlStates.databaseUnavailable(e) ? DATABASE_UNAVAILABLE : null;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The short code, the last part of the type URI. */
  public String code() {
    return code;
  }

  /** The title. */
  public String title() {
    return title;
  }

  /** The detail text. */
  public String detail() {
    return detail;
  }

  /** Extra response headers (such as {@code WWW-Authenticate}). */
  public Map<String, String> headers() {
    return headers;
  }

  /** The body as JSON. */
  public String json() {
    return json;
  }
}
