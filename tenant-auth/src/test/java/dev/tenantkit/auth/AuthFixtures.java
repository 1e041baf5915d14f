package dev.tenantkit.auth;

import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantStatus;
import dev.tenantkit.core.WritableTenantCatalog;
import dev.tenantkit.testkit.LocalIssuer;
import dev.tenantkit.testkit.LocalOidcIssuer;
import dev.tenantkit.testkit.LocalTokenIssuer;
import dev.tenantkit.testkit.LocalUserPool;
import dev.tenantkit.testkit.TestTenants;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * Shared test world: a real local issuer over HTTP with several user pools, and a catalog of
 * silo, shared-pool, suspended and Okta-style tenants.
 */
final class AuthFixtures implements AutoCloseable {
  final LocalTokenIssuer issuer = LocalTokenIssuer.start();
  final LocalUserPool acmePool = issuer.pool("eu-west-1_Acme");
  final LocalUserPool globexPool = issuer.pool("eu-west-1_Globex");
  final LocalUserPool sharedPool = issuer.pool("eu-west-1_Shared");
  final LocalUserPool hooliPool = issuer.pool("eu-west-1_Hooli");
  final LocalOidcIssuer okta = issuer.oidcIssuer("okta-oktaco");
  final LocalUserPool attackerPool = issuer.pool("eu-west-1_Attacker"); // in no tenant's record
  final WritableTenantCatalog catalog = TestTenants.catalog(
      tenant("acme", acmePool, false),
      tenant("globex", globexPool, false),
      tenant("initech", sharedPool, true),
      tenant("umbrella", sharedPool, true),
      tenant("hooli", hooliPool, false).toBuilder().status(TenantStatus.SUSPENDED).build(),
      tenant("oktaco", okta, false));

  static Tenant tenant(String id, LocalIssuer pool, boolean shared) {
    return TestTenants.tenant(id).identity(pool.identity().sharedIssuer(shared).build()).build();
  }

  TenantTokenVerifier.Builder verifier() {
    return TenantTokenVerifier.builder().catalog(catalog);
  }

  @Override
  public void close() {
    issuer.close();
  }

  /** A clock tests move by hand, which can also run a step (a catalog change) on its next read. */
  static final class MutableClock extends Clock {
    volatile Instant now = Instant.now();
    private volatile @Nullable Runnable onNextRead;

    void advance(Duration d) {
      now = now.plus(d);
    }

    void onNextRead(Runnable step) {
      onNextRead = step;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      Runnable step = onNextRead;
      if (step != null) {
        onNextRead = null;
        step.run();
      }
      return now;
    }
  }
}
