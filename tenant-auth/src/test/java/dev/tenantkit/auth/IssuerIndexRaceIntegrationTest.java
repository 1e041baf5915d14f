package dev.tenantkit.auth;

import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.assertRejected;
import static dev.tenantkit.auth.TenantTokenVerifierIntegrationTest.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.auth.TokenRejectedException.Reason;
import dev.tenantkit.core.CatalogListener;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.WritableTenantCatalog;
import dev.tenantkit.testkit.LocalTokenIssuer;
import dev.tenantkit.testkit.LocalUserPool;
import dev.tenantkit.testkit.TestTenants;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A catalog change that removes or moves an issuer while a verification or warm-up is in
 * flight: nothing of the old issuer's keys may outlive the change. The interleavings are fixed
 * by holding one request on the local issuer until the test has made the change; no sleeps.
 */
class IssuerIndexRaceIntegrationTest {
  LocalTokenIssuer issuer;
  LocalUserPool one;
  LocalUserPool two;
  LocalUserPool elsewhere; // serves other keys: a tenant moved here must no longer verify
  WritableTenantCatalog catalog;

  @BeforeEach
  void start() {
    issuer = LocalTokenIssuer.start();
    one = issuer.pool("eu-west-1_One");
    two = issuer.pool("eu-west-1_Two");
    elsewhere = issuer.pool("eu-west-1_Elsewhere");
    catalog = TestTenants.catalog(AuthFixtures.tenant("one", one, false), AuthFixtures.tenant("two", two, false));
  }

  @AfterEach
  void stop() {
    issuer.close();
  }

  private TenantTokenVerifier verifier() {
    // Long enough that a held request is never given up by the client while the test acts.
    return TenantTokenVerifier.builder().catalog(catalog).httpReadTimeout(Duration.ofSeconds(20))
        .unknownKeyRefreshInterval(Duration.ofMillis(100)).build();
  }

  private void move(String tenant, LocalUserPool pool) {
    Tenant t = catalog.find(id(tenant)).orElseThrow();
    catalog.put(t.toBuilder().identity(pool.identity().jwksUri(elsewhere.issuer() + "/.well-known/jwks.json")
        .build()).build());
  }

  @Test
  void warmUp_issuerMovedWhileAnotherIsFetched_movedIssuerNeverGetsItsOldKeySource() throws Exception {
    TenantTokenVerifier v = verifier();
    LocalTokenIssuer.RequestHold hold = issuer.holdNextRequest(
        p -> p.equals(one.jwksPath()) || p.equals(two.jwksPath()));
    CompletableFuture<Void> warm = CompletableFuture.runAsync(v::warmUp);
    String first = hold.awaitHeld();
    // Whichever issuer warm-up fetches first, move the other one while that fetch is held.
    LocalUserPool later = first.equals(one.jwksPath()) ? two : one;
    String laterTenant = later == one ? "one" : "two";
    move(laterTenant, later);
    hold.release();
    warm.get(30, TimeUnit.SECONDS);

    assertRejected(() -> v.verify(later.accessToken().sign(), id(laterTenant)), Reason.KEY_NOT_FOUND);
    assertThat(later.jwksFetches()).as("the moved issuer's old location, after the move").isZero();
    assertThat(elsewhere.jwksFetches()).isPositive();
  }

  @Test
  void verify_fetchInFlightWhenIssuerMoves_itsFailureDoesNotMarkTheNewLocationDown() throws Exception {
    TenantTokenVerifier v = verifier();
    LocalTokenIssuer.RequestHold hold = issuer.holdNextRequest(p -> p.equals(one.jwksPath()));
    CompletableFuture<Object> inFlight = CompletableFuture.supplyAsync(() -> {
      try {
        return v.verify(one.accessToken().sign(), id("one"));
      } catch (TokenRejectedException e) {
        return e.reason();
      }
    });
    hold.awaitHeld();
    one.setAvailable(false); // the held fetch of the old location will fail
    move("one", one);
    hold.release();
    assertThat(inFlight.get(30, TimeUnit.SECONDS)).isEqualTo(Reason.KEYS_UNAVAILABLE);

    // The new location is up and lacks the kid: a plain "not found", not "keys unavailable".
    assertRejected(() -> v.verify(one.accessToken().sign(), id("one")), Reason.KEY_NOT_FOUND);
    assertThat(elsewhere.jwksFetches()).isPositive();
    assertThat(one.jwksFetches()).as("only the fetch held across the move").isEqualTo(1);
  }

  @Test
  void verify_tenantRemovedAndReAddedElsewhere_oldKeySourceGone() {
    TenantTokenVerifier v = verifier();
    assertThat(v.verify(one.accessToken().sign(), id("one"))).isNotNull();
    Tenant removed = catalog.find(id("one")).orElseThrow();
    catalog.remove(id("one"));
    assertRejected(() -> v.verify(one.accessToken().sign(), id("one")), Reason.UNKNOWN_ISSUER);
    catalog.put(removed.toBuilder().identity(one.identity().jwksUri(elsewhere.issuer() + "/.well-known/jwks.json")
        .build()).build());
    assertRejected(() -> v.verify(one.accessToken().sign(), id("one")), Reason.KEY_NOT_FOUND);
    assertThat(one.jwksFetches()).isEqualTo(1);
  }

  @Test
  void build_catalogChangesWhileTheFirstIndexIsBuilt_changeNotLost() {
    LocalUserPool late = issuer.pool("eu-west-1_Late");
    ChangingCatalog changing = new ChangingCatalog(catalog,
        () -> catalog.put(AuthFixtures.tenant("late", late, false)));
    TenantTokenVerifier v = TenantTokenVerifier.builder().catalog(changing).build();
    assertThat(changing.changed).as("the change happened during the first build").isTrue();
    assertThat(v.verify(late.accessToken().sign(), id("late")).tenant().id()).isEqualTo(id("late"));
  }

  /** Applies one change right after the first full read: the moment a verifier builds its first index. */
  static final class ChangingCatalog implements TenantCatalog {
    final WritableTenantCatalog delegate;
    final Runnable change;
    volatile boolean changed;

    ChangingCatalog(WritableTenantCatalog delegate, Runnable change) {
      this.delegate = delegate;
      this.change = change;
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
      return delegate.find(id);
    }

    @Override
    public Collection<Tenant> all() {
      Collection<Tenant> snapshot = delegate.all();
      if (!changed) {
        changed = true;
        change.run();
      }
      return snapshot;
    }

    @Override
    public CatalogListener.Registration addListener(CatalogListener listener) {
      return delegate.addListener(listener);
    }
  }
}
