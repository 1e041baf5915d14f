package dev.tenantkit.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.testkit.AwsWireProtocol;
import dev.tenantkit.testkit.LoopbackAwsEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * No Cognito server runs locally, so this loopback endpoint answers the Cognito Identity
 * Provider API in its wire format (AWS JSON 1.1, {@code X-Amz-Target:
 * AWSCognitoIdentityProviderService.<Operation>}). The real AWS SDK client talks to it, so the
 * SDK's own marshalling and error mapping run. It keeps a small in-memory model of pools, groups,
 * providers, clients, domains and users; recording and the failure switch come from
 * {@link LoopbackAwsEndpoint}.
 */
final class LoopbackCognito extends LoopbackAwsEndpoint {
  static final ObjectMapper JSON = new ObjectMapper();

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

  final Map<String, Pool> pools = new LinkedHashMap<>();

  LoopbackCognito() {
    super(AwsWireProtocol.awsJson11());
  }

  /** The JSON body of a call. */
  static JsonNode body(Call call) {
    try {
      return JSON.readTree(call.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected synchronized Reply answer(Call call) {
    String op = call.operation();
    JsonNode body = body(call);
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
          return error(400, "ResourceNotFoundException", "no such pool");
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
          return error(400, "ResourceNotFoundException", "no such group");
        }
        if (op.equals("CreateGroup")) {
          pool.groups.put(name, body);
        }
        out.putObject("Group").put("GroupName", name).put("UserPoolId", pool.id);
        break;
      }
      case "DescribeIdentityProvider":
        return found(call, "IdentityProvider", pool.providers.get(body.get("ProviderName").asText()), "provider");
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
      case "DescribeUserPoolClient":
        return found(call, "UserPoolClient", pool.clients.get(body.get("ClientId").asText()), "client");
      case "UpdateUserPoolClient": {
        // Cognito's semantics: the request replaces the client's configuration, and every field
        // the request leaves out goes back to its default (the API reference warns about it).
        ObjectNode existing = pool.clients.get(body.get("ClientId").asText());
        if (existing == null) {
          return error(400, "ResourceNotFoundException", "no such client");
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
          return error(400, "UsernameExistsException", "user exists");
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
        return error(400, "UnknownOperationException", op);
    }
    return ok(call, out.toString());
  }

  /** {@code {field: value}}, or ResourceNotFoundException when there is no such {@code what}. */
  private Reply found(Call call, String field, ObjectNode value, String what) {
    return value == null ? error(400, "ResourceNotFoundException", "no such " + what)
        : ok(call, JSON.createObjectNode().set(field, value).toString());
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
}
