package dev.tenantkit.core;

import java.util.Map;

/**
 * A refusal that knows how it is answered over HTTP. TenantKit's adapters (servlet filter, Lambda
 * helper) answer any {@link TenantKitException} implementing it as an RFC 9457 problem with this
 * status, code and headers, so modules beyond core (tenant-auth's token rejections, say) plug in
 * without core knowing their types.
 *
 * <p>Everything returned here is sent to the client: fixed texts only, never request input,
 * tokens or internal detail.
 */
public interface HttpProblem {
  /** The HTTP status, such as 401. */
  int httpStatus();

  /** A short stable code, the last part of the problem type URI, such as {@code invalid-token}. */
  String problemCode();

  /** A short human title. */
  String problemTitle();

  /** Extra response headers, such as {@code WWW-Authenticate}. */
  default Map<String, String> problemHeaders() {
    return Map.of();
  }
}
