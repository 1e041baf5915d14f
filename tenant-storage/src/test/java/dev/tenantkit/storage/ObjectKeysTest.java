package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.storage.InvalidObjectKeyException.Rule;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

  /** Hostile relative keys and the rule each must break. Also used by the S3 escape suite. */
  static Map<String, Rule> hostileKeys() {
    Map<String, Rule> m = new LinkedHashMap<>();
    m.put("", Rule.EMPTY);
    m.put("/etc/passwd", Rule.ABSOLUTE);
    m.put("/tenants/globex/secret.txt", Rule.ABSOLUTE);
    m.put("..", Rule.DOT_SEGMENT);
    m.put("../globex/secret.txt", Rule.DOT_SEGMENT);
    m.put("docs/../../globex/secret.txt", Rule.DOT_SEGMENT);
    m.put("docs/..", Rule.DOT_SEGMENT);
    m.put("./docs/a.txt", Rule.DOT_SEGMENT);
    m.put("docs/./a.txt", Rule.DOT_SEGMENT);
    m.put(".", Rule.DOT_SEGMENT);
    m.put("docs//a.txt", Rule.EMPTY_SEGMENT);
    m.put("docs/", Rule.EMPTY_SEGMENT);
    m.put("..\\globex\\secret.txt", Rule.BACKSLASH);
    m.put("docs\\a.txt", Rule.BACKSLASH);
    m.put("%2e%2e/globex/secret.txt", Rule.ENCODED_SEPARATOR);
    m.put("%2E%2E%2Fglobex", Rule.ENCODED_SEPARATOR);
    m.put("docs%2f..%2fglobex", Rule.ENCODED_SEPARATOR);
    m.put("docs%5c..%5cglobex", Rule.ENCODED_SEPARATOR);
    m.put("%252e%252e/globex", Rule.ENCODED_SEPARATOR);
    // Found by ObjectKeysFuzzTest: no encoded dot itself, but decoded twice it is "../globex".
    m.put("%%32e%%32e/globex/x", Rule.ENCODED_SEPARATOR);
    m.put("docs/%%32f..%%32fglobex", Rule.ENCODED_SEPARATOR);
    m.put("docs/a%00.txt", Rule.ENCODED_SEPARATOR);
    m.put("docs/a%0a.txt", Rule.ENCODED_SEPARATOR);
    m.put("\uff0e\uff0e/globex/secret.txt", Rule.LOOKALIKE);
    m.put("docs\uff0fglobex", Rule.LOOKALIKE);
    m.put("docs\u2215..\u2215globex", Rule.LOOKALIKE);
    m.put("docs\u2044globex", Rule.LOOKALIKE);
    m.put("\u2024\u2024/globex", Rule.LOOKALIKE);
    m.put("docs\uff3cglobex", Rule.LOOKALIKE);
    m.put("docs\ufe68globex", Rule.LOOKALIKE);
    m.put("\ufe52\ufe52/globex", Rule.LOOKALIKE);
    m.put("docs\u29f8globex", Rule.LOOKALIKE);
    m.put("docs/\u2025", Rule.LOOKALIKE);
    m.put("docs/a\u0000.txt", Rule.CONTROL_CHARACTER);
    m.put("docs/a\n.txt", Rule.CONTROL_CHARACTER);
    m.put("docs/a\r\nx-amz-acl: public-read", Rule.CONTROL_CHARACTER);
    m.put("docs/a\t.txt", Rule.CONTROL_CHARACTER);
    m.put("docs/a\u007f.txt", Rule.CONTROL_CHARACTER);
    m.put("docs/a\u0085.txt", Rule.CONTROL_CHARACTER);
    m.put("docs/a\ud800.txt", Rule.INVALID_UTF8);
    m.put("docs/a\udc00.txt", Rule.INVALID_UTF8);
    m.put("docs/a\ufffd.txt", Rule.INVALID_UTF8);
    // Invisible and direction-changing characters: "invoice\u202Efdp.exe" shows as "invoiceexe.pdf".
    for (int cp : new int[] {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
        0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0x00AD, 0x061C, 0x180E,
        0x2028, 0x2029, 0xE0001, 0xE0041,
        // Found by the review: default-ignorable and blank-looking characters outside category Cf.
        0x3164, 0x115F, 0xFE0F, 0x034F, 0x2800, 0x00A0, 0x2007, 0x3000, 0xFFA0, 0x1D173}) {
      m.put("docs/invoice" + new String(Character.toChars(cp)) + "fdp.exe", Rule.INVISIBLE_CHARACTER);
    }
    m.put("\ufeffdocs/a.txt", Rule.INVISIBLE_CHARACTER);
    m.put("a".repeat(1025), Rule.TOO_LONG);
    m.put("\u00e9".repeat(513), Rule.TOO_LONG); // 1,026 UTF-8 bytes
    return m;
  }

  @Test
  void check_everyHostileKey_refusedWithItsRule() {
    Map<String, Rule> keys = hostileKeys();
    assertThat(keys).hasSizeGreaterThanOrEqualTo(40);
    keys.forEach((key, rule) -> assertThatThrownBy(() -> ObjectKeys.check(key, 0))
        .as("key %s", key.length() > 40 ? key.substring(0, 40) + "..." : key)
        .isInstanceOfSatisfying(InvalidObjectKeyException.class, e -> {
          assertThat(e.rule()).isEqualTo(rule);
          assertThat(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
          assertThat(e.getMessage().length()).isLessThan(220);
        }));
  }

  @Test
  void check_ordinaryKeys_accepted() {
    for (String key : new String[] {"a", "docs/2026/report.pdf", "invoices/INV-001 (final).pdf",
        "photos/été/plage.jpg", "données/日本語/ファイル.txt", "a.b.c", "..hidden", "x..y", "docs/.profile",
        "100%.txt", "%41.txt", "emoji/\ud83d\ude00.png", "문서/보고서.pdf", "a".repeat(1024)}) {
      ObjectKeys.check(key, 0);
      assertThat(ObjectKeys.isValid(key)).as(key).isTrue();
    }
  }

  @Test
  void check_prefixCountsTowardsTheLimit() {
    String key = "a".repeat(1000);
    ObjectKeys.check(key, 24);
    assertThatThrownBy(() -> ObjectKeys.check(key, 25))
        .isInstanceOfSatisfying(InvalidObjectKeyException.class, e -> assertThat(e.rule()).isEqualTo(Rule.TOO_LONG));
  }
}
