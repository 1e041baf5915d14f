package dev.tenantkit.auth;

import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.assertRejected;
import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.testkit.LocalIssuer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each attack must be refused with the right reason; none may make the verifier fetch anything. */
class TokenAttackIntegrationTest {
  AuthFixtures f;
  TenantTokenVerifier v;
  HttpServer attacker;
  final AtomicInteger attackerHits = new AtomicInteger();
  String attackerUrl;

  @BeforeEach
  void start() throws Exception {
    f = new AuthFixtures();
    v = f.verifier().build();
    attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    attacker.createContext("/", ex -> {
      attackerHits.incrementAndGet();
      byte[] body = f.attackerPool.jwksJson().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    attacker.start();
    attackerUrl = "http://127.0.0.1:" + attacker.getAddress().getPort() + "/jwks.json";
  }

  @AfterEach
  void stop() {
    attacker.stop(0);
    f.close();
    assertThat(attackerHits.get()).as("requests that reached the attacker's server").isZero();
  }

  static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The claims of a valid acme access token, to put under forged headers and signatures. */
  JWTClaimsSet acmeClaims() {
    return f.acmePool.accessToken().claimsSet();
  }

  String signWith(RSAKey key, JWSHeader header, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  @Test
  void algNone_refused() {
    String token = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(acmeClaims().toString()) + ".";
    assertRejected(() -> v.verify(token, id("acme")), Reason.UNSUPPORTED_ALGORITHM);
  }

  @Test
  void rs256PublicKeyUsedAsHmacSecret_refused() throws Exception {
    byte[] secret = f.acmePool.signingKey().toRSAPublicKey().getEncoded();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .keyID(f.acmePool.signingKey().getKeyID()).build(), acmeClaims());
    jwt.sign(new MACSigner(secret));
    assertRejected(() -> v.verify(jwt.serialize(), id("acme")), Reason.UNSUPPORTED_ALGORITHM);
  }

  @Test
  void kidPathTraversalAndSqlText_keyNotFound_kidOf10KB_malformed() {
    assertRejected(() -> v.verify(f.acmePool.accessToken().kid("../../../../etc/passwd").sign(), id("acme")),
        Reason.KEY_NOT_FOUND);
    assertRejected(() -> v.verify(f.acmePool.accessToken().kid("' OR '1'='1'; DROP TABLE keys; --").sign(),
        id("acme")), Reason.KEY_NOT_FOUND);
    assertRejected(() -> v.verify(f.acmePool.accessToken().kid("k".repeat(10 * 1024)).sign(), id("acme")),
        Reason.MALFORMED);
  }

  @Test
  void jkuHeader_refusedWithoutFetching() throws Exception {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(f.attackerPool.signingKey().getKeyID()).jwkURL(URI.create(attackerUrl)).build();
    String token = signWith(f.attackerPool.signingKey(), header, acmeClaims());
    assertRejected(() -> v.verify(token, id("acme")), Reason.MALFORMED);
  }

  @Test
  void x5uHeader_refusedWithoutFetching() throws Exception {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(f.attackerPool.signingKey().getKeyID()).x509CertURL(URI.create(attackerUrl)).build();
    String token = signWith(f.attackerPool.signingKey(), header, acmeClaims());
    assertRejected(() -> v.verify(token, id("acme")), Reason.MALFORMED);
  }

  @Test
  void embeddedJwkHeader_refused() throws Exception {
    RSAKey attackerKey = new RSAKeyGenerator(2048).keyID(f.acmePool.signingKey().getKeyID()).generate();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(attackerKey.getKeyID()).jwk(attackerKey.toPublicJWK()).build();
    assertRejected(() -> v.verify(signWith(attackerKey, header, acmeClaims()), id("acme")), Reason.MALFORMED);
  }

  @Test
  void forgedSignatureWithTheRightKid_badSignature() throws Exception {
    RSAKey attackerKey = new RSAKeyGenerator(2048).keyID(f.acmePool.signingKey().getKeyID()).generate();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(attackerKey.getKeyID()).build();
    assertRejected(() -> v.verify(signWith(attackerKey, header, acmeClaims()), id("acme")), Reason.BAD_SIGNATURE);
  }

  @Test
  void expired_futureNbf_futureIat_missingExp() {
    assertRejected(() -> v.verify(f.acmePool.accessToken().expiresIn(Duration.ofMinutes(-5)).sign(), id("acme")),
        Reason.EXPIRED);
    assertRejected(() -> v.verify(f.acmePool.accessToken().notBefore(Duration.ofMinutes(5)).sign(), id("acme")),
        Reason.NOT_YET_VALID);
    assertRejected(() -> v.verify(f.acmePool.accessToken()
        .claim("iat", java.time.Instant.now().plusSeconds(600).getEpochSecond()).sign(), id("acme")),
        Reason.NOT_YET_VALID);
    assertRejected(() -> v.verify(f.acmePool.accessToken().claim("exp", null).sign(), id("acme")),
        Reason.MALFORMED);
    // Within the default 30 s skew: accepted.
    assertThat(v.verify(f.acmePool.accessToken().expiresIn(Duration.ofSeconds(-10)).sign(), id("acme"))).isNotNull();
  }

  @Test
  void unknownIssuer_refusedBeforeAnyNetworkCall() {
    assertRejected(() -> v.verify(f.attackerPool.accessToken().sign(), id("acme")), Reason.UNKNOWN_ISSUER);
    assertRejected(() -> v.verify(f.acmePool.accessToken().claim("iss", "https://evil.example/pool").sign(),
        id("acme")), Reason.UNKNOWN_ISSUER);
    assertThat(f.attackerPool.jwksFetches()).isZero();
    assertThat(f.issuer.requestCounts()).isEmpty();
  }

  @Test
  void wrongClient_wrongAudience_wrongTokenUse() {
    assertRejected(() -> v.verify(f.acmePool.accessToken().clientId("someotherclient").sign(), id("acme")),
        Reason.WRONG_AUDIENCE);
    assertRejected(() -> v.verify(f.acmePool.idToken().sign(), id("acme")), Reason.WRONG_TOKEN_USE);
    TenantTokenVerifier idVerifier = f.verifier().tokenUse(TokenUse.ID).build();
    assertRejected(() -> idVerifier.verify(f.acmePool.idToken().clientId("someotherclient").sign(), id("acme")),
        Reason.WRONG_AUDIENCE);
    assertRejected(() -> idVerifier.verify(f.acmePool.accessToken().sign(), id("acme")), Reason.WRONG_TOKEN_USE);
  }

  @Test
  void tokenOfTenantAPresentedForTenantB_siloAndSharedPool() {
    assertRejected(() -> v.verify(f.acmePool.accessToken().sign(), id("globex")), Reason.TENANT_MISMATCH);
    assertRejected(() -> v.verify(f.sharedPool.accessToken().tenant("initech").sign(), id("umbrella")),
        Reason.TENANT_MISMATCH);
    // A shared-pool token claiming a silo tenant:
    assertRejected(() -> v.verify(f.sharedPool.accessToken().tenant("acme").sign(), id("acme")),
        Reason.TENANT_MISMATCH);
    // A shared-pool token with no tenant claim:
    assertRejected(() -> v.verify(f.sharedPool.accessToken().sign(), null), Reason.TENANT_MISMATCH);
  }

  @Test
  void tenantClaimDisagreeingWithIssuer_refused() {
    assertRejected(() -> v.verify(f.acmePool.accessToken().tenant("globex").sign(), id("acme")),
        Reason.TENANT_MISMATCH);
    assertRejected(() -> v.verify(f.acmePool.accessToken().tenant("globex").sign(), null),
        Reason.TENANT_MISMATCH);
    assertRejected(() -> v.verify(f.sharedPool.accessToken().tenant("../initech").sign(), null),
        Reason.TENANT_MISMATCH);
    assertRejected(() -> v.verify(f.sharedPool.accessToken().claim("custom:tenant_id", java.util.List.of("initech"))
        .sign(), null), Reason.TENANT_MISMATCH);
  }

  @Test
  void unknownCritHeader_refused() throws Exception {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(f.acmePool.signingKey().getKeyID())
        .criticalParams(Set.of("x-tenantkit-unknown")).customParam("x-tenantkit-unknown", "1").build();
    assertRejected(() -> v.verify(signWith(f.acmePool.signingKey(), header, acmeClaims()), id("acme")),
        Reason.MALFORMED);
  }

  @Test
  void signatureStripped_twoPartToken_junk() {
    String token = f.acmePool.accessToken().sign();
    String stripped = token.substring(0, token.lastIndexOf('.') + 1);
    assertRejected(() -> v.verify(stripped, id("acme")), Reason.MALFORMED); // no signature at all
    String junkSignature = token.substring(0, token.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
    assertRejected(() -> v.verify(junkSignature, id("acme")), Reason.BAD_SIGNATURE);
    assertRejected(() -> v.verify(token.substring(0, token.lastIndexOf('.')), id("acme")), Reason.MALFORMED);
    assertRejected(() -> v.verify("not a token", id("acme")), Reason.MALFORMED);
    assertRejected(() -> v.verify(token + "\n", id("acme")), Reason.MALFORMED);
    assertRejected(() -> v.verify("", id("acme")), Reason.MISSING_TOKEN);
    assertRejected(() -> v.verify("a.b.c.d.e", id("acme")), Reason.MALFORMED);
  }

  @Test
  void oneMegabyteToken_andDeeplyNestedJson_refusedWithoutStackOverflow() {
    String huge = "eyJ" + "A".repeat(1024 * 1024) + ".e30.sig";
    assertRejected(() -> v.verify(huge, id("acme")), Reason.MALFORMED);
    String nested = "{\"iss\":\"" + f.acmePool.issuer() + "\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    String token = b64("{\"alg\":\"RS256\",\"kid\":\"k\"}") + "." + b64(nested) + ".c2ln";
    assertRejected(() -> v.verify(token, id("acme")), Reason.MALFORMED);
    TenantTokenVerifier large = f.verifier().maxTokenBytes(1024 * 1024).build();
    String deeper = "{\"x\":" + "[".repeat(300_000) + "]".repeat(300_000) + "}";
    String bigNested = b64("{\"alg\":\"RS256\",\"kid\":\"k\"}") + "." + b64(deeper).substring(0, 700_000) + ".c2ln";
    assertThatThrownBy(() -> large.verify(bigNested, id("acme"))).isInstanceOf(TokenRejectedException.class);
    assertThat(f.acmePool.jwksFetches()).isZero();
  }

  @Test
  void duplicateTenantClaim_refused() throws Exception {
    JWTClaimsSet claims = f.sharedPool.accessToken().tenant("initech").claimsSet();
    String json = claims.toString();
    String duplicated = json.substring(0, json.length() - 1) + ",\"custom:tenant_id\":\"umbrella\"}";
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(f.sharedPool.signingKey().getKeyID())
        .type(JOSEObjectType.JWT).build();
    String signingInput = header.toBase64URL() + "." + b64(duplicated);
    com.nimbusds.jose.util.Base64URL sig = new RSASSASigner(f.sharedPool.signingKey())
        .sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));
    String token = signingInput + "." + sig;
    assertRejected(() -> v.verify(token, id("umbrella")), Reason.MALFORMED);
    assertRejected(() -> v.verify(token, id("initech")), Reason.MALFORMED);
  }

  @Test
  void suspendedTenant_refused() {
    assertRejected(() -> v.verify(f.hooliPool.accessToken().sign(), id("hooli")), Reason.TENANT_NOT_ACTIVE);
  }

  @ParameterizedTest
  @EnumSource(TenantStatus.class)
  void tokenOfATenantInEachStatus_acceptedOnlyWhileTheTenantIsServed(TenantStatus status) {
    // UPDATING (onboarding re-run for a working tenant) is served like ACTIVE; every other state
    // refuses, also for a token the verifier accepted (and cached) a moment earlier.
    String token = f.acmePool.accessToken().sign();
    assertThat(v.verify(token, id("acme")).tenant().id()).isEqualTo(id("acme"));
    Tenant acme = f.catalog.find(id("acme")).orElseThrow();
    f.catalog.put(acme.toBuilder().status(status).build());
    if (status == TenantStatus.ACTIVE || status == TenantStatus.UPDATING) {
      assertThat(status.isServing()).isTrue();
      assertThat(v.verify(token, id("acme")).tenant().id()).isEqualTo(id("acme"));
    } else {
      assertRejected(() -> v.verify(token, id("acme")), Reason.TENANT_NOT_ACTIVE);
    }
  }

  @Test
  void messages_neverContainTheTokenOrSignature() {
    String token = f.acmePool.accessToken().sign();
    String signature = token.substring(token.lastIndexOf('.') + 1);
    for (String t : new String[] {token, token.substring(0, token.length() - 4) + "AAAA"}) {
      try {
        v.verify(t, id("globex"));
      } catch (TokenRejectedException e) {
        assertThat(e.getMessage()).doesNotContain(token).doesNotContain(signature)
            .doesNotContain(token.substring(0, token.indexOf('.')));
      }
    }
  }

  static String randomKidToken(LocalIssuer pool) {
    return pool.accessToken().kid(UUID.randomUUID().toString()).sign();
  }
}
