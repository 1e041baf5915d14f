package dev.tenantkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What publishing needs, read from the poms themselves: every published module is in tenant-bom
 * (CONVENTIONS 13), attaches sources and Javadoc, and carries the licence, URL, developers and
 * SCM. The modules inherit those from tenant-dependencies; tenant-bom is not a child (importing it
 * must bring nothing but versions), so it repeats them, and this test keeps the two copies equal.
 */
class PublishedPomsTest {
  private static final Path ROOT = Path.of("..");

  private static Document pom(String module) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(ROOT.resolve(module).resolve("pom.xml").toFile());
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + module + "/pom.xml", e);
    }
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
  }

  private static String property(Document pom, String name) {
    List<Element> properties = children(pom.getDocumentElement(), "properties");
    return properties.isEmpty() ? "" : text(properties.get(0), name);
  }

  /** The root's modules that are deployed: neither the root itself nor those that skip deployment. */
  private static Set<String> publishedModules() {
    Set<String> published = new TreeSet<>();
    Element modules = children(pom(".").getDocumentElement(), "modules").get(0);
    for (Element module : children(modules, "module")) {
      Document pom = pom(module.getTextContent().trim());
      if (!"true".equals(property(pom, "maven.deploy.skip"))) {
        published.add(text(pom.getDocumentElement(), "artifactId"));
      }
    }
    return published;
  }

  /** A publishing element as text with its attributes, whitespace squashed, for comparison. */
  private static String metadata(Document pom, String name) {
    List<Element> found = children(pom.getDocumentElement(), name);
    assertThat(found).as("<%s> in %s", name, pom.getDocumentURI()).hasSize(1);
    Element e = found.get(0);
    StringBuilder attributes = new StringBuilder();
    for (int i = 0; i < e.getAttributes().getLength(); i++) {
      attributes.append(e.getAttributes().item(i)).append(' ');
    }
    return attributes + e.getTextContent().replaceAll("\\s+", " ").trim();
  }

  @Test
  void tenantBom_listsEveryPublishedModule() {
    Set<String> listed = new TreeSet<>();
    Element management = children(pom("tenant-bom").getDocumentElement(), "dependencyManagement").get(0);
    for (Element dependency : children(children(management, "dependencies").get(0), "dependency")) {
      listed.add(text(dependency, "artifactId"));
    }
    Set<String> expected = new TreeSet<>(publishedModules());
    expected.remove("tenant-bom");
    assertThat(expected).contains("tenant-core", "tenant-auth", "tenant-storage", "tenant-db", "tenant-provision",
        "tenant-provision-cli", "tenant-testkit", "tenant-dependencies");
    assertThat(listed).isEqualTo(expected);
  }

  @Test
  void publishedJarModules_attachSourcesAndJavadoc() {
    for (String module : publishedModules()) {
      Document pom = pom(module);
      assertThat(property(pom, "maven.source.skip")).as(module).isNotEqualTo("true");
      assertThat(property(pom, "maven.javadoc.skip")).as(module).isNotEqualTo("true");
    }
    String root = metadata(pom("."), "build");
    assertThat(root).contains("maven-source-plugin").contains("jar-no-fork")
        .contains("maven-javadoc-plugin").contains("attach-javadocs");
  }

  @Test
  void tenantBom_carriesTheSamePublishingMetadataAsTheParent() {
    Document parent = pom("tenant-dependencies");
    Document bom = pom("tenant-bom");
    for (String name : List.of("url", "licenses", "developers", "scm")) {
      assertThat(metadata(bom, name)).as("<%s>", name).isEqualTo(metadata(parent, name));
    }
    assertThat(metadata(parent, "licenses")).contains("Apache License, Version 2.0");
    assertThat(metadata(parent, "scm")).contains("https://github.com/tenantkit/tenantkit");
  }

  @Test
  void everyPublishedModule_inheritsTheMetadataFromTenantDependencies() {
    // The root's parent is tenant-dependencies, and every other published module's parent is the root.
    Element rootParent = children(pom(".").getDocumentElement(), "parent").get(0);
    assertThat(text(rootParent, "artifactId")).isEqualTo("tenant-dependencies");
    for (String module : publishedModules()) {
      if (module.equals("tenant-bom") || module.equals("tenant-dependencies")) {
        continue;
      }
      Element parent = children(pom(module).getDocumentElement(), "parent").get(0);
      assertThat(text(parent, "artifactId")).as(module).isEqualTo("tenantkit-parent");
      for (String name : List.of("url", "licenses", "developers", "scm")) {
        assertThat(children(pom(module).getDocumentElement(), name)).as("%s overrides <%s>", module, name).isEmpty();
      }
    }
  }

  @Test
  void license_isTheApacheLicense2() throws IOException {
    String license = Files.readString(ROOT.resolve("LICENSE"));
    assertThat(license).contains("Apache License").contains("Version 2.0, January 2004")
        .contains("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION")
        .contains("END OF TERMS AND CONDITIONS");
  }
}
