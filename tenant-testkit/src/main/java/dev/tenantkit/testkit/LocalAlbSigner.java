package dev.tenantkit.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Signs {@code x-amzn-oidc-data} headers the way an Application Load Balancer does (ES256, the
 * header naming {@code signer} and {@code kid}, base64url with padding), and serves the public
 * keys as PEM at {@code {keyEndpoint}/{kid}}.
 */
public final class LocalAlbSigner {
  private final LocalTokenIssuer server;
  private final String region;
  private final String albArn;
  private final Map<String, ECKey> keys = new ConcurrentHashMap<>();
  private volatile ECKey signing;

  LocalAlbSigner(LocalTokenIssuer server, String region, String albArn) {
    this.server = server;
    this.region = region;
    this.albArn = albArn;
    this.signing = newKey();
  }

  private ECKey newKey() {
    try {
      ECKey k = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
      keys.put(k.getKeyID(), k);
      return k;
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The base URL to configure as the ALB key endpoint; keys are at {@code {it}/{kid}}. */
  public String keyEndpoint() {
    return server.baseUrl() + keyPathPrefix();
  }

  private String keyPathPrefix() {
    return "/alb-keys/" + region;
  }

  /** The load balancer ARN put in {@code signer}. */
  public String albArn() {
    return albArn;
  }

  /** The current signing key, private part included. */
  public ECKey signingKey() {
    return signing;
  }

  /** The PEM for {@code path} when it names one of this signer's keys; null otherwise. */
  LocalTokenIssuer.@Nullable Response respond(String path) {
    String prefix = keyPathPrefix() + "/";
    if (!path.startsWith(prefix)) {
      return null;
    }
    ECKey k = keys.get(path.substring(prefix.length()));
    if (k == null) {
      return null;
    }
    try {
      byte[] der = k.toECPublicKey().getEncoded();
      return LocalTokenIssuer.Response.text("-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
          + "\n-----END PUBLIC KEY-----\n");
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many times key {@code kid} was fetched. */
  public int keyFetches(String kid) {
    return server.requestCount(keyPathPrefix() + "/" + kid);
  }

  /** How many key fetches reached this signer's Region endpoint, for any kid (known or not). */
  public int allKeyFetches() {
    int n = 0;
    for (Map.Entry<String, Integer> e : server.requestCounts().entrySet()) {
      if (e.getKey().startsWith(keyPathPrefix() + "/")) {
        n += e.getValue();
      }
    }
    return n;
  }

  /** An ALB-shaped token for {@code subject}, expiring {@code expiresIn} from now. */
  public String sign(String subject, Duration expiresIn, Map<String, Object> extraClaims) {
    return sign(subject, expiresIn, extraClaims, albArn, signing.getKeyID());
  }

  /** As {@link #sign(String, Duration, Map)}, with a chosen signer ARN and kid (for attack tests). */
  public String sign(String subject, Duration expiresIn, Map<String, Object> extraClaims, String signer, String kid) {
    long exp = Instant.now().plus(expiresIn).getEpochSecond();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "ES256");
    header.put("kid", kid);
    header.put("signer", signer);
    header.put("iss", server.baseUrl() + "/idp");
    header.put("client", "alb-client");
    header.put("exp", exp);
    Map<String, Object> claims = new LinkedHashMap<>(extraClaims);
    claims.put("sub", subject);
    claims.put("exp", exp);
    claims.put("iss", server.baseUrl() + "/idp");
    try {
      JWSHeader h = JWSHeader.parse(header);
      SignedJWT jwt = new SignedJWT(h, JWTClaimsSet.parse(claims));
      jwt.sign(new ECDSASigner(signing));
      // ALB encodes with padding; mimic it so verifiers are tested against the real shape.
      String[] parts = jwt.serialize().split("\\.");
      return pad(parts[0]) + "." + pad(parts[1]) + "." + pad(parts[2]);
    } catch (JOSEException | java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pad(String b64) {
    return b64 + "=".repeat((4 - b64.length() % 4) % 4);
  }
}
