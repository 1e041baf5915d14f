package dev.tenantkit.testkit.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.db.TenantDataSource;
import dev.tenantkit.db.TlsMode;
import dev.tenantkit.testkit.LocalPostgres;
import dev.tenantkit.testkit.LocalS3;
import dev.tenantkit.testkit.LocalServices;
import dev.tenantkit.testkit.LocalTokenIssuer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two sets seeded on the same shared servers with the same tenant ids, as two test classes would:
 * every tenant of either set reads only its own rows, and no seeded role reaches another's data.
 */
@ExtendWith(LocalServices.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalTenantsIntegrationTest {
  static final String NOTES = "CREATE TABLE notes (id bigserial PRIMARY KEY, tenant_id text NOT NULL, body text NOT NULL)";

  LocalPostgres postgres;
  LocalS3 s3;
  LocalTokenIssuer issuer;
  LocalTenants first;
  LocalTenants second;

  @BeforeAll
  void seed(LocalPostgres postgres, LocalS3 s3, LocalTokenIssuer issuer) {
    this.postgres = postgres;
    this.s3 = s3;
    this.issuer = issuer;
    first = LocalTenants.on(postgres, s3, issuer).schema(NOTES).rowLevelSecurity("notes", "tenant_id");
    second = LocalTenants.on(postgres, s3, issuer).schema(NOTES).rowLevelSecurity("notes", "tenant_id");
    for (LocalTenants set : List.of(first, second)) {
      set.silo("acme");
      set.bridge("initech");
      set.bridge("umbrella");
      set.pooled("globex");
      set.pooled("hooli");
    }
  }

  @Test
  void sameIdsInTwoSets_getSeparateDatabasesSchemasRolesBucketsAndPools() {
    assertThat(first.set()).isNotEqualTo(second.set());
    for (String id : List.of("acme", "initech", "umbrella", "globex", "hooli")) {
      DatabaseConfig a = first.tenant(id).database().orElseThrow();
      DatabaseConfig b = second.tenant(id).database().orElseThrow();
      assertThat(a.database()).isNotEqualTo(b.database());
      assertThat(a.user()).isNotEqualTo(b.user());
      assertThat(first.tenant(id).storage().orElseThrow().bucket()).isNotEqualTo(second.tenant(id).storage().orElseThrow().bucket());
      assertThat(first.tenant(id).identity().orElseThrow().issuer()).isNotEqualTo(second.tenant(id).identity().orElseThrow().issuer());
    }
    assertThat(first.tenant("initech").database().orElseThrow().user())
        .isNotEqualTo(first.tenant("umbrella").database().orElseThrow().user());
  }

  @Test
  void everyTenantOfEitherSet_readsOnlyItsOwnRows_throughTenantDataSource() throws Exception {
    List<String> ids = List.of("acme", "initech", "umbrella", "globex", "hooli");
    try (TenantDataSource one = dataSource(first); TenantDataSource two = dataSource(second)) {
      for (String id : ids) {
        insert(one, first.tenant(id), "first " + id);
        insert(two, second.tenant(id), "second " + id);
      }
      for (String id : ids) {
        assertThat(bodies(one, first.tenant(id))).containsExactly("first " + id);
        assertThat(bodies(two, second.tenant(id))).containsExactly("second " + id);
      }
    }
  }

  @Test
  void aBridgeTenantsRole_cannotReadAnotherBridgeTenantsSchema() throws Exception {
    DatabaseConfig initech = first.tenant("initech").database().orElseThrow();
    DatabaseConfig umbrella = first.tenant("umbrella").database().orElseThrow();
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(initech.database()), initech.user(), first.password());
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM " + umbrella.schema() + ".notes"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
    }
  }

  @Test
  void aRoleOfOneSet_cannotReadTheOtherSetsTables() throws Exception {
    DatabaseConfig mine = first.tenant("acme").database().orElseThrow();
    DatabaseConfig theirs = second.tenant("acme").database().orElseThrow();
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(theirs.database()), mine.user(), first.password());
        Statement s = c.createStatement()) {
      // CONNECT is PUBLIC's by default; the tables are not: nothing of the other acme is readable.
      assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM notes"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
    }
  }

  @Test
  void idsThatLookLikeTheSetsSharedNames_orDifferOnlyByADash_getNamesOfTheirOwn() {
    LocalTenants set = LocalTenants.on(postgres, s3, issuer).schema(NOTES).rowLevelSecurity("notes", "tenant_id");
    for (String id : List.of("pool", "bridge", "shared", "acme", "ac-me")) {
      set.silo(id);
    }
    set.bridge("initech");
    set.pooled("globex");
    List<dev.tenantkit.core.Tenant> all = List.copyOf(set.catalog().all());
    assertThat(all.stream().map(t -> t.database().orElseThrow().database() + "/" + t.database().orElseThrow().schema()))
        .doesNotHaveDuplicates();
    assertThat(all.stream().map(t -> t.database().orElseThrow().user())).doesNotHaveDuplicates();
    assertThat(all.stream().filter(t -> t.storage().orElseThrow().prefix() == null)
        .map(t -> t.storage().orElseThrow().bucket())).doesNotHaveDuplicates()
        .doesNotContain(set.tenant("globex").storage().orElseThrow().bucket());
    assertThat(all.stream().map(t -> t.identity().orElseThrow().issuer())).doesNotHaveDuplicates();
  }

  @Test
  void seedingMistakes_failWithWhatToDo() {
    assertThatThrownBy(() -> first.silo("acme")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already seeded");
    assertThatThrownBy(() -> first.schema("CREATE TABLE x (id int)")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before the first tenant");
    LocalTenants bare = LocalTenants.on(postgres, s3, issuer);
    assertThatThrownBy(() -> bare.pooled("globex")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rowLevelSecurity");
    assertThatThrownBy(() -> bare.silo("Not An Id")).isInstanceOf(dev.tenantkit.core.InvalidTenantIdException.class);
    assertThatThrownBy(() -> bare.tenant("acme")).hasMessageContaining("no tenant acme was seeded");
  }

  static TenantDataSource dataSource(LocalTenants set) {
    return TenantDataSource.builder().catalog(set.catalog()).tlsMode(TlsMode.PLAINTEXT_ON_LOOPBACK).build();
  }

  static void insert(TenantDataSource ds, Tenant tenant, String body) throws Exception {
    TenantContext.call(tenant, () -> {
      try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("INSERT INTO notes (tenant_id, body) VALUES (?, ?)")) {
        p.setString(1, tenant.id().value());
        p.setString(2, body);
        return p.executeUpdate();
      }
    });
  }

  static List<String> bodies(TenantDataSource ds, Tenant tenant) throws Exception {
    return TenantContext.call(tenant, () -> {
      List<String> out = new ArrayList<>();
      try (Connection c = ds.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT body FROM notes ORDER BY id")) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    });
  }
}
