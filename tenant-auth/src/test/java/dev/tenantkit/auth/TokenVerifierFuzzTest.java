package dev.tenantkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.testkit.LocalIssuer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tenantkit.testkit.LocalTokenBuilder;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Properties of token verification against real issuers over HTTP (the local issuer), for any
 * input:
 * <ul>
 *   <li>an arbitrary string is refused with a {@link TokenRejectedException} (no other exception,
 *       and never accepted: it is not signed by an issuer's key);</li>
 *   <li>a token signed by a catalog issuer's key, with fuzzed claims, header type and key id, is
 *       refused with a {@link TokenRejectedException} or accepted only for a tenant of that issuer
 *       (and the one the request resolved, when it resolved one); a token signed by an issuer no
 *       record names is never accepted;</li>
 *   <li>no input makes the verifier fetch a URL that is not a catalog issuer's (every outbound
 *       connection is seen by a recording {@link ProxySelector}).</li>
 * </ul>
 * Regression mode runs the committed corpus in every build; fuzz with
 * {@code JAZZER_FUZZ=1 mvn -B -pl tenant-auth -am test -Dtest=TokenVerifierFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TokenVerifierFuzzTest {
  private static final List<String> CLAIMS = List.of("iss", "sub", "aud", "exp", "nbf", "iat", "token_use",
      "client_id", "cid", "scp", "scope", "custom:tenant_id", "cognito:groups", "groups", "username");

  private static AuthFixtures world;
  private static TenantTokenVerifier verifier;
  private static ProxySelector original;
  private static final List<URI> fetched = new CopyOnWriteArrayList<>();
  private static List<LocalIssuer> issuers;

  @BeforeAll
  static void start() {
    world = new AuthFixtures();
    verifier = world.verifier().unknownKeyRefreshInterval(Duration.ofMinutes(5)).build();
    issuers = List.of(world.acmePool, world.globexPool, world.sharedPool, world.okta, world.attackerPool);
    original = ProxySelector.getDefault();
    ProxySelector.setDefault(new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        fetched.add(uri);
        return List.of(Proxy.NO_PROXY);
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
    });
    // The recorder sees the verifier's fetches: a good token makes it fetch acme's keys.
    verifier.verify(world.acmePool.accessToken().sign(), TenantId.of("acme"));
    assertThat(fetched).extracting(URI::toString).anyMatch(u -> u.startsWith(world.acmePool.issuer() + "/"));
  }

  @AfterAll
  static void stop() {
    ProxySelector.setDefault(original);
    world.close();
  }

  @FuzzTest(maxDuration = "5m")
  void fuzz_tokens(FuzzedDataProvider data) {
    TenantId resolved = data.consumeBoolean()
        ? TenantId.of(data.pickValue(new String[] {"acme", "globex", "initech", "umbrella", "oktaco", "hooli"}))
        : null;
    boolean raw = data.consumeBoolean();
    LocalIssuer signer = data.pickValue(issuers);
    String token;
    if (raw) {
      token = data.consumeRemainingAsString();
    } else {
      LocalTokenBuilder b = data.consumeBoolean() ? signer.accessToken() : signer.idToken();
      // The issuer's well-formed claims, then fuzzed ones of any name and JSON type on top.
      Map<String, Object> claims = new LinkedHashMap<>(b.claimsSet().toJSONObject());
      int extra = data.consumeInt(0, 6);
      for (int i = 0; i < extra; i++) {
        String name = data.consumeBoolean() ? data.pickValue(CLAIMS) : data.consumeString(20);
        Object value = switch (data.consumeInt(0, 5)) {
          case 0 -> null;
          case 1 -> data.consumeString(40);
          case 2 -> data.consumeLong();
          case 3 -> List.of(data.consumeString(20), data.consumeString(20));
          case 4 -> Map.of(data.consumeString(10), data.consumeString(10));
          default -> data.consumeBoolean();
        };
        claims.put(name, value);
      }
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("alg", "RS256");
      header.put("kid", data.consumeBoolean() ? data.consumeString(40) : signer.signingKey().getKeyID());
      if (data.consumeBoolean()) {
        header.put("typ", data.consumeString(12));
      }
      token = sign(signer, JSONObjectUtils.toJSONString(header), JSONObjectUtils.toJSONString(claims));
    }
    VerifiedPrincipal p;
    try {
      p = verifier.verify(token, resolved, TokenRequirements.none());
    } catch (TokenRejectedException refused) {
      assertOnlyCatalogIssuersFetched();
      return;
    }
    assertOnlyCatalogIssuersFetched();
    if (raw) {
      fail("accepted a token nobody signed: " + token.length() + " characters");
    }
    assertThat(signer).as("accepted a token signed by an issuer no record names").isNotSameAs(world.attackerPool);
    assertThat(p.tenant().identity().orElseThrow().issuer().toString()).isEqualTo(signer.issuer());
    if (resolved != null) {
      assertThat(p.tenant().id()).isEqualTo(resolved);
    }
    assertThat(p.tenant().status().isServing()).isTrue();
  }

  /** A compact JWS over exactly these header and claims bytes, RS256 with the issuer's key. */
  private static String sign(LocalIssuer signer, String header, String claims) {
    try {
      String input = b64(header) + "." + b64(claims);
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(signer.signingKey().toRSAPrivateKey());
      rsa.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    } catch (GeneralSecurityException | JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertOnlyCatalogIssuersFetched() {
    Set<String> allowed = Set.of(world.acmePool.issuer(), world.globexPool.issuer(), world.sharedPool.issuer(),
        world.okta.issuer(), world.issuer.baseUrl() + "/eu-west-1_Hooli");
    for (URI uri : fetched) {
      String u = uri.toString();
      assertThat(allowed.stream().anyMatch(a -> u.startsWith(a + "/"))).as("fetched %s", u).isTrue();
    }
  }
}
