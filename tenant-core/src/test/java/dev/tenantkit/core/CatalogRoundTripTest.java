package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.core.DatabaseConfig.CredentialsSource;
import dev.tenantkit.core.DatabaseConfig.DatabaseEngine;
import dev.tenantkit.core.DatabaseConfig.IsolationMode;
import dev.tenantkit.core.IdentityConfig.Federation;
import dev.tenantkit.core.IdentityConfig.ProviderType;
import dev.tenantkit.core.StorageConfig.StorageLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Property: writing a catalog and reading it back gives equal records, for every field of every
 * section, whatever each field holds (present or absent, every enum constant, text that needs
 * escaping), and the written text is stable.
 */
class CatalogRoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes, reads back and compares; returns the text. */
  private static String roundTrip(List<Tenant> tenants) {
    String json = TenantCatalog.toJson(tenants);
    List<Tenant> read = new ArrayList<>(TenantCatalog.fromJson(json, "written").all());
    List<Tenant> expected = new ArrayList<>(tenants);
    expected.sort(java.util.Comparator.comparing(t -> t.id().value()));
    read.sort(java.util.Comparator.comparing(t -> t.id().value()));
    assertThat(read).as(json).containsExactlyElementsOf(expected);
    // The sections compare field by field too (equals of a section could hide a field).
    for (int i = 0; i < read.size(); i++) {
      assertThat(read.get(i)).usingRecursiveComparison().isEqualTo(expected.get(i));
    }
    assertThat(TenantCatalog.toJson(read)).as("stable").isEqualTo(json);
    return json;
  }

  /** Tenants that between them give every field of every section a value that is not its default. */
  static List<Tenant> everyField() {
    Tenant silo = Tenant.builder().id("acme").tier("premium").status(TenantStatus.FAILED)
        .statusReason("CREATE_FAILED: \"Database\" (quota)\nline two \\ tab\t, é, \u2028, 💡")
        .identity(IdentityConfig.builder().userPoolId("eu-west-1_AcMe123").region("eu-west-1")
            .issuer("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AcMe123")
            .appClientIds("clientb", "clienta").tenantClaim("custom:org").groupClaim("custom:roles")
            .audience("api://acme").jwksUri("https://idp.example.com/keys")
            .federation(new Federation("Okta", ProviderType.SAML, URI.create("https://acme.okta.com/metadata")))
            .build())
        .storage(StorageConfig.builder().layout(StorageLayout.BUCKET).bucket("tenantkit-acme").region("eu-west-1")
            .kmsKeyArn("arn:aws:kms:eu-west-1:111122223333:key/1234abcd")
            .roleArn("arn:aws:iam::111122223333:role/acme").build())
        .database(DatabaseConfig.builder().engine(DatabaseEngine.MYSQL).isolation(IsolationMode.SILO)
            .host("acme.db.example.com").port(3307).database("acme").user("app")
            .credentials(CredentialsSource.IAM).region("eu-west-1").build())
        .stack(StackConfig.builder().name("tenantkit-acme").region("eu-west-1").albDnsName("alb.example.com")
            .outputs(Map.of("B", "2", "A", "1 \"quoted\"", "Empty", "")).build())
        .limits(RequestLimits.of(200, 400, 64))
        .build();
    Tenant pooled = Tenant.builder().id("globex").tier("basic").status(TenantStatus.SUSPENDED)
        .identity(IdentityConfig.builder().userPoolId("eu-west-1_Shared1").region("eu-west-1")
            .appClientIds("clientshared").sharedIssuer(true)
            .federation(new Federation("Azure-AD", ProviderType.OIDC, null)).build())
        .storage(StorageConfig.builder().layout(StorageLayout.PREFIX).bucket("shared")
            .prefix("tenants/globex/").build())
        .database(DatabaseConfig.builder().isolation(IsolationMode.POOL).host("10.0.0.7").database("shared")
            .schema("globex").user("app").credentials(CredentialsSource.SECRET)
            .secretArn("arn:aws:secretsmanager:eu-west-1:111122223333:secret:app").build())
        .build();
    Tenant direct = Tenant.builder().id("initech").tier("standard").status(TenantStatus.PROVISIONING)
        .identity(IdentityConfig.builder().issuer("https://initech.okta.com/oauth2/default").anyClient(true)
            .audience("api://default").build())
        .storage(StorageConfig.builder().layout(StorageLayout.ACCESS_POINT)
            .accessPointArn("arn:aws:s3:eu-west-1:111122223333:accesspoint/initech").build())
        .database(DatabaseConfig.builder().isolation(IsolationMode.BRIDGE).host("[::1]").port(6543)
            .database("bridge").schema("initech").user("initech_app").credentials(CredentialsSource.STATIC)
            .password("p\"w\\d").build())
        .stack(StackConfig.builder().name("tenantkit-initech").build())
        .build();
    Tenant bare = Tenant.builder().id("hooli").tier("gold-2").build();
    return List.of(silo, pooled, direct, bare);
  }

  @Test
  void everyFieldOfEverySection_readsBackEqual() {
    roundTrip(everyField());
  }

  @Test
  void everyFieldOfEverySection_isWritten() throws Exception {
    JsonNode written = JSON.readTree(roundTrip(everyField()));
    Map<String, Set<String>> seen = new LinkedHashMap<>();
    for (JsonNode tenant : written.get("tenants")) {
      collect(seen, "tenant", tenant);
      for (String section : List.of("identity", "storage", "database", "stack", "limits")) {
        if (tenant.has(section)) {
          collect(seen, section, tenant.get(section));
        }
      }
      if (tenant.path("identity").has("federation")) {
        collect(seen, "federation", tenant.get("identity").get("federation"));
      }
    }
    assertThat(seen.get("tenant")).as("Tenant").isEqualTo(builderOptions(Tenant.Builder.class));
    assertThat(seen.get("identity")).as("IdentityConfig").isEqualTo(components(IdentityConfig.class));
    assertThat(seen.get("federation")).as("Federation").isEqualTo(components(Federation.class));
    assertThat(seen.get("storage")).as("StorageConfig").isEqualTo(components(StorageConfig.class));
    assertThat(seen.get("database")).as("DatabaseConfig").isEqualTo(components(DatabaseConfig.class));
    assertThat(seen.get("stack")).as("StackConfig").isEqualTo(components(StackConfig.class));
    assertThat(seen.get("limits")).as("RequestLimits").isEqualTo(components(RequestLimits.class));
  }

  @Test
  void anyValidCatalog_readsBackEqual() {
    for (long seed = 0; seed < 300; seed++) {
      Random r = new Random(seed);
      List<Tenant> tenants = new ArrayList<>();
      int n = 1 + r.nextInt(5);
      for (int i = 0; i < n; i++) {
        tenants.add(randomTenant(r, "t" + seed + "-" + i));
      }
      roundTrip(tenants);
    }
  }

  private static void collect(Map<String, Set<String>> seen, String section, JsonNode object) {
    Set<String> names = seen.computeIfAbsent(section, k -> new TreeSet<>());
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
  }

  private static Set<String> components(Class<? extends Record> type) {
    Set<String> names = new TreeSet<>();
    for (RecordComponent c : type.getRecordComponents()) {
      names.add(c.getName());
    }
    return names;
  }

  /** What the builder lets a caller set: the record's fields (Tenant is a class, not a record). */
  private static Set<String> builderOptions(Class<?> builder) {
    Set<String> names = new TreeSet<>();
    for (Method m : builder.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() == builder) {
        names.add(m.getName());
      }
    }
    return names;
  }

  // ---- a random valid tenant: each optional field present or absent, each enum constant in turn ----

  private static <T> T pick(Random r, List<T> values) {
    return values.get(r.nextInt(values.size()));
  }

  private static String text(Random r) {
    String alphabet = "abcXYZ 019\"\\/\n\t\u00e9\u2028\u0001{}[]:,💡";
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(40);
    for (int i = 0; i < n; i++) {
      sb.appendCodePoint(alphabet.codePoints().toArray()[r.nextInt((int) alphabet.codePoints().count())]);
    }
    return sb.toString();
  }

  private static Tenant randomTenant(Random r, String id) {
    Tenant.Builder b = Tenant.builder().id(id).tier(pick(r, List.of("basic", "standard", "premium", "gold-2")))
        .status(pick(r, List.of(TenantStatus.values())));
    if (r.nextBoolean()) {
      b.statusReason(text(r));
    }
    if (r.nextBoolean()) {
      b.identity(randomIdentity(r, id));
    }
    if (r.nextBoolean()) {
      b.storage(randomStorage(r, id));
    }
    if (r.nextBoolean()) {
      b.database(randomDatabase(r, id));
    }
    if (r.nextBoolean()) {
      StackConfig.Builder s = StackConfig.builder().name("tenantkit-" + id);
      if (r.nextBoolean()) {
        s.region(pick(r, List.of("eu-west-1", "us-east-1", "ap-southeast-2")));
      }
      if (r.nextBoolean()) {
        s.albDnsName(id + ".elb.amazonaws.com");
      }
      Map<String, String> outputs = new LinkedHashMap<>();
      for (int i = r.nextInt(4); i > 0; i--) {
        outputs.put("Output" + i, text(r));
      }
      b.stack(s.outputs(outputs).build());
    }
    if (r.nextBoolean()) {
      int rate = 1 + r.nextInt(RequestLimits.MAX_RATE);
      b.limits(RequestLimits.of(rate, rate + r.nextInt(RequestLimits.MAX_BURST - rate + 1),
          1 + r.nextInt(RequestLimits.MAX_CONCURRENT)));
    }
    return b.build();
  }

  private static IdentityConfig randomIdentity(Random r, String id) {
    IdentityConfig.Builder i = IdentityConfig.builder();
    if (r.nextBoolean()) {
      String pool = "eu-west-1_" + id.replace("-", "");
      i.userPoolId(pool).region("eu-west-1");
      if (r.nextBoolean()) {
        i.issuer("https://cognito-idp.eu-west-1.amazonaws.com/" + pool);
      }
    } else {
      i.issuer(pick(r, List.of("https://", "http://localhost:9229/", "http://[::1]:8080/")) + id + ".example/x");
    }
    if (r.nextInt(4) == 0) {
      i.anyClient(true);
    } else {
      i.appClientIds(id.replace("-", "_") + "c1", id.replace("-", "_") + "c2");
    }
    if (r.nextBoolean()) {
      i.audience("api://" + id);
    }
    if (r.nextBoolean()) {
      i.tenantClaim(pick(r, List.of("custom:org", "tenant", "https.claim")));
    }
    if (r.nextBoolean()) {
      i.groupClaim(pick(r, List.of("groups", "cognito:groups", "roles")));
    }
    i.sharedIssuer(r.nextBoolean());
    if (r.nextBoolean()) {
      i.jwksUri("https://" + id + ".example/keys");
    }
    if (r.nextBoolean()) {
      i.federation(new Federation(pick(r, List.of("Okta", "Entra-ID", "g")), pick(r, List.of(ProviderType.values())),
          r.nextBoolean() ? URI.create("https://" + id + ".okta.com/metadata") : null));
    }
    return i.build();
  }

  private static StorageConfig randomStorage(Random r, String id) {
    StorageLayout layout = pick(r, List.of(StorageLayout.values()));
    StorageConfig.Builder s = StorageConfig.builder().layout(layout);
    switch (layout) {
      case BUCKET:
        s.bucket("tenantkit-" + id);
        break;
      case PREFIX:
        s.bucket("shared-" + id).prefix(pick(r, List.of("tenants/", "data/x=1/")) + id + "/");
        break;
      default:
        s.accessPointArn("arn:aws:s3:eu-west-1:111122223333:accesspoint/" + id);
        if (r.nextBoolean()) {
          s.bucket("ap-" + id);
        }
    }
    if (r.nextBoolean()) {
      s.region("eu-west-1");
    }
    if (r.nextBoolean()) {
      s.kmsKeyArn("arn:aws:kms:eu-west-1:111122223333:key/" + id);
    }
    if (r.nextBoolean()) {
      s.roleArn("arn:aws:iam::111122223333:role/" + id);
    }
    return s.build();
  }

  private static DatabaseConfig randomDatabase(Random r, String id) {
    DatabaseEngine engine = pick(r, List.of(DatabaseEngine.values()));
    IsolationMode isolation = engine == DatabaseEngine.POSTGRESQL ? pick(r, List.of(IsolationMode.values()))
        : pick(r, List.of(IsolationMode.SILO, IsolationMode.BRIDGE));
    String name = id.replace("-", "_");
    DatabaseConfig.Builder d = DatabaseConfig.builder().engine(engine).isolation(isolation)
        .host(pick(r, List.of(id + ".db.example.com", "10.1.2.3", "[fd00::1]"))).database(name).user("u_" + name);
    if (r.nextBoolean()) {
      d.port(1 + r.nextInt(65535));
    }
    if (isolation == IsolationMode.BRIDGE || r.nextBoolean()) {
      d.schema("s_" + name);
    }
    CredentialsSource credentials = pick(r, List.of(CredentialsSource.values()));
    d.credentials(credentials);
    if (credentials == CredentialsSource.IAM || r.nextBoolean()) {
      d.region("eu-west-1");
    }
    if (credentials == CredentialsSource.SECRET) {
      d.secretArn("arn:aws:secretsmanager:eu-west-1:111122223333:secret:" + id);
    }
    if (credentials == CredentialsSource.STATIC) {
      d.password(text(r) + "x");
    }
    return d.build();
  }
}
