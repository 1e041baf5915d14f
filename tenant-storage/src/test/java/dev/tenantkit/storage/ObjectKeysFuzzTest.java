package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Property: every key {@link ObjectKeys} accepts stays inside the tenant's prefix however it is
 * read on the way to S3: as S3 reads it (literally), after a proxy or library percent-decodes it
 * once or twice, after NFKC normalization, with backslashes taken as separators, and with dot
 * segments resolved the way a URL path normalizer resolves them. Every refusal is an
 * {@link InvalidObjectKeyException}; any other exception fails the test.
 *
 * <p>Runs its committed seed corpus in every build (regression mode); fuzz it with
 * {@code JAZZER_FUZZ=1 mvn -B -pl tenant-storage -am test -Dtest=ObjectKeysFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}
 * (docs/fuzzing.md).
 */
class ObjectKeysFuzzTest {
  private static final String PREFIX = "tenants/acme/";
  private static final int PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.UTF_8).length;

  @FuzzTest(maxDuration = "5m")
  void fuzz_objectKeys(FuzzedDataProvider data) {
    String key = data.consumeRemainingAsString();
    try {
      ObjectKeys.check(key, PREFIX_BYTES);
    } catch (InvalidObjectKeyException refused) {
      return;
    }
    for (String reading : readings(PREFIX + key)) {
      assertThat(staysUnder(reading, PREFIX)).as("accepted key %s read as %s", escape(key), escape(reading)).isTrue();
    }
  }

  /** The ways something between TenantKit and the object may read an absolute key. */
  static Set<String> readings(String absolute) {
    Set<String> out = new LinkedHashSet<>();
    String once = percentDecode(absolute);
    String twice = percentDecode(once);
    for (String s : new String[] {absolute, once, twice}) {
      out.add(s);
      out.add(Normalizer.normalize(s, Normalizer.Form.NFKC));
      out.add(s.replace('\\', '/'));
      out.add(Normalizer.normalize(s, Normalizer.Form.NFKC).replace('\\', '/'));
    }
    return out;
  }

  /** Whether {@code path}, with dot segments resolved, is still under {@code prefix}. */
  static boolean staysUnder(String path, String prefix) {
    Deque<String> stack = new ArrayDeque<>();
    String[] segments = path.split("/", -1);
    String[] prefixSegments = prefix.substring(0, prefix.length() - 1).split("/");
    for (String segment : segments) {
      if (segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (stack.size() <= prefixSegments.length) {
          return false; // climbs out of the tenant's prefix
        }
        stack.removeLast();
        continue;
      }
      stack.addLast(segment);
    }
    String[] resolved = stack.toArray(new String[0]);
    if (resolved.length <= prefixSegments.length) {
      return false;
    }
    for (int i = 0; i < prefixSegments.length; i++) {
      if (!resolved[i].equals(prefixSegments[i])) {
        return false;
      }
    }
    return true;
  }

  /** One pass of percent-decoding, as a lenient proxy does: valid %XX only, bytes as UTF-8. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
        out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(cp -> b.append(cp >= 0x20 && cp < 0x7f ? String.valueOf((char) cp) : String.format("\\u%04X", cp)));
    return b.toString();
  }
}
