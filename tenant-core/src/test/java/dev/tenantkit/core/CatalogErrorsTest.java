package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Catalog errors name the line and the field path the operator has to fix, and nothing more. */
class CatalogErrorsTest {
  /** One tenant; its fields after {@code tier} start on line 6. */
  private static final String CATALOG = """
      {
        "tenants": [
          {
            "id": "acme",
            "tier": "basic",
            %s
          }
        ]
      }
      """;

  static Stream<Arguments> refusals() {
    return Stream.of(
        // A misspelt required field is named as unknown, not reported as the field it meant.
        Arguments.of("\"storage\": {\n\"layuot\": \"BUCKET\", \"bucket\": \"tenantkit-acme\"}",
            "tenants[0].storage.layuot", 7, "unknown field (allowed here: layout, bucket,"),
        // A record section that names its fields with its own prefix is not reported twice over.
        Arguments.of("\"identity\": {\"issuer\": \"https://idp.example.com/x\", \"appClientIds\": [\"c1\"],\n"
            + "\"federation\": {\"providerType\": \"SAML\",\n\"providerName\": \"has spaces\"}}",
            "tenants[0].identity.federation.providerName", 8, "without spaces"),
        Arguments.of("\"identity\": {\"issuer\": \"https://idp.example.com/x\", \"appClientIds\": [\"c1\"],"
            + " \"federation\": {\"providerType\": \"SAML\", \"providerName\": \"Okta\", \"metadataUrl\": \"https://a b/\"}}",
            "tenants[0].identity.federation.metadataUrl", 6, "must be a URI"),
        // A rule of the whole record is reported at the field it names, with that field's line.
        Arguments.of("\"storage\": {\"layout\": \"PREFIX\", \"bucket\": \"shared\",\n\"prefix\": \"tenants/globex/\"}",
            "tenants[0].storage.prefix", 7, "must contain the tenant id acme"),
        Arguments.of("\"database\": {\"isolation\": \"SILO\", \"host\": \"db\", \"database\": \"acme\", \"user\": \"app\","
            + " \"credentials\": \"STATIC\", \"password\": [\"hunter2-secret\"]}",
            "tenants[0].database.password", 6, "must be a string, was an array"),
        // Limits: each bound named with its range, the rule between two at the field it names.
        Arguments.of("\"limits\": {\"requestsPerSecond\": 10,\n\"burst\": 5, \"maxConcurrentRequests\": 4}",
            "tenants[0].limits.burst", 7, "must be at least requestsPerSecond (10), was 5"),
        Arguments.of("\"limits\": {\"requestsPerSecond\": 0, \"burst\": 5, \"maxConcurrentRequests\": 4}",
            "tenants[0].limits.requestsPerSecond", 6, "must be between 1 and 100000 (was 0)"),
        Arguments.of("\"limits\": {\"requestsPerSecond\": 10, \"burst\": 50,\n\"maxConcurrentRequests\": 99999999999}",
            "tenants[0].limits.maxConcurrentRequests", 7, "is out of range"),
        Arguments.of("\"limits\": {\"requestsPerSecond\": 10, \"burst\": 50}",
            "tenants[0].limits.maxConcurrentRequests", 6, "required"));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void read_whenRefused_namesFieldAndLine_neverTheValueOfASecret(String fields, String field, int line,
      String problem) {
    assertThatThrownBy(() -> TenantCatalog.fromJson(CATALOG.formatted(fields), "catalog.json"))
        .isInstanceOfSatisfying(CatalogLoadException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.line()).isEqualTo(line);
        })
        .hasMessageContaining(problem)
        .hasMessageNotContaining("hunter2");
  }
}
