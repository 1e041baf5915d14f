package dev.tenantkit.spring.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantScope;
import dev.tenantkit.db.RowLevelSecurity;
import dev.tenantkit.db.TenantDbException;
import dev.tenantkit.testkit.LocalPostgres;
import dev.tenantkit.testkit.LocalServices;
import dev.tenantkit.testkit.TestTenants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.annotation.Transactional;

/**
 * A Spring Data JPA application whose only TenantKit configuration is properties, on the real
 * PostgreSQL, with two pooled tenants on one row-level-secured table: Hibernate starts without a
 * tenant's connection, a repository reads and writes only the scoped tenant's rows, and a
 * transaction bound to the thread cannot carry one tenant's connection into another's scope.
 * Runs under the JUnit Spring Boot manages (6.x), with the testkit's {@link LocalServices}.
 */
@ExtendWith(LocalServices.class)
class JpaRepositoryIntegrationTest {
  static ConfigurableApplicationContext app;
  static Tenant acme;
  static Tenant globex;

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Notes.class)
  static class JpaApp {}

  /** A transactional service, as an application writes one. */
  static class Notes {
    private final NoteRepository repository;

    Notes(NoteRepository repository) {
      this.repository = repository;
    }

    /** Reads in the transaction's tenant, then tries the same inside another tenant's scope. */
    @Transactional
    public int readThenSwitch(Tenant other) {
      int own = repository.findAll().size();
      try (TenantScope s = TenantContext.openCrossTenant(other, "test: switch inside a transaction")) {
        // Without tenant-db's scope check this ran on acme's connection and returned acme's rows.
        return own + 1000 * repository.findAll().size();
      }
    }
  }

  @BeforeAll
  static void start(LocalPostgres pg) throws Exception {
    pg.createRole("jpa_owner", "owner-pw");
    pg.createRole("jpa_app", "app-pw");
    pg.createDatabase("jpa_notes", "jpa_owner");
    pg.executeAs("jpa_notes", "jpa_owner", List.of(
        "CREATE TABLE notes (id bigserial PRIMARY KEY, tenant_id text NOT NULL, body text NOT NULL)",
        "INSERT INTO notes (tenant_id, body) VALUES ('acme', 'a1'), ('acme', 'a2'), ('globex', 'g1')",
        "GRANT USAGE ON SEQUENCE notes_id_seq TO jpa_app"));
    pg.executeAs("jpa_notes", "jpa_owner", RowLevelSecurity.policyStatements("notes", "tenant_id"));
    pg.grantTableAccess("jpa_notes", "jpa_owner", "notes", "jpa_app");
    DatabaseConfig db = DatabaseConfig.builder().isolation(DatabaseConfig.IsolationMode.POOL).host(pg.host())
        .port(pg.port()).database("jpa_notes").user("jpa_app").credentials(DatabaseConfig.CredentialsSource.STATIC)
        .password("app-pw").build();
    acme = TestTenants.tenant("acme").database(db).build();
    globex = TestTenants.tenant("globex").database(db).build();
    Path file = Files.createTempDirectory("jpa").resolve("tenants.json");
    TenantCatalog.writeFile(file, List.of(acme, globex));
    app = new SpringApplicationBuilder(JpaApp.class).web(WebApplicationType.NONE).properties(
        "tenantkit.catalog.file=" + file,
        "tenantkit.resolver.subdomain={tenant}.localhost",
        "tenantkit.datasource.plaintext-on-loopback=true",
        "tenantkit.storage.region=eu-west-1", // tenant-storage is on this class path too
        "spring.main.banner-mode=off").run();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  static List<String> bodies(Tenant tenant) {
    return TenantContext.supply(tenant, () -> app.getBean(NoteRepository.class).findAll().stream()
        .map(n -> n.body).sorted().toList());
  }

  @Test
  void repository_readsOnlyTheScopedTenantsRows_andNothingWithoutATenant() {
    assertThat(bodies(acme)).startsWith("a1", "a2").allMatch(b -> b.startsWith("a"));
    assertThat(bodies(globex)).containsExactly("g1");
    assertThatThrownBy(() -> app.getBean(NoteRepository.class).findAll())
        .hasRootCauseInstanceOf(TenantDbException.class);
  }

  @Test
  void repository_writesInTheScopedTenant_andARowForAnotherTenantIsRefused() {
    NoteRepository repository = app.getBean(NoteRepository.class);
    TenantContext.run(acme, () -> repository.save(new Note("acme", "a3")));
    assertThat(bodies(acme)).contains("a3");
    assertThatThrownBy(() -> TenantContext.run(acme, () -> repository.saveAndFlush(new Note("globex", "planted"))))
        .as("row-level security's WITH CHECK").isNotNull();
    assertThat(bodies(globex)).containsExactly("g1");
  }

  @Test
  void transactionBoundToTheThread_cannotRunAnotherTenantsQueriesOnItsConnection() {
    Notes notes = app.getBean(Notes.class);
    assertThatThrownBy(() -> TenantContext.supply(acme, () -> notes.readThenSwitch(globex)))
        .hasRootCauseInstanceOf(TenantDbException.class)
        .rootCause().hasMessageContaining("used in the scope of tenant globex");
    assertThat(bodies(globex)).containsExactly("g1");
  }
}
