package dev.tenantkit.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
  void defaults_comeFromTheTier_andAzNamesAreDerivedNotLookedUp() {
    TenantStackSpec spec = Synth.spec("premium").availabilityZones(3).build();
    assertThat(spec.instanceType()).isEqualTo(TierPresets.PREMIUM.instanceType());
    assertThat(spec.minCapacity()).isEqualTo(TierPresets.PREMIUM.minCapacity());
    assertThat(spec.availabilityZoneNames()).containsExactly("eu-west-1a", "eu-west-1b", "eu-west-1c");
    assertThat(spec.stackName()).isEqualTo("tenantkit-acme");
  }
}
