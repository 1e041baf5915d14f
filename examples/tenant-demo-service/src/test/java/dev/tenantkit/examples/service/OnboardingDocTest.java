package dev.tenantkit.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.core.TenantCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/onboarding.md true: every Java snippet must appear (whitespace aside) in compiled
 * source of the examples, the JSON must be a valid catalog, every artifact in the XML must be in
 * tenant-bom, and the run command must be the README's.
 */
class OnboardingDocTest {
  private static final Path ROOT = Path.of("../..");
  private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);

  private static List<String[]> blocks() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/onboarding.md"));
    List<String[]> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(doc);
    while (m.find()) {
      out.add(new String[] {m.group(1), m.group(2)});
    }
    return out;
  }

  private static String squash(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }

  @Test
  void javaSnippets_areCopiedFromCompiledExamples() throws IOException {
    String sources;
    try (Stream<Path> files = Files.walk(ROOT.resolve("examples"))) {
      sources = files.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/target/"))
          .map(p -> {
            try {
              return squash(Files.readString(p));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }).collect(Collectors.joining("\n"));
    }
    List<String[]> java = blocks().stream().filter(b -> b[0].equals("java")).toList();
    assertThat(java).hasSizeGreaterThanOrEqualTo(6);
    for (String[] b : java) {
      assertThat(sources).as("snippet not found in examples/:%n%s", b[1]).contains(squash(b[1]));
    }
  }

  @Test
  void jsonSnippet_isAValidCatalog() throws IOException {
    List<String[]> json = blocks().stream().filter(b -> b[0].equals("json")).toList();
    assertThat(json).hasSize(1);
    assertThat(TenantCatalog.fromJson(json.get(0)[1], "onboarding.md").all()).hasSize(2);
  }

  @Test
  void xmlSnippet_namesOnlyModulesInTheBom() throws IOException {
    String bom = Files.readString(ROOT.resolve("tenant-bom/pom.xml"));
    Matcher artifacts = Pattern.compile("<artifactId>([^<]+)</artifactId>")
        .matcher(blocks().stream().filter(b -> b[0].equals("xml")).findFirst().orElseThrow()[1]);
    int n = 0;
    while (artifacts.find()) {
      assertThat(bom).contains("<artifactId>" + artifacts.group(1) + "</artifactId>");
      n++;
    }
    assertThat(n).isGreaterThanOrEqualTo(6);
  }

  @Test
  void runCommand_isTheReadmes() throws IOException {
    String sh = blocks().stream().filter(b -> b[0].equals("sh")).findFirst().orElseThrow()[1].trim();
    assertThat(Files.readString(ROOT.resolve("README.md"))).contains(sh);
  }
}
