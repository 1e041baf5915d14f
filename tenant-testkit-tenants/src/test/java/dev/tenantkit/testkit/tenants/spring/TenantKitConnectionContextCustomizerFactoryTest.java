package dev.tenantkit.testkit.tenants.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.testkit.tenants.LocalTenantKit;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Which fields the factory takes, and the mistakes it names (no kit is started here). */
class TenantKitConnectionContextCustomizerFactoryTest {
  final TenantKitConnectionContextCustomizerFactory factory = new TenantKitConnectionContextCustomizerFactory();

  static class None {}

  static class One {
    @TenantKitConnection
    static LocalTenantKit kit = LocalTenantKit.create().silo("acme");
  }

  static class Inherits extends One {}

  static class Two {
    @TenantKitConnection
    static LocalTenantKit a = LocalTenantKit.create();
    @TenantKitConnection
    static LocalTenantKit b = LocalTenantKit.create();
  }

  static class NotStatic {
    @TenantKitConnection
    LocalTenantKit kit = LocalTenantKit.create();
  }

  static class WrongType {
    @TenantKitConnection
    static String kit = "acme";
  }

  static class Outer {
    @TenantKitConnection
    static LocalTenantKit kit = LocalTenantKit.create();

    @Nested
    class In {}
  }

  @Test
  void aClassWithoutTheAnnotation_getsNoCustomizer() {
    assertThat(factory.createContextCustomizer(None.class, List.of())).isNull();
  }

  @Test
  void theField_isFoundOnTheSuperclassToo_butASubclassGetsAContextOfItsOwn() {
    var own = factory.createContextCustomizer(One.class, List.of());
    var inherited = factory.createContextCustomizer(Inherits.class, List.of());
    assertThat(inherited).isNotNull();
    // Testcontainers restarts a superclass's @Container field for each subclass, on new ports: a
    // context cached for One would point at stopped servers.
    assertThat(own).isNotNull().isNotEqualTo(inherited);
    assertThat(own).isEqualTo(factory.createContextCustomizer(One.class, List.of()))
        .hasSameHashCodeAs(factory.createContextCustomizer(One.class, List.of()));
  }

  @Test
  void mistakes_areNamed() {
    assertThatThrownBy(() -> factory.createContextCustomizer(Two.class, List.of()))
        .hasMessageContaining("2 @TenantKitConnection fields");
    assertThatThrownBy(() -> factory.createContextCustomizer(NotStatic.class, List.of()))
        .hasMessageContaining("NotStatic.kit must be static");
    assertThatThrownBy(() -> factory.createContextCustomizer(WrongType.class, List.of()))
        .hasMessageContaining("must be a LocalTenantKit, was String");
  }

  @Test
  void aNestedClass_usesItsEnclosingClassesField() {
    assertThat(factory.createContextCustomizer(Outer.In.class, List.of())).isNotNull()
        .isEqualTo(factory.createContextCustomizer(Outer.class, List.of()));
  }
}
