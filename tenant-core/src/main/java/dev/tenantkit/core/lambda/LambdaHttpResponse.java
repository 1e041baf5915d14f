package dev.tenantkit.core.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import dev.tenantkit.core.internal.Problem;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A handler's HTTP answer, written once and converted to the response type of the event that
 * invoked it: API Gateway HTTP API ({@link #toHttpApi}), REST API ({@link #toRestApi}) or an
 * Application Load Balancer target ({@link #toAlb}).
 *
 * <pre>{@code
 * return LambdaHttpResponse.json(200, json.writeValueAsString(documents)).toHttpApi();
 * return LambdaHttpResponse.problem(404, "no such document", "no document with that id").toHttpApi();
 * }</pre>
 *
 * <p>Problems are RFC 9457 {@code application/problem+json} with type {@code about:blank}, like
 * TenantKit's own refusals, and {@code Cache-Control: no-store}. Titles and details are sent to the
 * client as given (escaped for JSON): fixed texts, never a token, a secret or a stack trace.
 *
 * @param statusCode 100 to 599
 * @param headers response headers (copied)
 * @param body the body, never null
 */
public record LambdaHttpResponse(int statusCode, Map<String, String> headers, String body) {

  /** Checks the status and copies the headers. */
  public LambdaHttpResponse {
    if (statusCode < 100 || statusCode > 599) {
      throw new IllegalArgumentException("statusCode must be 100 to 599, was " + statusCode);
    }
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  /** A JSON body the caller serialised ({@code Content-Type: application/json}). */
  public static LambdaHttpResponse json(int statusCode, String json) {
    return new LambdaHttpResponse(statusCode, Map.of("Content-Type", "application/json"), json);
  }

  /** An {@code application/problem+json} answer of type {@code about:blank}. */
  public static LambdaHttpResponse problem(int statusCode, String title, String detail) {
    return new LambdaHttpResponse(statusCode, Map.of("Content-Type", Problem.CONTENT_TYPE, "Cache-Control", "no-store"),
        Problem.json("about:blank", statusCode, Objects.requireNonNull(title, "title"),
            Objects.requireNonNull(detail, "detail")));
  }

  /** As an API Gateway HTTP API (payload 2.0) response. */
  public APIGatewayV2HTTPResponse toHttpApi() {
    return APIGatewayV2HTTPResponse.builder().withStatusCode(statusCode).withHeaders(new HashMap<>(headers))
        .withBody(body).withIsBase64Encoded(false).build();
  }

  /** As an API Gateway REST API (payload 1.0) response. */
  public APIGatewayProxyResponseEvent toRestApi() {
    return new APIGatewayProxyResponseEvent().withStatusCode(statusCode).withHeaders(new HashMap<>(headers))
        .withBody(body).withIsBase64Encoded(false);
  }

  /** As an Application Load Balancer target's response (its status description included). */
  public ApplicationLoadBalancerResponseEvent toAlb() {
    ApplicationLoadBalancerResponseEvent r = new ApplicationLoadBalancerResponseEvent();
    r.setStatusCode(statusCode);
    r.setStatusDescription(statusCode + " " + reason(statusCode));
    r.setHeaders(new HashMap<>(headers));
    r.setBody(body);
    r.setIsBase64Encoded(false);
    return r;
  }

  private static String reason(int status) {
    switch (status) {
      case 200: return "OK";
      case 201: return "Created";
      case 204: return "No Content";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 409: return "Conflict";
      case 413: return "Content Too Large";
      case 429: return "Too Many Requests";
      case 500: return "Internal Server Error";
      case 503: return "Service Unavailable";
      default: return status < 400 ? "OK" : status < 500 ? "Client Error" : "Server Error";
    }
  }
}
