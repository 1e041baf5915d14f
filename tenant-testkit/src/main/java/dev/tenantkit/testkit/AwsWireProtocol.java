package dev.tenantkit.testkit;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tenantkit.testkit.LoopbackAwsEndpoint.Reply;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an AWS API travels over HTTP, as far as a {@link LoopbackAwsEndpoint} needs to know: where a
 * request names its operation and parameters, and what a success and an error look like, so the
 * real SDK client's unmarshalling and error mapping run against the loopback endpoint.
 *
 * <ul>
 *   <li>{@link #awsJson11()}: AWS JSON 1.1 (Cognito user pools, Secrets Manager, DynamoDB, KMS):
 *       a POST whose {@code X-Amz-Target} header is {@code Service.Operation}, a JSON body both
 *       ways, errors as {@code {"__type": code, "message": ...}} with the code also in
 *       {@code x-amzn-ErrorType};</li>
 *   <li>{@link #query(String)}: the query protocol (STS, CloudFormation, IAM, SNS): a
 *       form-encoded POST with {@code Action=Operation}, an XML answer in
 *       {@code <OperationResponse><OperationResult>}, errors in {@code <ErrorResponse>};</li>
 *   <li>{@link #ec2Query()}: EC2's dialect of the query protocol: the same requests, answers
 *       without the {@code Result} element, errors in {@code <Response><Errors>}.</li>
 * </ul>
 *
 * <p>For a REST service (S3, Lambda) the operation is the request's method and path, such as
 * {@code GET /}, and the answer is built with {@link Reply#of}.
 */
public final class AwsWireProtocol {
  private static final String REQUEST_ID = "req-1";

  private enum Kind {
    JSON_1_1, QUERY, EC2
  }

  private final Kind kind;
  private final String xmlNamespace;

  private AwsWireProtocol(Kind kind, String xmlNamespace) {
    this.kind = kind;
    this.xmlNamespace = xmlNamespace;
  }

  /** AWS JSON 1.1. */
  public static AwsWireProtocol awsJson11() {
    return new AwsWireProtocol(Kind.JSON_1_1, "");
  }

  /**
   * The query protocol.
   *
   * @param xmlNamespace the service's XML namespace, such as
   *     {@code https://sts.amazonaws.com/doc/2011-06-15/}
   */
  public static AwsWireProtocol query(String xmlNamespace) {
    return new AwsWireProtocol(Kind.QUERY, Objects.requireNonNull(xmlNamespace, "xmlNamespace"));
  }

  /** EC2's query protocol. */
  public static AwsWireProtocol ec2Query() {
    return new AwsWireProtocol(Kind.EC2, "http://ec2.amazonaws.com/doc/2016-11-15/");
  }

  /** The request's parameters: the decoded form of a query-protocol body, else none. */
  Map<String, String> params(String body) {
    if (kind == Kind.JSON_1_1 || body.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The operation a request names; for a request that names none, its method and path. */
  String operation(@Nullable String target, Map<String, String> params, String method, String path) {
    String named = null;
    if (kind == Kind.JSON_1_1 && target != null) {
      named = target.substring(target.indexOf('.') + 1);
    } else if (kind != Kind.JSON_1_1) {
      named = params.get("Action");
    }
    return named == null || named.isEmpty() ? method + " " + path : named;
  }

  /** A successful answer to {@code operation} carrying {@code payload} (JSON, or XML inside the result). */
  Reply ok(String operation, String payload) {
    switch (kind) {
      case JSON_1_1:
        return Reply.of(200, "application/x-amz-json-1.1", payload);
      case QUERY:
        return Reply.of(200, "text/xml", "<" + operation + "Response xmlns=\"" + xmlNamespace + "\"><" + operation
            + "Result>" + payload + "</" + operation + "Result><ResponseMetadata><RequestId>" + REQUEST_ID
            + "</RequestId></ResponseMetadata></" + operation + "Response>");
      default:
        return Reply.of(200, "text/xml", "<" + operation + "Response xmlns=\"" + xmlNamespace + "\"><requestId>"
            + REQUEST_ID + "</requestId>" + payload + "</" + operation + "Response>");
    }
  }

  /** An error the SDK maps to its service exception with {@code code}. */
  Reply error(int status, String code, String message) {
    switch (kind) {
      case JSON_1_1:
        return new Reply(status, "application/x-amz-json-1.1",
            "{\"__type\":" + jsonString(code) + ",\"message\":" + jsonString(message) + "}",
            Map.of("x-amzn-ErrorType", code));
      case QUERY:
        return Reply.of(status, "text/xml", "<ErrorResponse xmlns=\"" + xmlNamespace + "\"><Error><Type>"
            + (status < 500 ? "Sender" : "Receiver") + "</Type><Code>" + xmlText(code) + "</Code><Message>"
            + xmlText(message) + "</Message></Error><RequestId>" + REQUEST_ID + "</RequestId></ErrorResponse>");
      default:
        return Reply.of(status, "text/xml", "<Response><Errors><Error><Code>" + xmlText(code) + "</Code><Message>"
            + xmlText(message) + "</Message></Error></Errors><RequestID>" + REQUEST_ID + "</RequestID></Response>");
    }
  }

  /** {@code text} escaped for XML content or an attribute value. */
  public static String xmlText(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** {@code text} as a JSON string literal, quotes included. */
  public static String jsonString(String text) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }
}
