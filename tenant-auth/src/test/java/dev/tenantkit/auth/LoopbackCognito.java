package dev.tenantkit.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * No Cognito server runs locally, so this loopback endpoint answers the Cognito Identity
 * Provider API in its wire format (AWS JSON 1.1: POST, {@code X-Amz-Target:
 * AWSCognitoIdentityProviderService.<Operation>}, errors as {@code __type}). The real AWS SDK
 * client talks to it, so the SDK's own marshalling and error mapping run. It keeps a small
 * in-memory model of pools, groups, providers, clients, domains and users, and records every call.
 */
final class LoopbackCognito implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  record Call(String operation, JsonNode body) {}

  static final class Pool {
    final String id;
    final ObjectNode request;
    final Map<String, JsonNode> groups = new LinkedHashMap<>();
    final Map<String, ObjectNode> providers = new LinkedHashMap<>();
    final Map<String, ObjectNode> clients = new LinkedHashMap<>();
    final Map<String, ObjectNode> users = new LinkedHashMap<>();
    String domain;

    Pool(String id, ObjectNode request) {
      this.id = id;
      this.request = request;
    }
  }

  final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  final Map<String, Pool> pools = new LinkedHashMap<>();
  volatile String failWith; // when set, every call fails with this error type
  private final HttpServer server;

  LoopbackCognito() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<String> operations() {
    synchronized (calls) {
      return calls.stream().map(Call::operation).toList();
    }
  }

  private synchronized void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
      JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
      calls.add(new Call(op, body));
      if (failWith != null) {
        error(ex, failWith, "injected failure");
        return;
      }
      ObjectNode out = JSON.createObjectNode();
      Pool pool = body.has("UserPoolId") ? pools.get(body.get("UserPoolId").asText()) : null;
      switch (op) {
        case "ListUserPools": {
          ArrayNode list = out.putArray("UserPools");
          pools.values().forEach(p -> list.addObject().put("Id", p.id).put("Name", p.request.get("PoolName").asText()));
          break;
        }
        case "CreateUserPool": {
          String id = "eu-west-1_" + UUID.randomUUID().toString().replace("-", "").substring(0, 9);
          pools.put(id, new Pool(id, (ObjectNode) body));
          out.putObject("UserPool").put("Id", id).put("Name", body.get("PoolName").asText());
          break;
        }
        case "DescribeUserPool": {
          if (pool == null) {
            error(ex, "ResourceNotFoundException", "no such pool");
            return;
          }
          ObjectNode p = out.putObject("UserPool").put("Id", pool.id).put("Name", pool.request.get("PoolName").asText());
          if (pool.domain != null) {
            p.put("Domain", pool.domain);
          }
          break;
        }
        case "GetGroup":
        case "CreateGroup": {
          String name = body.get("GroupName").asText();
          if (op.equals("GetGroup") && !pool.groups.containsKey(name)) {
            error(ex, "ResourceNotFoundException", "no such group");
            return;
          }
          if (op.equals("CreateGroup")) {
            pool.groups.put(name, body);
          }
          out.putObject("Group").put("GroupName", name).put("UserPoolId", pool.id);
          break;
        }
        case "DescribeIdentityProvider": {
          ObjectNode p = pool.providers.get(body.get("ProviderName").asText());
          if (p == null) {
            error(ex, "ResourceNotFoundException", "no such provider");
            return;
          }
          out.set("IdentityProvider", p);
          break;
        }
        case "CreateIdentityProvider":
        case "UpdateIdentityProvider": {
          ObjectNode p = ((ObjectNode) body).deepCopy();
          p.remove("UserPoolId");
          if (op.equals("UpdateIdentityProvider")) {
            p.put("ProviderType", pool.providers.get(body.get("ProviderName").asText()).get("ProviderType").asText());
          }
          pool.providers.put(body.get("ProviderName").asText(), p);
          out.set("IdentityProvider", p);
          break;
        }
        case "ListUserPoolClients": {
          ArrayNode list = out.putArray("UserPoolClients");
          pool.clients.values().forEach(c -> list.addObject().put("ClientId", c.get("ClientId").asText())
              .put("ClientName", c.get("ClientName").asText()).put("UserPoolId", pool.id));
          break;
        }
        case "CreateUserPoolClient": {
          ObjectNode c = withClientDefaults(((ObjectNode) body).deepCopy());
          c.put("ClientId", UUID.randomUUID().toString().replace("-", "").substring(0, 26));
          pool.clients.put(c.get("ClientId").asText(), c);
          out.set("UserPoolClient", c);
          break;
        }
        case "DescribeUserPoolClient": {
          ObjectNode c = pool.clients.get(body.get("ClientId").asText());
          if (c == null) {
            error(ex, "ResourceNotFoundException", "no such client");
            return;
          }
          out.set("UserPoolClient", c);
          break;
        }
        case "UpdateUserPoolClient": {
          // Cognito's semantics: the request replaces the client's configuration, and every field
          // the request leaves out goes back to its default (the API reference warns about it).
          ObjectNode existing = pool.clients.get(body.get("ClientId").asText());
          if (existing == null) {
            error(ex, "ResourceNotFoundException", "no such client");
            return;
          }
          ObjectNode c = withClientDefaults(((ObjectNode) body).deepCopy());
          if (!c.has("ClientName")) {
            c.put("ClientName", existing.get("ClientName").asText());
          }
          pool.clients.put(c.get("ClientId").asText(), c);
          out.set("UserPoolClient", c);
          break;
        }
        case "CreateUserPoolDomain":
          pool.domain = body.get("Domain").asText();
          break;
        case "DeleteUserPoolDomain":
          pool.domain = null;
          break;
        case "DeleteUserPool":
          pools.remove(pool.id);
          break;
        case "AdminCreateUser": {
          String username = body.get("Username").asText();
          if (pool.users.containsKey(username)) {
            error(ex, "UsernameExistsException", "user exists");
            return;
          }
          ObjectNode u = ((ObjectNode) body).deepCopy().put("Enabled", true);
          pool.users.put(username, u);
          out.putObject("User").put("Username", username).put("Enabled", true);
          break;
        }
        case "AdminAddUserToGroup":
          ((ObjectNode) pool.users.get(body.get("Username").asText())).withArray("Groups")
              .add(body.get("GroupName").asText());
          break;
        case "AdminDisableUser":
          pool.users.get(body.get("Username").asText()).put("Enabled", false);
          break;
        default:
          error(ex, "UnknownOperationException", op);
          return;
      }
      reply(ex, 200, out.toString());
    }
  }

  /** What Cognito fills in for a client when a create or update request leaves it out. */
  private static ObjectNode withClientDefaults(ObjectNode c) {
    if (!c.has("RefreshTokenValidity")) {
      c.put("RefreshTokenValidity", 30);
    }
    if (!c.has("AllowedOAuthFlowsUserPoolClient")) {
      c.put("AllowedOAuthFlowsUserPoolClient", false);
    }
    return c;
  }

  private static void error(HttpExchange ex, String type, String message) throws IOException {
    ex.getResponseHeaders().set("x-amzn-ErrorType", type);
    reply(ex, 400, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
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
