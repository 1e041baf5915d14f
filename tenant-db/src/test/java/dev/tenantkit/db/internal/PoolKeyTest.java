package dev.tenantkit.db.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.DatabaseEngine;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantStatus;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The pool key decides which tenants share physical connections; its equals and hashCode are
 * written out (not the record's), so every field that separates two pools is checked here: a
 * field left out of equals would let two tenants share a pool they must not.
 */
class PoolKeyTest {
  private static DatabaseConfig.Builder bridgeDb() {
    return DatabaseConfig.builder().engine(DatabaseEngine.POSTGRESQL).isolation(IsolationMode.BRIDGE)
        .host("db.internal").port(5432).database("app").schema("acme").user("app")
        .credentials(CredentialsSource.STATIC).password("one");
  }

  /** The tenant's key; a bridge tenant's schema is its id, as a catalog would have it. */
  private static PoolKey key(String id, DatabaseConfig.Builder db) {
    DatabaseConfig built = db.build();
    if (built.isolation() == IsolationMode.BRIDGE) {
      built = db.schema(id).build();
    }
    Tenant t = Tenant.builder().id(id).tier("standard").status(TenantStatus.ACTIVE).database(built).build();
    return PoolKey.of(t, t.database().orElseThrow());
  }

  @Test
  void twoBridgeTenantsOnTheSameServerDatabaseAndUserShareOneKey() {
    PoolKey acme = key("acme", bridgeDb());
    PoolKey globex = key("globex", bridgeDb());
    assertThat(acme).isEqualTo(globex).hasSameHashCodeAs(globex);
    assertThat(acme.shared()).isTrue();
  }

  @Test
  void everyFieldThatSeparatesPoolsSeparatesKeys() {
    PoolKey base = key("acme", bridgeDb());
    List<UnaryOperator<DatabaseConfig.Builder>> changes = List.of(
        b -> b.isolation(IsolationMode.POOL).schema(null),
        b -> b.engine(DatabaseEngine.MYSQL),
        b -> b.host("db2.internal"),
        b -> b.port(5433),
        b -> b.database("other"),
        b -> b.user("other"),
        b -> b.password("two"),
        b -> b.credentials(CredentialsSource.IAM).password(null).region("eu-west-1"),
        b -> b.credentials(CredentialsSource.SECRET).password(null)
            .secretArn("arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-AbCdEf").region("eu-west-1"));
    for (UnaryOperator<DatabaseConfig.Builder> change : changes) {
      PoolKey other = key("acme", change.apply(bridgeDb()));
      assertThat(other).as(other.toString()).isNotEqualTo(base);
      assertThat(base).isNotEqualTo(other);
    }
    PoolKey iamEu = key("acme", bridgeDb().credentials(CredentialsSource.IAM).password(null).region("eu-west-1"));
    PoolKey iamUs = key("acme", bridgeDb().credentials(CredentialsSource.IAM).password(null).region("us-east-1"));
    assertThat(iamEu).isNotEqualTo(iamUs);
    PoolKey secretOne = key("acme", bridgeDb().credentials(CredentialsSource.SECRET).password(null).region("eu-west-1")
        .secretArn(("arn:aws:secretsmanager:eu-west-1:111122223333:secret:one-AbCdEf")));
    PoolKey secretTwo = key("acme", bridgeDb().credentials(CredentialsSource.SECRET).password(null).region("eu-west-1")
        .secretArn(("arn:aws:secretsmanager:eu-west-1:111122223333:secret:two-AbCdEf")));
    assertThat(secretOne).isNotEqualTo(secretTwo);
    // The credentials source alone: IAM and a secret, same region, no password.
    PoolKey iam = key("acme", bridgeDb().credentials(CredentialsSource.IAM).password(null).region("eu-west-1"));
    PoolKey secretSameArn = key("acme", bridgeDb().credentials(CredentialsSource.SECRET).password(null)
        .region("eu-west-1").secretArn("arn:aws:secretsmanager:eu-west-1:111122223333:secret:one-AbCdEf"));
    PoolKey iamWithArn = key("acme", bridgeDb().credentials(CredentialsSource.IAM).password(null).region("eu-west-1")
        .secretArn("arn:aws:secretsmanager:eu-west-1:111122223333:secret:one-AbCdEf"));
    assertThat(iamWithArn).isNotEqualTo(secretSameArn).isNotEqualTo(iam);
  }

  @Test
  void aSiloKeyCarriesItsTenantSoTwoSiloTenantsNeverShare() {
    PoolKey acme = key("acme", bridgeDb().isolation(IsolationMode.SILO));
    PoolKey acmeAgain = key("acme", bridgeDb().isolation(IsolationMode.SILO));
    PoolKey globex = key("globex", bridgeDb().isolation(IsolationMode.SILO));
    assertThat(acme).isEqualTo(acmeAgain).hasSameHashCodeAs(acmeAgain);
    assertThat(acme).isNotEqualTo(globex);
    assertThat(acme.shared()).isFalse();
    assertThat(acme).isNotEqualTo(null).isNotEqualTo("silo acme");
  }

  @Test
  void neverPrintsThePassword() {
    assertThat(key("acme", bridgeDb().password("s3cret-value")).toString()).doesNotContain("s3cret-value");
  }
}
