package dev.tenantkit.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.testkit.AwsWireProtocol;
import dev.tenantkit.testkit.LoopbackAwsEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * No Secrets Manager server runs locally, so this loopback endpoint answers
 * {@code GetSecretValue} in the service's wire format (AWS JSON 1.1, {@code X-Amz-Target:
 * secretsmanager.GetSecretValue}); the real SDK client talks to it, so the SDK's own signing,
 * marshalling and error mapping run. Recording, the outage and delay switches and the client
 * come from {@link LoopbackAwsEndpoint}.
 */
final class LoopbackSecretsManager extends LoopbackAwsEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** SecretString per ARN; an ARN not here answers ResourceNotFoundException. */
  final Map<String, String> secrets = new ConcurrentHashMap<>();

  LoopbackSecretsManager() {
    super(AwsWireProtocol.awsJson11());
  }

  static String rdsSecret(String user, String password, int port) {
    ObjectNode s = JSON.createObjectNode().put("username", user).put("password", password)
        .put("engine", "postgres").put("host", "localhost").put("port", port).put("dbname", "rotation");
    return s.toString();
  }

  SecretsManagerClient client() {
    return client(SecretsManagerClient.builder());
  }

  /** A client that does not retry, so one factory fetch is one recorded call. */
  SecretsManagerClient clientWithoutRetries() {
    return client(SecretsManagerClient.builder().overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())));
  }

  /** The {@code SecretId} a call asked for. */
  static String secretId(Call call) {
    try {
      return JSON.readTree(call.body()).path("SecretId").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long fetchesOf(String arn) {
    return calls().stream().filter(c -> arn.equals(secretId(c))).count();
  }

  @Override
  protected String outageCode() {
    return "InternalServiceError";
  }

  @Override
  protected Reply answer(Call call) {
    if (!call.operation().equals("GetSecretValue")) {
      return error(400, "InvalidRequestException", "unsupported operation " + call.operation());
    }
    String arn = secretId(call);
    String secret = secrets.get(arn);
    if (secret == null) {
      return error(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }
    ObjectNode out = JSON.createObjectNode().put("ARN", arn).put("Name", arn.substring(arn.lastIndexOf(':') + 1))
        .put("SecretString", secret).put("VersionId", "v-" + secret.hashCode()).put("CreatedDate", 1.7e9);
    out.putArray("VersionStages").add("AWSCURRENT");
    return ok(call, out.toString());
  }
}
