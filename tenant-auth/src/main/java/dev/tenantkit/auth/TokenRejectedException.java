package dev.tenantkit.auth;

import dev.tenantkit.core.HttpProblem;
import dev.tenantkit.core.TenantKitException;
import java.util.Map;

/**
 * A token was refused. {@link #reason()} says why in a form code can branch on; the message adds
 * detail for logs but never contains the token, a signature or a claim value that could be one.
 *
 * <p>Answered over HTTP (through {@link BearerTokenGuard}) as 401 with
 * {@code WWW-Authenticate: Bearer error="invalid_token"}, or 403 with
 * {@code error="insufficient_scope"} for a missing group or scope, or plain 403 for a tenant
 * mismatch or an inactive tenant.
 */
public final class TokenRejectedException extends TenantKitException implements HttpProblem {
  private static final long serialVersionUID = 1L;

  /** Why a token was refused. */
  public enum Reason {
    /** No bearer token was presented. */
    MISSING_TOKEN(401, "token-required", "Bearer token required"),
    /** Not a well-formed signed JWT (or too large, or a forbidden header such as jku). */
    MALFORMED(401, "malformed-token", "Malformed token"),
    /** Signed with an algorithm the issuer's allow-list does not hold ({@code none}, HMAC, ...). */
    UNSUPPORTED_ALGORITHM(401, "unsupported-algorithm", "Unsupported token algorithm"),
    /** The signature does not verify. */
    BAD_SIGNATURE(401, "bad-signature", "Invalid token signature"),
    /** Past its {@code exp}. */
    EXPIRED(401, "token-expired", "Token expired"),
    /** Before its {@code nbf} (or issued in the future). */
    NOT_YET_VALID(401, "token-not-yet-valid", "Token not yet valid"),
    /** Its {@code iss} is no tenant's issuer. */
    UNKNOWN_ISSUER(401, "unknown-issuer", "Unknown token issuer"),
    /** Its app client ({@code client_id} or {@code aud}) is not one of the tenant's. */
    WRONG_AUDIENCE(401, "wrong-audience", "Token audience not accepted"),
    /** An ID token where an access token is needed, or the reverse. */
    WRONG_TOKEN_USE(401, "wrong-token-use", "Wrong kind of token"),
    /** The user is not in a group the call requires. */
    MISSING_GROUP(403, "insufficient-scope", "Insufficient group membership"),
    /** The token lacks a scope the call requires. */
    MISSING_SCOPE(403, "insufficient-scope", "Insufficient scope"),
    /** The token's tenant is not the request's, or its issuer and tenant claim disagree. */
    TENANT_MISMATCH(403, "tenant-mismatch", "Token tenant mismatch"),
    /** The token's tenant is not ACTIVE. */
    TENANT_NOT_ACTIVE(403, "tenant-not-active", "Tenant not active"),
    /** No key of the issuer has the token's {@code kid}. */
    KEY_NOT_FOUND(401, "key-not-found", "Token signing key not found"),
    /** The issuer's keys could not be fetched and none are cached. */
    KEYS_UNAVAILABLE(503, "keys-unavailable", "Token keys unavailable"),
    /** A custom claim check refused the token. */
    CLAIM_CHECK_FAILED(403, "claim-check-failed", "Token claims not accepted"),
    /**
     * {@link ApiGatewayJwtGuard}: the event carries no claims of an API Gateway JWT authorizer, or
     * they are not the presented token's.
     */
    NOT_GATEWAY_VERIFIED(401, "not-gateway-verified", "Token not verified by API Gateway");

    private final int status;
    private final String code;
    private final String title;

    Reason(int status, String code, String title) {
      this.status = status;
      this.code = code;
      this.title = title;
    }

    /** The HTTP status this reason is answered with. */
    public int httpStatus() {
      return status;
    }
  }

  private final Reason reason;

  /**
   * @param reason why
   * @param detail more detail for logs; must not contain the token or any secret
   */
  public TokenRejectedException(Reason reason, String detail) {
    super("token rejected (" + reason + "): " + detail);
    this.reason = reason;
  }

  /** Why the token was refused. */
  public Reason reason() {
    return reason;
  }

  @Override
  public int httpStatus() {
    return reason.status;
  }

  @Override
  public String problemCode() {
    return reason.code;
  }

  @Override
  public String problemTitle() {
    return reason.title;
  }

  @Override
  public Map<String, String> problemHeaders() {
    if (reason == Reason.MISSING_GROUP || reason == Reason.MISSING_SCOPE) {
      return Map.of("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
    }
    if (reason == Reason.MISSING_TOKEN) {
      return Map.of("WWW-Authenticate", "Bearer");
    }
    if (reason.status == 401) {
      return Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    return Map.of();
  }
}
