package dev.tenantkit.spring.security;

import dev.tenantkit.auth.TokenRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Spring Security's refusals as RFC 9457 problem+json, in the shape of the tenant filter's: 401
 * with {@code WWW-Authenticate: Bearer} (RFC 6750) when the request has no valid token, 403 when
 * the token lacks what the endpoint requires. The body names the reason, never the token, and
 * carries no stack trace.
 */
public final class ProblemJsonSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    String detail = "the request has no valid bearer token of this tenant's issuer";
    Throwable cause = e.getCause();
    if (cause instanceof TokenRejectedException rejected) {
      detail = "token refused: " + rejected.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
    // RFC 6750: an error code only when a token was sent and refused.
    response.setHeader("WWW-Authenticate", e instanceof org.springframework.security.oauth2.server.resource
        .InvalidBearerTokenException ? "Bearer error=\"invalid_token\"" : "Bearer");
    write(response, 401, "invalid-token", "Invalid bearer token", detail);
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    write(response, 403, "access-denied", "Access denied",
        "the token's scopes or groups do not allow this request");
  }

  private static void write(HttpServletResponse response, int status, String code, String title, String detail)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setHeader("Cache-Control", "no-store");
    byte[] body = ("{\"type\":\"urn:tenantkit:problem:" + code + "\",\"title\":\"" + title + "\",\"status\":" + status
        + ",\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
