package dev.tenantkit.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * No Secrets Manager server runs locally, so this loopback endpoint answers
 * {@code GetSecretValue} in the service's wire format (AWS JSON 1.1: POST, {@code X-Amz-Target:
 * secretsmanager.GetSecretValue}, errors as {@code __type}). The real SDK client talks to it, so
 * the SDK's own signing, marshalling and error mapping run. Every request is recorded.
 */
final class LoopbackSecretsManager implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Call(String target, String authorization, JsonNode body) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  /** SecretString per ARN; an ARN not here answers ResourceNotFoundException. */
  final Map<String, String> secrets = new ConcurrentHashMap<>();
  /** While true, every call is answered 500 InternalServiceError (an outage). */
  volatile boolean down;
  /** How long each answer is held back, to widen race windows in tests. */
  volatile long delayMillis;
  private final HttpServer server;

  LoopbackSecretsManager() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  static String rdsSecret(String user, String password, int port) {
    ObjectNode s = JSON.createObjectNode().put("username", user).put("password", password)
        .put("engine", "postgres").put("host", "localhost").put("port", port).put("dbname", "rotation");
    return s.toString();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  SecretsManagerClient client() {
    return SecretsManagerClient.builder().endpointOverride(endpoint()).region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local-secret")))
        .build();
  }

  /** A client that does not retry, so one factory fetch is one recorded call. */
  SecretsManagerClient clientWithoutRetries() {
    return SecretsManagerClient.builder().endpointOverride(endpoint()).region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local-secret")))
        .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
        .build();
  }

  long fetchesOf(String arn) {
    return calls.stream().filter(c -> arn.equals(c.body().path("SecretId").asText())).count();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
      calls.add(new Call(target, auth == null ? "" : auth, body));
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (down) {
        send(ex, 500, JSON.createObjectNode().put("__type", "InternalServiceError")
            .put("message", "service unavailable").toString());
        return;
      }
      if (!"secretsmanager.GetSecretValue".equals(target)) {
        error(ex, "InvalidRequestException", "unsupported operation " + target);
        return;
      }
      String arn = body.path("SecretId").asText();
      String secret = secrets.get(arn);
      if (secret == null) {
        error(ex, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        return;
      }
      ObjectNode out = JSON.createObjectNode().put("ARN", arn).put("Name", arn.substring(arn.lastIndexOf(':') + 1))
          .put("SecretString", secret).put("VersionId", "v-" + secret.hashCode()).put("CreatedDate", 1.7e9);
      out.putArray("VersionStages").add("AWSCURRENT");
      send(ex, 200, out.toString());
    }
  }

  private static void error(HttpExchange ex, String type, String message) throws IOException {
    send(ex, 400, JSON.createObjectNode().put("__type", type).put("message", message).toString());
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
