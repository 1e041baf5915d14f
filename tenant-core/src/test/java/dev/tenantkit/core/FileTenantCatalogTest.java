package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTenantCatalogTest {
  @TempDir Path dir;

  static final String FULL = String.join("\n",
      "{",
      "  \"version\": 1,",
      "  \"tenants\": [",
      "    {",
      "      \"id\": \"acme\",",
      "      \"tier\": \"premium\",",
      "      \"status\": \"ACTIVE\",",
      "      \"identity\": {",
      "        \"userPoolId\": \"eu-west-1_AcMe123\",",
      "        \"region\": \"eu-west-1\",",
      "        \"appClientIds\": [\"abc123\"],",
      "        \"federation\": {\"providerName\": \"Okta\", \"providerType\": \"SAML\",",
      "                       \"metadataUrl\": \"https://acme.okta.com/app/x/sso/saml/metadata\"}",
      "      },",
      "      \"storage\": {\"layout\": \"BUCKET\", \"bucket\": \"tenantkit-acme\", \"region\": \"eu-west-1\",",
      "                  \"kmsKeyArn\": \"arn:aws:kms:eu-west-1:111122223333:key/abcd\"},",
      "      \"database\": {\"engine\": \"POSTGRESQL\", \"isolation\": \"SILO\", \"host\": \"acme.db.internal\",",
      "                   \"database\": \"acme\", \"user\": \"app\", \"credentials\": \"IAM\", \"region\": \"eu-west-1\"},",
      "      \"stack\": {\"name\": \"tenantkit-acme\", \"albDnsName\": \"acme-alb.elb.amazonaws.com\",",
      "                \"outputs\": {\"BucketName\": \"tenantkit-acme\"}}",
      "    },",
      "    {",
      "      \"id\": \"globex\",",
      "      \"tier\": \"basic\",",
      "      \"storage\": {\"layout\": \"PREFIX\", \"bucket\": \"tenantkit-shared\", \"prefix\": \"tenants/globex/\"},",
      "      \"database\": {\"isolation\": \"POOL\", \"host\": \"shared.db.internal\", \"port\": 6432,",
      "                   \"database\": \"shared\", \"user\": \"app\", \"credentials\": \"SECRET\",",
      "                   \"secretArn\": \"arn:aws:secretsmanager:eu-west-1:111122223333:secret:app\"}",
      "    }",
      "  ]",
      "}");

  Path write(String json) throws IOException {
    Path tmp = dir.resolve("catalog.json.tmp");
    Files.writeString(tmp, json, StandardCharsets.UTF_8);
    Path target = dir.resolve("catalog.json");
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  FileTenantCatalog open(String json) throws IOException {
    return FileTenantCatalog.builder().path(write(json)).watch(false).build();
  }

  @Test
  void build_whenFullRecord_readsEverySection() throws IOException {
    try (FileTenantCatalog catalog = open(FULL)) {
      Tenant acme = catalog.require(TenantId.of("acme"));
      assertThat(acme.tier().name()).isEqualTo("premium");
      assertThat(acme.identity().orElseThrow().issuer().toString())
          .isEqualTo("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AcMe123");
      assertThat(acme.identity().orElseThrow().federation().providerType())
          .isEqualTo(IdentityConfig.ProviderType.SAML);
      assertThat(acme.storage().orElseThrow().kmsKeyArn()).startsWith("arn:aws:kms:");
      assertThat(acme.database().orElseThrow().port()).isEqualTo(5432);
      assertThat(acme.stack().orElseThrow().outputs()).containsEntry("BucketName", "tenantkit-acme");
      Tenant globex = catalog.require(TenantId.of("globex"));
      assertThat(globex.status()).isEqualTo(TenantStatus.ACTIVE);
      assertThat(globex.database().orElseThrow().isolation()).isEqualTo(DatabaseConfig.IsolationMode.POOL);
      assertThat(globex.database().orElseThrow().port()).isEqualTo(6432);
      assertThat(catalog.lastError()).isEmpty();
    }
  }

  @Test
  void build_whenFieldInvalid_namesLineAndFieldPath() {
    String json = FULL.replace("\"port\": 6432", "\"port\": 70000");
    assertThatThrownBy(() -> open(json))
        .isInstanceOfSatisfying(CatalogLoadException.class, e -> {
          assertThat(e.field()).isEqualTo("tenants[1].database.port");
          assertThat(e.line()).isEqualTo(26);
        })
        .hasMessageContaining("line 26")
        .hasMessageContaining("between 1 and 65535");
  }

  @Test
  void build_whenRecordRuleBroken_namesFieldInsideSection() {
    String json = FULL.replace("\"prefix\": \"tenants/globex/\"", "\"prefix\": \"../acme/\"");
    assertThatThrownBy(() -> open(json))
        .isInstanceOfSatisfying(CatalogLoadException.class, e -> {
          assertThat(e.field()).isEqualTo("tenants[1].storage.prefix");
          assertThat(e.line()).isEqualTo(25);
        });
  }

  @Test
  void build_whenUnknownField_refusedWithItsLine() {
    String json = FULL.replace("\"tier\": \"basic\",", "\"tier\": \"basic\", \"bypassRls\": true,");
    assertThatThrownBy(() -> open(json))
        .isInstanceOfSatisfying(CatalogLoadException.class, e -> {
          assertThat(e.field()).isEqualTo("tenants[1].bypassRls");
          assertThat(e.line()).isEqualTo(24);
        })
        .hasMessageContaining("unknown field");
  }

  @Test
  void build_whenSyntaxError_reportsLine() {
    String json = FULL.replace("\"tier\": \"basic\",", "\"tier\": \"basic\"");
    assertThatThrownBy(() -> open(json))
        .isInstanceOfSatisfying(CatalogLoadException.class, e -> assertThat(e.line()).isEqualTo(25))
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void build_whenDuplicateIdOrBadIdOrBadEnum_refusedNamingField() {
    assertThatThrownBy(() -> open(FULL.replace("\"id\": \"globex\"", "\"id\": \"acme\"")
        .replace("tenants/globex/", "tenants/acme/")))
        .isInstanceOfSatisfying(CatalogLoadException.class,
            e -> assertThat(e.field()).isEqualTo("tenants[1].id"))
        .hasMessageContaining("duplicate tenant id acme");
    assertThatThrownBy(() -> open(FULL.replace("\"id\": \"globex\"", "\"id\": \"Globex\\n\"")))
        .isInstanceOfSatisfying(CatalogLoadException.class,
            e -> assertThat(e.field()).isEqualTo("tenants[1].id"))
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> open(FULL.replace("\"status\": \"ACTIVE\"", "\"status\": \"ENABLED\"")))
        .isInstanceOfSatisfying(CatalogLoadException.class,
            e -> assertThat(e.field()).isEqualTo("tenants[0].status"))
        .hasMessageContaining("SUSPENDED");
  }

  @Test
  void build_whenStaticPasswordInvalidRecord_messageNeverContainsPassword() {
    String json = "{\"tenants\":[{\"id\":\"acme\",\"tier\":\"basic\",\"database\":{\"isolation\":\"SILO\","
        + "\"host\":\"db\",\"database\":\"acme\",\"user\":\"app\",\"credentials\":\"IAM\","
        + "\"region\":\"eu-west-1\",\"password\":\"hunter2-secret\"}}]}";
    assertThatThrownBy(() -> open(json))
        .isInstanceOf(CatalogLoadException.class)
        .hasMessageContaining("tenants[0].database.password")
        .hasMessageNotContaining("hunter2-secret");
  }

  @Test
  void build_whenDeeplyNested_refusedWithoutStackOverflow() {
    String json = "{\"tenants\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertThatThrownBy(() -> open(json)).isInstanceOf(CatalogLoadException.class);
  }

  @Test
  void reload_whenFileBroken_keepsLastGoodAndReportsError() throws IOException {
    try (FileTenantCatalog catalog = open(FULL)) {
      write(FULL.replace("\"tier\": \"basic\"", "\"tier\": 7"));
      assertThatThrownBy(catalog::reload)
          .isInstanceOf(CatalogLoadException.class)
          .hasMessageContaining("tenants[1].tier");
      assertThat(catalog.lastError()).isPresent();
      assertThat(catalog.require(TenantId.of("globex")).tier().name()).isEqualTo("basic");

      write(FULL.replace("\"tier\": \"basic\"", "\"tier\": \"standard\""));
      assertThat(catalog.reload()).isTrue();
      assertThat(catalog.lastError()).isEmpty();
      assertThat(catalog.require(TenantId.of("globex")).tier().name()).isEqualTo("standard");
    }
  }

  @Test
  void watcher_whenFileReplaced_picksUpChangeAndToldListeners() throws Exception {
    write(FULL);
    try (FileTenantCatalog catalog = FileTenantCatalog.builder().path(dir.resolve("catalog.json"))
        .pollInterval(Duration.ofMillis(20)).build()) {
      CountDownLatch changed = new CountDownLatch(1);
      AtomicReference<CatalogChange> seen = new AtomicReference<>();
      catalog.addListener(c -> {
        seen.set(c);
        changed.countDown();
      });
      write(FULL.replace("\"status\": \"ACTIVE\"", "\"status\": \"SUSPENDED\""));
      assertThat(changed.await(30, TimeUnit.SECONDS)).as("watcher saw the change").isTrue();
      assertThat(seen.get().updated()).extracting(t -> t.id().value()).containsExactly("acme");
      assertThatThrownBy(() -> catalog.require(TenantId.of("acme")))
          .isInstanceOf(TenantNotActiveException.class);
    }
  }

  /** Generation {@code g}: 50 tenants, all with tier "g{g}", so a reader can spot a mixed snapshot. */
  static String generation(int g, int count) {
    StringBuilder sb = new StringBuilder("{\"tenants\":[");
    for (int i = 0; i < count; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"id\":\"tenant-").append(i)
          .append("\",\"tier\":\"g").append(g).append("\"}");
    }
    return sb.append("]}").toString();
  }

  @Test
  void reload_underConcurrentReads_readersNeverSeeAMixedOrPartialCatalog() throws Exception {
    int tenants = 50;
    try (FileTenantCatalog catalog = open(generation(0, tenants))) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong reads = new AtomicLong();
      List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        Thread t = new Thread(() -> {
          while (!stop.get()) {
            Collection<Tenant> all = catalog.all();
            Set<String> tiers = new HashSet<>();
            for (Tenant t2 : all) {
              tiers.add(t2.tier().name());
            }
            if (all.size() != tenants || tiers.size() != 1) {
              violations.add("size=" + all.size() + " tiers=" + tiers);
            }
            if (catalog.find(TenantId.of("tenant-" + (reads.get() % tenants))).isEmpty()) {
              violations.add("lookup missed");
            }
            reads.incrementAndGet();
          }
        });
        t.start();
        readers.add(t);
      }
      int failedReloads = 0;
      for (int g = 1; g <= 200; g++) {
        if (g % 3 == 0) {
          // A broken file (truncated mid-write) between good ones: must change nothing.
          String good = generation(g, tenants);
          Files.writeString(dir.resolve("catalog.json"), good.substring(0, good.length() / 2));
          try {
            catalog.reload();
          } catch (CatalogLoadException e) {
            failedReloads++;
          }
        } else {
          write(generation(g, tenants));
          catalog.reload();
        }
      }
      stop.set(true);
      for (Thread t : readers) {
        t.join();
      }
      assertThat(violations).isEmpty();
      assertThat(failedReloads).isEqualTo(66);
      assertThat(reads.get()).isGreaterThan(200);
      assertThat(catalog.all()).allSatisfy(t -> assertThat(t.tier().name()).isEqualTo("g200"));
    }
  }
}
