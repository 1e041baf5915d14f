package dev.tenantkit.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Builds and signs one token of a {@link LocalIssuer}, with that issuer's claim shapes. */
public final class LocalTokenBuilder {
  private final LocalIssuer issuer;
  final Map<String, Object> claims = new LinkedHashMap<>();
  private @Nullable String kid;
  private @Nullable String type;

  LocalTokenBuilder(LocalIssuer issuer) {
    this.issuer = issuer;
    Instant now = Instant.now();
    claims.put("sub", UUID.randomUUID().toString());
    claims.put("iss", issuer.issuer());
    claims.put("iat", now.getEpochSecond());
    claims.put("auth_time", now.getEpochSecond());
    claims.put("exp", now.plus(Duration.ofHours(1)).getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
  }

  /** Sets {@code custom:tenant_id}. */
  public LocalTokenBuilder tenant(String tenantId) {
    return claim("custom:tenant_id", tenantId);
  }

  /** Sets the subject (and the username claims that mirror it). */
  public LocalTokenBuilder subject(String subject) {
    claims.put("sub", subject);
    claims.computeIfPresent("username", (k, v) -> subject);
    claims.computeIfPresent("cognito:username", (k, v) -> subject);
    return this;
  }

  /** Sets the groups: {@code cognito:groups} for a user pool, {@code groups} for an OIDC issuer. */
  public LocalTokenBuilder groups(String... groups) {
    return claim(issuer.cognitoShaped() ? "cognito:groups" : "groups", List.of(groups));
  }

  /** Sets the scopes ({@code scope} for a user pool, {@code scp} for an OIDC issuer). */
  public LocalTokenBuilder scopes(String... scopes) {
    if (issuer.cognitoShaped()) {
      return claim("scope", String.join(" ", scopes));
    }
    return claim("scp", List.of(scopes));
  }

  /** Sets the app client ({@code client_id}/{@code cid} of access tokens, {@code aud} of ID tokens). */
  public LocalTokenBuilder clientId(String clientId) {
    if (claims.containsKey("client_id")) {
      claims.put("client_id", clientId);
    } else if (claims.containsKey("cid")) {
      claims.put("cid", clientId);
    } else {
      claims.put("aud", clientId);
    }
    return this;
  }

  /** Sets {@code aud} (a string, or a list for several audiences). */
  public LocalTokenBuilder audience(String... audiences) {
    return claim("aud", audiences.length == 1 ? audiences[0] : List.of(audiences));
  }

  /** Expires {@code d} from now (negative for an expired token). */
  public LocalTokenBuilder expiresIn(Duration d) {
    return claim("exp", Instant.now().plus(d).getEpochSecond());
  }

  /** Not valid before now plus {@code d}. */
  public LocalTokenBuilder notBefore(Duration d) {
    return claim("nbf", Instant.now().plus(d).getEpochSecond());
  }

  /** Adds the {@code identities} claim of a user federated from the customer's IdP. */
  public LocalTokenBuilder federated(String providerName, String providerType, String userId) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("userId", userId);
    identity.put("providerName", providerName);
    identity.put("providerType", providerType);
    identity.put("issuer", null);
    identity.put("primary", "true");
    identity.put("dateCreated", String.valueOf(Instant.now().toEpochMilli()));
    return claim("identities", List.of(identity));
  }

  /** Sets (or with null, removes) any claim. */
  public LocalTokenBuilder claim(String name, @Nullable Object value) {
    if (value == null) {
      claims.remove(name);
    } else {
      claims.put(name, value);
    }
    return this;
  }

  /** Signs with this {@code kid} in the header instead of the key's. */
  public LocalTokenBuilder kid(String kid) {
    this.kid = kid;
    return this;
  }

  /** Puts {@code typ} in the header ({@code at+jwt} marks an RFC 9068 access token). */
  public LocalTokenBuilder type(String type) {
    this.type = type;
    return this;
  }

  /** The claims as they will be signed. */
  public JWTClaimsSet claimsSet() {
    try {
      return JWTClaimsSet.parse(new LinkedHashMap<>(claims));
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs with the issuer's current key (RS256). */
  public String sign() {
    RSAKey key = issuer.signingKey();
    JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid == null ? key.getKeyID() : kid);
    if (type != null) {
      header.type(new JOSEObjectType(type));
    }
    SignedJWT jwt = new SignedJWT(header.build(), claimsSet());
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
