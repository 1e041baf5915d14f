package dev.tenantkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module descriptors of the published jars, on the module path, where they take effect: core,
 * auth, storage and db export only their API packages (core's {@code spi} only to TenantKit's own
 * modules), so an application module cannot compile against {@code internal} classes nor reach
 * them by reflection; testkit, provision and provision-cli carry a stable Automatic-Module-Name.
 * And the limit, stated as a test: on the class path (where this test itself runs, like a Spring
 * Boot jar or a Lambda) the JVM ignores the descriptors. An integration test because it reads the
 * packaged jars (docs/modules.md).
 */
class ModuleBoundaryIntegrationTest {
  /** The TenantKit modules on this test's class path, by module name: jars, as packaged. */
  static Map<String, ModuleReference> modules = new LinkedHashMap<>();
  static Map<String, Path> locations = new LinkedHashMap<>();

  @BeforeAll
  static void findModules() {
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (!Files.isRegularFile(path) || !entry.endsWith(".jar")) {
        continue;
      }
      try {
        for (ModuleReference ref : ModuleFinder.of(path).findAll()) {
          String name = ref.descriptor().name();
          if (!modules.containsKey(name)) { // first on the class path wins, as for classes
            modules.put(name, ref);
            locations.put(name, path);
          }
        }
      } catch (FindException e) {
        // Not usable as a module at all (S3Proxy's jar names a service provider it lacks): such a
        // jar can only ever be on the class path.
      }
    }
  }

  private static ModuleDescriptor descriptor(String name) {
    assertThat(modules).as("module %s on the class path (as a jar)", name).containsKey(name);
    return modules.get(name).descriptor();
  }

  private static Set<String> unqualifiedExports(ModuleDescriptor d) {
    return d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void libraryModules_exportTheirApiPackagesAndNothingElse() {
    Map<String, Set<String>> api = Map.of(
        "dev.tenantkit.core", Set.of("dev.tenantkit.core", "dev.tenantkit.core.lambda", "dev.tenantkit.core.servlet"),
        "dev.tenantkit.auth", Set.of("dev.tenantkit.auth"),
        "dev.tenantkit.storage", Set.of("dev.tenantkit.storage"),
        "dev.tenantkit.db", Set.of("dev.tenantkit.db"),
        "dev.tenantkit.registry", Set.of("dev.tenantkit.registry"));
    for (Map.Entry<String, Set<String>> m : api.entrySet()) {
      ModuleDescriptor d = descriptor(m.getKey());
      assertThat(d.isAutomatic()).as(m.getKey()).isFalse();
      assertThat(unqualifiedExports(d)).as("%s exports", m.getKey()).isEqualTo(new TreeSet<>(m.getValue()));
      // Every other package is sealed: internal, or core's tier for TenantKit's modules.
      Set<String> sealed = new TreeSet<>(d.packages());
      sealed.removeAll(m.getValue());
      assertThat(sealed).as("%s packages not exported", m.getKey())
          .allSatisfy(p -> assertThat(p.contains(".internal") || p.equals("dev.tenantkit.core.spi")).as(p).isTrue());
    }
    ModuleDescriptor.Exports spi = descriptor("dev.tenantkit.core").exports().stream()
        .filter(e -> e.source().equals("dev.tenantkit.core.spi")).findFirst().orElseThrow();
    assertThat(spi.targets()).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("dev.tenantkit."));
    assertThat(descriptor("dev.tenantkit.core").packages()).contains("dev.tenantkit.core.internal");
    assertThat(descriptor("dev.tenantkit.db").packages()).contains("dev.tenantkit.db.internal");
    assertThat(descriptor("dev.tenantkit.registry").packages()).contains("dev.tenantkit.registry.internal");
  }

  @Test
  void otherPublishedJars_haveAStableAutomaticModuleName() {
    for (String name : List.of("dev.tenantkit.testkit", "dev.tenantkit.provision")) {
      ModuleDescriptor d = descriptor(name);
      assertThat(d.isAutomatic()).as(name).isTrue();
      // Not derived from the file name (that would be tenant.testkit, tenant.provision).
      assertThat(locations.get(name).getFileName().toString()).startsWith(name.replace("dev.tenantkit.", "tenant-"));
    }
  }

  /** The modules {@code roots} need, by their descriptors' requires. */
  private static List<Path> modulePath(String... roots) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(roots));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!seen.add(name) || ModuleFinder.ofSystem().find(name).isPresent()) {
        continue;
      }
      for (ModuleDescriptor.Requires r : descriptor(name).requires()) {
        // A static requires is optional: followed when the jar is there (jspecify's annotations,
        // which a module compiling against TenantKit reads through requires static transitive).
        if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC) || modules.containsKey(r.name())) {
          todo.add(r.name());
        }
      }
    }
    List<Path> path = new ArrayList<>();
    for (String name : seen) {
      if (locations.containsKey(name)) {
        path.add(locations.get(name));
      }
    }
    return path;
  }

  /** Compiles module {@code app} (its module-info and one class) on the module path; returns the errors. */
  private static List<String> compileApp(Path dir, String appClass) throws IOException {
    Path src = dir.resolve("src/app");
    Files.createDirectories(src.resolve("app"));
    Files.writeString(src.resolve("module-info.java"),
        "module app { requires dev.tenantkit.auth; requires dev.tenantkit.storage; requires dev.tenantkit.db; }");
    Files.writeString(src.resolve("app/App.java"), appClass);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      String modulePath = modulePath("dev.tenantkit.auth", "dev.tenantkit.storage", "dev.tenantkit.db").stream()
          .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
      List<String> options = List.of("--module-path", modulePath, "-d", dir.resolve("out").toString(),
          "-proc:none", "-Xlint:-options");
      javac.getTask(null, files, diagnostics, options, null,
          files.getJavaFileObjects(src.resolve("module-info.java"), src.resolve("app/App.java"))).call();
    }
    return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> d.getMessage(null)).toList();
  }

  @Test
  void applicationModule_compilesAgainstTheApi(@TempDir Path dir) throws IOException {
    assertThat(compileApp(dir, """
        package app;
        public class App {
          static final Class<?>[] API = {dev.tenantkit.db.TenantDataSource.class,
              dev.tenantkit.auth.TenantTokenVerifier.class, dev.tenantkit.storage.TenantStorageClient.class};
          static Object tenant() { return dev.tenantkit.core.TenantId.of("acme"); }
        }
        """)).isEmpty();
  }

  /** A top-level class of {@code pkg} in module {@code module}'s jar (whichever: javac refuses the package). */
  private static String aClassIn(String module, String pkg) throws IOException {
    try (var reader = modules.get(module).open(); var names = reader.list()) {
      String prefix = pkg.replace('.', '/') + "/";
      return names.filter(n -> n.startsWith(prefix) && n.endsWith(".class") && !n.contains("$")
              && n.indexOf('/', prefix.length()) < 0 && !n.endsWith("package-info.class"))
          .sorted().findFirst().map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .orElseThrow(() -> new AssertionError("no class in " + pkg));
    }
  }

  @Test
  void applicationModule_cannotCompileAgainstInternals(@TempDir Path dir) throws IOException {
    Map<String, String> sealed = new LinkedHashMap<>();
    sealed.put("dev.tenantkit.db.internal", "dev.tenantkit.db");
    sealed.put("dev.tenantkit.auth.internal", "dev.tenantkit.auth");
    sealed.put("dev.tenantkit.storage.internal", "dev.tenantkit.storage");
    sealed.put("dev.tenantkit.core.internal", "dev.tenantkit.core");
    sealed.put("dev.tenantkit.core.spi", "dev.tenantkit.core");
    StringBuilder literals = new StringBuilder();
    for (Map.Entry<String, String> e : sealed.entrySet()) {
      literals.append(aClassIn(e.getValue(), e.getKey())).append(".class, ");
    }
    List<String> errors = compileApp(dir, "package app;\npublic class App {\n  static final Class<?>[] INTERNALS = {"
        + literals + "};\n}\n");
    for (String p : sealed.keySet()) {
      assertThat(errors).as("errors: %s", errors).anySatisfy(e -> assertThat(e).contains("package " + p + " is not visible"));
    }
  }

  @Test
  void onTheModulePath_coreInternalsRefuseReflection_theApiDoesNot() throws Exception {
    // A layer of tenant-core and what it requires, as an application on the module path has it.
    ModuleFinder finder = ModuleFinder.of(modulePath("dev.tenantkit.core").toArray(Path[]::new));
    Configuration config = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of("dev.tenantkit.core"));
    ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());
    ClassLoader loader = layer.findLoader("dev.tenantkit.core");

    Class<?> tenantId = loader.loadClass("dev.tenantkit.core.TenantId");
    assertThat(tenantId.getModule().getName()).isEqualTo("dev.tenantkit.core");
    assertThat(tenantId.getMethod("of", String.class).invoke(null, "acme")).hasToString("acme");

    Class<?> safeText = loader.loadClass("dev.tenantkit.core.internal.SafeText");
    Method quote = safeText.getMethod("quote", String.class);
    assertThatThrownBy(() -> quote.invoke(null, "x")).isInstanceOf(IllegalAccessException.class)
        .hasMessageContaining("does not export dev.tenantkit.core.internal");
    assertThatThrownBy(() -> quote.setAccessible(true)).isInstanceOf(InaccessibleObjectException.class);
  }

  @Test
  void onTheClassPath_theDescriptorsDoNotApply() throws Exception {
    // The limit of the sealing: here, as in a Spring Boot jar or a Lambda, every class is in the
    // unnamed module and a public internal class is as reachable as any other.
    Class<?> safeText = Class.forName("dev.tenantkit.core.internal.SafeText");
    assertThat(safeText.getModule().isNamed()).isFalse();
    assertThat(safeText.getMethod("quote", String.class).invoke(null, "x")).isNotNull();
  }
}
