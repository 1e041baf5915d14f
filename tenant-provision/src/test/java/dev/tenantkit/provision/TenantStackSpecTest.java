package dev.tenantkit.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantStackSpecTest {

  @Test
  void build_reportsEveryProblemAtOnce_eachNamingItsField() {
    assertThatThrownBy(() -> TenantStackSpec.builder().tenant("Acme!").tier("gold").region("europe")
        .availabilityZones(4).capacity(5, 2).appPort(80).certificateArn("not-an-arn").instanceType("big")
        .tag("aws:owner", "x").build())
        .isInstanceOfSatisfying(InvalidStackSpecException.class, e -> {
          assertThat(e.problems()).hasSize(9);
          assertThat(e.problems()).anyMatch(p -> p.startsWith("tenant: "));
          assertThat(e.problems()).anyMatch(p -> p.startsWith("tier: must be one of basic, standard, premium"));
          assertThat(e.problems()).anyMatch(p -> p.startsWith("region: "));
          assertThat(e.problems()).anyMatch(p -> p.startsWith("availabilityZones: must be 2 or 3"));
          assertThat(e.problems()).anyMatch(p -> p.startsWith("capacity: "));
          assertThat(e.problems()).anyMatch(p -> p.startsWith("appPort: "));
          assertThat(e.problems()).anyMatch(p -> p.startsWith("certificateArn: "));
          assertThat(e.problems()).anyMatch(p -> p.startsWith("instanceType: "));
          assertThat(e.problems()).anyMatch(p -> p.startsWith("tag \"aws:owner\""));
          assertThat(e.getMessage()).startsWith("invalid tenant stack spec:");
        });
  }

  @Test
  void certificate_fromAnotherRegion_isRefused() {
    assertThatThrownBy(() -> Synth.spec("basic").region("us-east-1").build())
        .isInstanceOf(InvalidStackSpecException.class).hasMessageContaining("is in eu-west-1 but the stack is in us-east-1");
  }

  @Test
  void okta_urlAndFile_areExclusive_andTheFileMustBeSamlMetadata() throws Exception {
    Path notSaml = Files.createTempFile("okta", ".xml");
    Files.writeString(notSaml, "<html>login</html>");
    assertThatThrownBy(() -> Synth.spec("basic").oktaMetadataFile(notSaml).build())
        .hasMessageContaining("oktaMetadataFile").hasMessageContaining("EntityDescriptor");
    assertThatThrownBy(() -> Synth.spec("basic").oktaMetadataUrl("http://insecure.example.com/m")
        .build()).hasMessageContaining("oktaMetadataUrl: must be an https URL");
    assertThatThrownBy(() -> Synth.spec("basic").oktaMetadataUrl("https://a.okta.com/m").oktaMetadataFile(notSaml)
        .build()).hasMessageContaining("give one, not both");
  }

  @Test
  void identity_oktaWithoutACallbackUrl_badUrls_andReservedDomainWords_areRefusedNamingTheField() {
    assertThatThrownBy(() -> Synth.spec("basic").oktaMetadataUrl("https://a.okta.com/m").build())
        .isInstanceOf(InvalidStackSpecException.class).hasMessageContaining("callbackUrls: required with Okta");
    assertThatThrownBy(() -> Synth.spec("basic").callbackUrls(List.of("http://acme.example.com/cb"))
        .logoutUrls(List.of("https://acme.example.com/out#x")).build())
        .isInstanceOfSatisfying(InvalidStackSpecException.class, e -> assertThat(e.problems()).satisfiesExactly(
            p -> assertThat(p).startsWith("callbackUrls: ").contains("https"),
            p -> assertThat(p).startsWith("logoutUrls: ").contains("fragment")));
    // "lawson" contains "aws", which Cognito refuses in a domain prefix.
    assertThatThrownBy(() -> Synth.spec("basic").tenant("lawson").build())
        .hasMessageContaining("cognitoDomainPrefix: the default tenantkit-lawson").hasMessageContaining("\"aws\"");
    assertThat(Synth.spec("basic").tenant("lawson").cognitoDomainPrefix("lwsn-login").build().cognitoDomainPrefix())
        .isEqualTo("lwsn-login");
  }

  @Test
  void databaseName_isValidForRds_forIdsThatStartWithADigit_uuids_andReservedWords() {
    for (String id : List.of("acme", "acme-corp", "7eleven", "3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f",
        "abcdef12-9d4a-4b6e-8f00-1a2b3c4d5e6f", "user", "current-user", "table", "postgres")) {
      String name = Synth.spec("basic").tenant(id).build().databaseName();
      assertThat(name).as(id).matches("[a-z][a-z0-9_]{0,62}")
          .isNotIn("user", "current_user", "table", "postgres");
    }
    // Unchanged for ids that were valid already (no database is replaced by an upgrade).
    assertThat(Synth.spec("basic").tenant("acme-corp").build().databaseName()).isEqualTo("acme_corp");
    assertThat(Synth.spec("basic").tenant("7eleven").build().databaseName()).isEqualTo("tenant__7eleven");
    // Distinct ids, distinct names, even where a prefix is added.
    assertThat(Synth.spec("basic").tenant("tenant-7eleven").build().databaseName()).isEqualTo("tenant_7eleven");
  }

  @Test
  void defaults_comeFromTheTier_andAzNamesAreDerivedNotLookedUp() {
    TenantStackSpec spec = Synth.spec("premium").availabilityZones(3).build();
    assertThat(spec.instanceType()).isEqualTo(TierPresets.PREMIUM.instanceType());
    assertThat(spec.minCapacity()).isEqualTo(TierPresets.PREMIUM.minCapacity());
    assertThat(spec.availabilityZoneNames()).containsExactly("eu-west-1a", "eu-west-1b", "eu-west-1c");
    assertThat(spec.stackName()).isEqualTo("tenantkit-acme");
  }

  @Test
  void registryAndService_badValues_areRefusedNamingTheField() {
    assertThatThrownBy(() -> Synth.spec("basic").registryTable("no spaces").registryRegion("moon").build())
        .isInstanceOfSatisfying(InvalidStackSpecException.class, e -> assertThat(e.problems()).satisfiesExactlyInAnyOrder(
            p -> assertThat(p).startsWith("registryTable: "), p -> assertThat(p).startsWith("registryRegion: ")));
    assertThatThrownBy(() -> Synth.spec("basic").service("s3://bucket/app.jar", null).build())
        .hasMessageContaining("give both the artifact and its start command");
    assertThatThrownBy(() -> Synth.spec("basic").service("https://example.com/app.jar", "java -jar app.jar").build())
        .hasMessageContaining("the artifact must be s3://bucket/key");
    assertThatThrownBy(() -> Synth.spec("basic").service("s3://bucket/dir/", "java -jar app.jar").build())
        .hasMessageContaining("with a file name at the end");
    // A * would be a wildcard in the role's s3:GetObject; dot segments name no one object.
    assertThatThrownBy(() -> Synth.spec("basic").service("s3://bucket/*/app.jar", "java -jar app.jar").build())
        .hasMessageContaining("the artifact must be s3://bucket/key");
    assertThatThrownBy(() -> Synth.spec("basic").service("s3://bucket/releases/../app.jar", "java -jar app.jar").build())
        .hasMessageContaining("the artifact must be s3://bucket/key");
    assertThatThrownBy(() -> Synth.spec("basic").service("s3://bucket/releases/..", "java -jar app.jar").build())
        .hasMessageContaining("the artifact must be s3://bucket/key");
    // A quote would end the systemd unit's sh -c '...'; a newline would start a new directive.
    assertThatThrownBy(() -> Synth.spec("basic").service("s3://bucket/app.jar", "java -jar app.jar'; rm -rf /'").build())
        .hasMessageContaining("without a single quote");
    assertThatThrownBy(() -> Synth.spec("basic").service("s3://bucket/app.jar", "java\nExecStartPre=/bin/evil").build())
        .hasMessageContaining("printable ASCII");
    assertThatThrownBy(() -> Synth.spec("basic").serviceAmi("ami-xyz").build()).hasMessageContaining("serviceAmi: ");
    assertThatThrownBy(() -> Synth.spec("basic").serviceAmi("ami-0123456789abcdef0")
        .service("s3://bucket/app.jar", "java -jar app.jar").build()).hasMessageContaining("give one, not both");
  }

  @Test
  void registryRegion_defaultsToTheStacks() {
    TenantStackSpec spec = Synth.spec("basic").registryTable("tenantkit-tenants").build();
    assertThat(spec.registryRegion()).isEqualTo("eu-west-1");
    assertThat(spec.registryTable()).contains("tenantkit-tenants");
    assertThat(Synth.spec("basic").registryTable("t-1").registryRegion("us-east-1").build().registryRegion())
        .isEqualTo("us-east-1");
    assertThat(spec.disposable().registryTable()).contains("tenantkit-tenants");
  }
}
