package dev.tenantkit.auth;

import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.assertRejected;
import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.testkit.LocalOidcIssuer;
import dev.tenantkit.testkit.LocalUserPool;
import dev.tenantkit.testkit.TestTenants;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a record leaves out never widens access: app clients, the kind of token for every issuer
 * kind, the issuer's own group claim, and Cognito emulators keeping the Cognito checks. Against
 * the real local issuer over HTTP.
 */
class SecureDefaultsIntegrationTest {
  AuthFixtures f;
  TenantTokenVerifier access;
  TenantTokenVerifier idTokens;

  @BeforeEach
  void start() {
    f = new AuthFixtures();
    access = f.verifier().build();
    idTokens = f.verifier().tokenUse(TokenUse.ID).build();
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private void putOkta(dev.tenantkit.core.IdentityConfig.Builder identity) {
    f.catalog.put(TestTenants.tenant("oktaco").identity(identity.build()).build());
  }

  // ---- 1. app clients -------------------------------------------------------------------------

  @Test
  void verify_anyClientRecord_otherClientAcceptedButIdTokenStillRefusedAsAccess() {
    putOkta(f.okta.identity().appClientIds(Set.of()).anyClient(true));
    assertThat(access.verify(f.okta.accessToken().clientId("0oaanotherclient").sign(), id("oktaco")).clientId())
        .isEqualTo("0oaanotherclient");
    assertRejected(() -> access.verify(f.okta.idToken().sign(), id("oktaco")), Reason.WRONG_TOKEN_USE);
    assertRejected(() -> idTokens.verify(f.okta.accessToken().sign(), id("oktaco")), Reason.WRONG_TOKEN_USE);
    assertThat(idTokens.verify(f.okta.idToken().clientId("0oaanotherclient").sign(), id("oktaco"))).isNotNull();
  }

  @Test
  void verify_anyClientCognitoRecord_tokenUseStillChecked() {
    f.catalog.put(TestTenants.tenant("acme").identity(f.acmePool.identity().appClientIds(Set.of()).anyClient(true)
        .build()).build());
    assertThat(access.verify(f.acmePool.accessToken().clientId("otherclient").sign(), id("acme"))).isNotNull();
    assertRejected(() -> access.verify(f.acmePool.idToken().sign(), id("acme")), Reason.WRONG_TOKEN_USE);
  }

  // ---- 2. access and ID tokens are never interchangeable ---------------------------------------

  @Test
  void verify_oktaIdTokenWhereAccessTokenRequired_wrongTokenUse() {
    assertRejected(() -> access.verify(f.okta.idToken().sign(), id("oktaco")), Reason.WRONG_TOKEN_USE);
  }

  @Test
  void verify_oktaAccessTokenWhoseAudIsTheClient_refusedAsIdToken() {
    // An authorization server whose audience is set to the client id: the access token's aud
    // then equals what an ID token carries; cid and scp still mark it as an access token.
    String token = f.okta.accessToken().audience(f.okta.clientId()).sign();
    assertRejected(() -> idTokens.verify(token, id("oktaco")), Reason.WRONG_TOKEN_USE);
  }

  @Test
  void verify_rfc9068AccessTokenTyp_refusedAsIdTokenAndAcceptedAsAccess() {
    String typed = f.okta.accessToken().type("at+jwt").claim("cid", null).claim("scp", null)
        .claim("client_id", f.okta.clientId()).sign();
    assertThat(access.verify(typed, id("oktaco")).clientId()).isEqualTo(f.okta.clientId());
    String typedWithIdAudience = f.okta.idToken().type("at+jwt").sign();
    assertRejected(() -> idTokens.verify(typedWithIdAudience, id("oktaco")), Reason.WRONG_TOKEN_USE);
    String appTyped = f.okta.idToken().type("application/at+jwt").sign();
    assertRejected(() -> idTokens.verify(appTyped, id("oktaco")), Reason.WRONG_TOKEN_USE);
  }

  @Test
  void verify_oktaAccessTokenForAnotherAudience_wrongAudience() {
    String token = f.okta.accessToken().audience("api://payments").sign();
    assertRejected(() -> access.verify(token, id("oktaco")), Reason.WRONG_AUDIENCE);
    assertThat(access.verify(f.okta.accessToken().audience("api://payments", LocalOidcIssuer.DEFAULT_AUDIENCE)
        .sign(), id("oktaco"))).isNotNull();
  }

  @Test
  void verify_oidcRecordWithoutAudience_accessTokensRefusedNamingTheField() {
    putOkta(f.okta.identity().audience(null));
    assertThatThrownBy(() -> access.verify(f.okta.accessToken().sign(), id("oktaco")))
        .isInstanceOfSatisfying(TokenRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_AUDIENCE))
        .hasMessageContaining("identity.audience");
    // ID tokens need no audience setting: their aud is the client.
    assertThat(idTokens.verify(f.okta.idToken().sign(), id("oktaco"))).isNotNull();
  }

  @Test
  void verify_cognitoIdTokenWithAtJwtTyp_refusedAsIdToken() {
    assertRejected(() -> idTokens.verify(f.acmePool.idToken().type("at+jwt").sign(), id("acme")),
        Reason.WRONG_TOKEN_USE);
  }

  // ---- 3. groups from the issuer's own claim ---------------------------------------------------

  @Test
  void verify_oktaGroupsClaim_readForGroupRequirements() {
    String token = f.okta.accessToken().groups("admin").sign();
    VerifiedPrincipal p = access.verify(token, id("oktaco"), TokenRequirements.groups("admin"));
    assertThat(p.groups()).containsExactly("admin");
  }

  @Test
  void verify_oktaTokenCarryingCognitoGroupsClaim_notTakenAsGroups() {
    String token = f.okta.accessToken().claim("cognito:groups", List.of("admin")).sign();
    assertRejected(() -> access.verify(token, id("oktaco"), TokenRequirements.groups("admin")), Reason.MISSING_GROUP);
  }

  @Test
  void verify_configuredGroupClaim_isTheOneRead() {
    putOkta(f.okta.identity().groupClaim("roles"));
    String roles = f.okta.accessToken().claim("roles", List.of("admin")).sign();
    assertThat(access.verify(roles, id("oktaco"), TokenRequirements.groups("admin")).groups()).containsExactly("admin");
    String groups = f.okta.accessToken().groups("admin").sign();
    assertRejected(() -> access.verify(groups, id("oktaco"), TokenRequirements.groups("admin")), Reason.MISSING_GROUP);
  }

  @Test
  void verify_cognitoPool_groupsStillFromCognitoGroups() {
    assertThat(access.verify(f.acmePool.accessToken().groups("admin").sign(), id("acme"),
        TokenRequirements.groups("admin"))).isNotNull();
    assertRejected(() -> access.verify(f.acmePool.accessToken().claim("groups", List.of("admin")).sign(), id("acme"),
        TokenRequirements.groups("admin")), Reason.MISSING_GROUP);
  }

  // ---- 8. Cognito emulator pools keep the Cognito checks ---------------------------------------

  @Test
  void verify_emulatorPoolWithExplicitIssuer_cognitoChecksApply() {
    LocalUserPool emulator = f.issuer.pool("local_Emu1x9");
    Tenant emu = TestTenants.tenant("emuco").identity(emulator.identity().build()).build();
    assertThat(emu.identity().orElseThrow().isCognito()).isTrue();
    f.catalog.put(emu);
    VerifiedPrincipal p = access.verify(emulator.accessToken().groups("admin").sign(), id("emuco"),
        TokenRequirements.groups("admin"));
    assertThat(p.clientId()).isEqualTo(emulator.clientId());
    assertRejected(() -> access.verify(emulator.idToken().sign(), id("emuco")), Reason.WRONG_TOKEN_USE);
    assertRejected(() -> access.verify(emulator.accessToken().clientId("otherclient").sign(), id("emuco")),
        Reason.WRONG_AUDIENCE);
    assertThat(emulator.jwksFetches()).isEqualTo(1);
    assertThat(emulator.discoveryFetches()).as("Cognito keys are at a fixed place, no discovery").isZero();
  }
}
