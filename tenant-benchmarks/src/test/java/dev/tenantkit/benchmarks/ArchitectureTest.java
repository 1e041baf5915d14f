package dev.tenantkit.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Module boundaries, checked on the compiled classes of every TenantKit module on this
 * module's class path (this module depends on all of them).
 */
class ArchitectureTest {
  /** dev.tenantkit.&lt;module&gt;[.internal][...] */
  private static final Pattern PACKAGE = Pattern.compile("dev\\.tenantkit\\.([a-z0-9]+)(\\.internal)?(\\..*)?");

  static JavaClasses production;

  @BeforeAll
  static void importClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.tenantkit");
  }

  static String module(String packageName) {
    Matcher m = PACKAGE.matcher(packageName);
    return m.matches() ? m.group(1) : "";
  }

  static boolean isInternal(String packageName) {
    Matcher m = PACKAGE.matcher(packageName);
    return m.matches() && m.group(2) != null;
  }

  /** No class uses another module's {@code .internal} package (CONVENTIONS.md rule 1). */
  static final ArchRule NO_FOREIGN_INTERNALS = classes()
      .that().resideInAPackage("dev.tenantkit..")
      .should(new ArchCondition<JavaClass>("not use another module's internal packages") {
        @Override
        public void check(JavaClass item, ConditionEvents events) {
          String own = module(item.getPackageName());
          for (Dependency d : item.getDirectDependenciesFromSelf()) {
            String target = d.getTargetClass().getPackageName();
            if (isInternal(target) && !module(target).equals(own)) {
              events.add(SimpleConditionEvent.violated(d, d.getDescription()));
            }
          }
        }
      });

  @Test
  void modules_useNoOtherModulesInternals() {
    assertThat(production.stream().map(c -> module(c.getPackageName())).distinct())
        .as("modules imported").contains("core", "auth", "storage", "db", "registry", "provision", "testkit", "benchmarks");
    NO_FOREIGN_INTERNALS.check(production);
  }

  @Test
  void rule_whenAClassReachesIntoCoreInternals_fails() {
    JavaClasses fixture = new ClassFileImporter().importPackages("dev.tenantkit.archfixture");
    assertThatThrownBy(() -> NO_FOREIGN_INTERNALS.check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("UsesCoreInternals")
        .hasMessageContaining("dev.tenantkit.core.internal.SafeText");
  }

  @Test
  void core_dependsOnNoOtherTenantKitModule() {
    noClasses().that().resideInAPackage("dev.tenantkit.core..")
        .should().dependOnClassesThat(DescribedPredicate.describe("are in another TenantKit module",
            c -> c.getPackageName().startsWith("dev.tenantkit.")
                && !c.getPackageName().startsWith("dev.tenantkit.core")))
        .check(production);
  }

  /**
   * tenant-core's context flows one way: {@code TenantContext} (API) calls {@code ContextFrames}
   * and the propagating wrappers (internal), which never call back up into it.
   */
  @Test
  void coreInternals_neverCallBackUpIntoTenantContext() {
    noClasses().that().resideInAPackage("dev.tenantkit.core.internal..")
        .should().dependOnClassesThat().haveFullyQualifiedName("dev.tenantkit.core.TenantContext")
        .check(production);
  }

  /** The modules that meet only through core's tenant record (DESIGN.md). */
  static final java.util.Set<String> FEATURE_MODULES = java.util.Set.of("auth", "storage", "db", "provision");

  /** Feature module of a package, also under {@code root} (so the rule can be self-tested). */
  static String featureModule(String root, String packageName) {
    if (!packageName.startsWith(root + ".")) {
      return "";
    }
    String rest = packageName.substring(root.length() + 1);
    String first = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
    return FEATURE_MODULES.contains(first) ? first : "";
  }

  static ArchRule featureModulesIndependent(String root) {
    return classes().that().resideInAPackage(root + "..")
        .should(new ArchCondition<JavaClass>("not depend on another feature module") {
          @Override
          public void check(JavaClass item, ConditionEvents events) {
            String own = featureModule(root, item.getPackageName());
            if (own.isEmpty()) {
              return;
            }
            for (Dependency d : item.getDirectDependenciesFromSelf()) {
              String target = featureModule(root, d.getTargetClass().getPackageName());
              if (!target.isEmpty() && !target.equals(own)) {
                events.add(SimpleConditionEvent.violated(d, d.getDescription()));
              }
            }
          }
        });
  }

  @Test
  void featureModules_neverDependOnEachOther() {
    featureModulesIndependent("dev.tenantkit").check(production);
  }

  @Test
  void featureRule_whenAuthCallsDb_fails() {
    JavaClasses fixture = new ClassFileImporter().importPackages("dev.tenantkit.archfixture");
    assertThatThrownBy(() -> featureModulesIndependent("dev.tenantkit.archfixture").check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("AuthFixture")
        .hasMessageContaining("DbFixture");
  }
}
