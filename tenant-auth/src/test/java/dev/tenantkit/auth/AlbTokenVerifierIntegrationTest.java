package dev.tenantkit.auth;

import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.testkit.LocalAlbSigner;
import dev.tenantkit.testkit.LocalTokenIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ALB x-amzn-oidc-data verification against ALB-shaped keys served over real HTTP. */
class AlbTokenVerifierIntegrationTest {
  static final String ARN = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/acme/50dc6c495c0c9188";
  LocalTokenIssuer issuer;
  LocalAlbSigner alb;
  AlbTokenVerifier verifier;

  @BeforeEach
  void start() {
    issuer = LocalTokenIssuer.start();
    alb = issuer.albSigner("eu-west-1", ARN);
    verifier = AlbTokenVerifier.builder().region("eu-west-1").albArn(ARN)
        .keyEndpoint(URI.create(alb.keyEndpoint())).build();
  }

  @AfterEach
  void stop() {
    issuer.close();
  }

  @Test
  void verify_validHeader_returnsUserAndCachesKey() {
    String header = alb.sign("alice", Duration.ofMinutes(2), Map.of("email", "alice@acme.example"));
    assertThat(header).contains("=");
    AlbPrincipal p = verifier.verify(header);
    assertThat(p.subject()).isEqualTo("alice");
    assertThat(p.claims()).containsEntry("email", "alice@acme.example");
    verifier.verify(alb.sign("bob", Duration.ofMinutes(2), Map.of()));
    assertThat(alb.keyFetches(alb.signingKey().getKeyID())).isEqualTo(1);
  }

  @Test
  void verify_allZeroSignature_refused() {
    String header = alb.sign("alice", Duration.ofMinutes(2), Map.of());
    String zero = header.substring(0, header.lastIndexOf('.') + 1)
        + LocalTokenIssuer.base64Url(new byte[64]);
    assertRejected(() -> verifier.verify(zero), Reason.BAD_SIGNATURE);
  }

  @Test
  void verify_otherLoadBalancer_expired_wrongAlg_unknownKid_badKid() {
    String otherArn = ARN.replace("acme", "globex");
    assertRejected(() -> verifier.verify(alb.sign("a", Duration.ofMinutes(2), Map.of(), otherArn,
        alb.signingKey().getKeyID())), Reason.UNKNOWN_ISSUER);
    assertRejected(() -> verifier.verify(alb.sign("a", Duration.ofMinutes(-5), Map.of())), Reason.EXPIRED);
    String unknownKid = alb.sign("a", Duration.ofMinutes(2), Map.of(), ARN, "0b7e2d4c-0000-4000-8000-000000000000");
    assertRejected(() -> verifier.verify(unknownKid), Reason.KEY_NOT_FOUND);
    assertRejected(() -> verifier.verify(unknownKid), Reason.KEY_NOT_FOUND);
    assertThat(issuer.requestCount("/alb-keys/eu-west-1/0b7e2d4c-0000-4000-8000-000000000000"))
        .as("an unknown kid is looked up once per interval").isEqualTo(1);
    assertRejected(() -> verifier.verify(alb.sign("a", Duration.ofMinutes(2), Map.of(), ARN, "../../etc/passwd")),
        Reason.MALFORMED);
    String rs = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsiLCJzaWduZXIiOiIifQ.e30.c2ln";
    assertRejected(() -> verifier.verify(rs), Reason.UNSUPPORTED_ALGORITHM);
    assertRejected(() -> verifier.verify("a.b"), Reason.MALFORMED);
    assertRejected(() -> verifier.verify(""), Reason.MISSING_TOKEN);
  }

  @Test
  void verify_floodOfUnknownKids_keyFetchesBoundedAcrossAllKids() {
    AuthFixtures.MutableClock clock = new AuthFixtures.MutableClock();
    AlbTokenVerifier v = AlbTokenVerifier.builder().region("eu-west-1").albArn(ARN)
        .keyEndpoint(URI.create(alb.keyEndpoint())).clock(clock).build(); // 10 fetches a minute by default
    for (int i = 0; i < 200; i++) {
      String forged = alb.sign("mallory", Duration.ofMinutes(5), Map.of(), ARN, java.util.UUID.randomUUID().toString());
      assertRejected(() -> v.verify(forged), Reason.KEY_NOT_FOUND);
    }
    assertThat(alb.allKeyFetches()).as("key fetches caused by 200 distinct unknown kids").isEqualTo(10);
    // While the budget is spent even a real new kid waits for the next window...
    String real = alb.sign("alice", Duration.ofMinutes(5), Map.of());
    assertRejected(() -> v.verify(real), Reason.KEY_NOT_FOUND);
    assertThat(alb.allKeyFetches()).isEqualTo(10);
    // ...and is fetched once the window has passed; a kid refused for the budget was not remembered as missing.
    clock.advance(Duration.ofMinutes(1));
    assertThat(v.verify(real).subject()).isEqualTo("alice");
    assertThat(alb.keyFetches(alb.signingKey().getKeyID())).isEqualTo(1);
  }

  @Test
  void verify_signatureFromAnotherKey_refused() {
    LocalAlbSigner other = issuer.albSigner("eu-west-1", ARN.replace("acme", "other"));
    String forged = other.sign("mallory", Duration.ofMinutes(2), Map.of(), ARN, alb.signingKey().getKeyID());
    assertRejected(() -> verifier.verify(forged), Reason.BAD_SIGNATURE);
  }
}
