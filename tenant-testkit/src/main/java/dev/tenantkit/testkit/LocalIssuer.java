package dev.tenantkit.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.tenantkit.core.IdentityConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * One token issuer served by a {@link LocalTokenIssuer}: its RSA keys (rotatable), its JWKS at
 * {@code {issuer}/.well-known/jwks.json} and OIDC discovery document at
 * {@code {issuer}/.well-known/openid-configuration}, and whether each answers. The two kinds are
 * {@link LocalUserPool} (Cognito-shaped) and {@link LocalOidcIssuer} (Okta-shaped); they differ
 * in the claims their tokens carry.
 */
public abstract sealed class LocalIssuer permits LocalUserPool, LocalOidcIssuer {
  final LocalTokenIssuer server;
  final String id;
  private final List<RSAKey> keys = new CopyOnWriteArrayList<>();
  private volatile RSAKey signing;
  private volatile boolean available = true;
  private volatile boolean discoveryAvailable = true;
  private volatile @Nullable String discoveryIssuer;

  LocalIssuer(LocalTokenIssuer server, String id) {
    this.server = server;
    this.id = id;
    this.signing = newKey();
    keys.add(signing);
  }

  private static RSAKey newKey() {
    try {
      return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).algorithm(JWSAlgorithm.RS256).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The issuer, exactly as tokens carry it in {@code iss}. */
  public String issuer() {
    return server.baseUrl() + "/" + id;
  }

  /** The user pool id or issuer name: the issuer's path on the server. */
  public String id() {
    return id;
  }

  /** The app client id tokens carry by default. */
  public String clientId() {
    return "client" + id.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
  }

  /** A tenant identity section for this issuer, as a catalog record would hold it. */
  public abstract IdentityConfig.Builder identity();

  /** An access token builder shaped like this issuer's, valid for an hour. */
  public abstract LocalTokenBuilder accessToken();

  /** An ID token builder shaped like this issuer's, valid for an hour. */
  public abstract LocalTokenBuilder idToken();

  /** Whether tokens carry Cognito's claims ({@code token_use}, {@code cognito:groups}). */
  abstract boolean cognitoShaped();

  /** Adds a new key and signs with it from now on; the old keys stay published. */
  public void rotateKey() {
    RSAKey next = newKey();
    keys.add(next);
    signing = next;
  }

  /** Stops publishing every key but the current signing key. */
  public void retireOldKeys() {
    keys.removeIf(k -> k != signing); // key rotation as a test drives it, not a cache's eviction
  }

  /** Makes the key and discovery endpoints answer 503 (false) or serve again (true). */
  public void setAvailable(boolean available) {
    this.available = available;
  }

  /** Makes only the discovery document answer 503 (false) or serve again (true); keys are unaffected. */
  public void setDiscoveryAvailable(boolean available) {
    this.discoveryAvailable = available;
  }

  /**
   * Makes the discovery document name {@code issuer} instead of this issuer (null: its own), as
   * a misconfigured or moved authorization server would.
   */
  public void setDiscoveryIssuer(@Nullable String issuer) {
    this.discoveryIssuer = issuer;
  }

  /** How many times the JWKS was requested. */
  public int jwksFetches() {
    return server.requestCount(jwksPath());
  }

  /** How many times the discovery document was requested. */
  public int discoveryFetches() {
    return server.requestCount(discoveryPath());
  }

  /** The JWKS path on the server, {@code /{id}/.well-known/jwks.json}. */
  public String jwksPath() {
    return "/" + id + "/.well-known/jwks.json";
  }

  /** The discovery path on the server, {@code /{id}/.well-known/openid-configuration}. */
  public String discoveryPath() {
    return "/" + id + "/.well-known/openid-configuration";
  }

  /** The published keys, public parts only. */
  public String jwksJson() {
    List<JWK> pub = new ArrayList<>();
    for (RSAKey k : keys) {
      pub.add(k.toPublicJWK());
    }
    return new JWKSet(pub).toString();
  }

  /** The current signing key, private part included: for tests that forge tokens. */
  public RSAKey signingKey() {
    return signing;
  }

  /** The answer for {@code path}, or null when the path is not this issuer's. */
  LocalTokenIssuer.@Nullable Response respond(String path) {
    if (path.equals(jwksPath())) {
      return available ? LocalTokenIssuer.Response.json(jwksJson()) : LocalTokenIssuer.Response.status(503);
    }
    if (path.equals(discoveryPath())) {
      if (!available || !discoveryAvailable) {
        return LocalTokenIssuer.Response.status(503);
      }
      String named = discoveryIssuer == null ? issuer() : discoveryIssuer;
      return LocalTokenIssuer.Response.json("{\"issuer\":\"" + named + "\",\"jwks_uri\":\"" + issuer()
          + "/.well-known/jwks.json\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
    }
    return null;
  }
}
