package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Properties of the catalog reader, for any bytes:
 * <ul>
 *   <li>the result is a catalog or a {@link CatalogLoadException} naming the source (and, when
 *       the input was JSON the reader could follow, a line); never another exception;</li>
 *   <li>what the writer writes of a catalog that loaded reads back to equal records;</li>
 *   <li>a file catalog that reloads those bytes either takes all of them or keeps its last good
 *       snapshot whole: never a mix.</li>
 * </ul>
 * Regression mode runs the committed corpus in every build; fuzz with
 * {@code JAZZER_FUZZ=1 mvn -B -pl tenant-core test -Dtest=CatalogReaderFuzzTest} (docs/fuzzing.md).
 */
class CatalogReaderFuzzTest {
  private static Path dir;
  private static Path file;
  private static FileTenantCatalog watched;
  private static List<Tenant> good;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("tenantkit-fuzz-catalog");
    file = dir.resolve("catalog.json");
    write(FileTenantCatalogTest.FULL.getBytes(StandardCharsets.UTF_8));
    watched = FileTenantCatalog.builder().path(file).watch(false).build();
    good = new ArrayList<>(watched.all());
  }

  @AfterAll
  static void stop() throws IOException {
    watched.close();
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The reference for "is JSON": Jackson's own tree reader, with no catalog rules. */
  private static boolean isJson(String text) {
    if (text.isBlank()) {
      return true; // no syntax to be wrong: refused for being empty, not at a line
    }
    try {
      JSON.readTree(text);
      return true;
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static void write(byte[] bytes) {
    try {
      Path tmp = dir.resolve("catalog.json.tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  @FuzzTest(maxDuration = "5m")
  void fuzz_catalogReader(byte[] input) {
    String json = new String(input, StandardCharsets.UTF_8);
    // The string reader sees decoded text (invalid bytes already replaced); the file catalog sees
    // the bytes. They must agree on UTF-8 input; other bytes the file catalog must refuse
    // (found by fuzzing: the property compared the two on bytes that are not UTF-8).
    boolean utf8 = isUtf8(input);
    Collection<Tenant> parsed = null;
    try {
      parsed = TenantCatalog.fromJson(json, "fuzz.json").all();
    } catch (CatalogLoadException e) {
      assertThat(e.getMessage()).startsWith("fuzz.json");
      // A line, when named, is one of the input's, and the message says it.
      assertThat(e.line()).isBetween(0, (int) json.lines().count() + 1);
      if (e.line() > 0) {
        assertThat(e.getMessage()).startsWith("fuzz.json line " + e.line() + ":");
      }
      // Input that is not JSON at all names the line where it stops being JSON.
      if (!isJson(json)) {
        assertThat(e.line()).as("line of a syntax error: %s", e.getMessage()).isPositive();
      }
    }
    if (parsed != null) {
      String written = TenantCatalog.toJson(parsed);
      assertThat(TenantCatalog.fromJson(written, "rewritten.json").all()).containsExactlyElementsOf(parsed);
    }

    // The same bytes as a reload of a file catalog serving a known good snapshot.
    write(input);
    try {
      watched.reload();
      if (!utf8) {
        fail("the file catalog took bytes that are not UTF-8");
      }
      if (parsed == null) {
        fail("the file catalog took bytes the reader refuses");
      }
      assertThat(watched.all()).containsExactlyElementsOf(parsed);
    } catch (CatalogLoadException e) {
      assertThat(watched.all()).as("last good snapshot, whole").containsExactlyElementsOf(good);
      // What was wrong is named: a line, or for a rule between two records, their field path.
      assertThat(e.line() > 0 || e.field() != null).as("a refused file names a line or a field: %s", e.getMessage())
          .isTrue();
      if (parsed != null && utf8) {
        fail("the file catalog refused bytes the reader takes: " + e.getMessage());
      }
    }
    // Back to the good state for the next input.
    if (parsed != null) {
      write(FileTenantCatalogTest.FULL.getBytes(StandardCharsets.UTF_8));
      watched.reload();
      assertThat(watched.all()).containsExactlyElementsOf(good);
    }
  }
}
