package dev.tenantkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.storage.InvalidObjectKeyException.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The key rules at their edges, one boundary each (docs/mutation-testing.md). */
class ObjectKeysEdgesTest {

  private static Rule broken(String key) {
    try {
      ObjectKeys.check(key, 0);
      return null;
    } catch (InvalidObjectKeyException e) {
      return e.rule();
    }
  }

  @Test
  void controlCharacters_atTheEdgesOfTheirRanges() {
    assertThat(broken("a\u001fb")).isEqualTo(Rule.CONTROL_CHARACTER);
    assertThat(broken("a b")).isNull();
    assertThat(broken("a~b")).isNull();
    assertThat(broken("a\u007fb")).isEqualTo(Rule.CONTROL_CHARACTER);
    assertThat(broken("a\u0080b")).isEqualTo(Rule.CONTROL_CHARACTER);
    assertThat(broken("a\u009fb")).isEqualTo(Rule.CONTROL_CHARACTER);
    assertThat(broken("a\u00a1b")).isNull();
  }

  @Test
  void percentSigns_atTheEndOfTheKey_andEncodedBytesAtTheEdgesOfWhatIsRefused() {
    for (String ok : new String[] {"docs/a%", "docs/a%2", "docs/a%4", "docs/%%3", "a%20b", "a%7e", "a%g1", "a%41b"}) {
      assertThat(broken(ok)).as(ok).isNull();
    }
    assertThat(broken("a%1f")).isEqualTo(Rule.ENCODED_SEPARATOR);
    assertThat(broken("a%1F")).isEqualTo(Rule.ENCODED_SEPARATOR);
    assertThat(broken("a%7f")).isEqualTo(Rule.ENCODED_SEPARATOR);
    assertThat(broken("a%00")).isEqualTo(Rule.ENCODED_SEPARATOR);
    assertThat(broken("%2e")).isEqualTo(Rule.ENCODED_SEPARATOR);
    assertThat(broken("a%2F")).isEqualTo(Rule.ENCODED_SEPARATOR);
    assertThat(broken("a%5C")).isEqualTo(Rule.ENCODED_SEPARATOR);
    // An encoded byte that is no UTF-8 on its own decodes to U+FFFD, which no key may hold; one
    // whose low digit is 0 is decoded like any other.
    assertThat(broken("a%80")).isEqualTo(Rule.ENCODED_SEPARATOR);
    assertThat(broken("a%C3%A9")).isNull();
    // An encoded dot or slash is refused wherever it stands, even where decoding it would give a
    // harmless key; an escape is read as hex, so %31 is the digit 1, nothing dangerous.
    assertThat(broken("a%2eb")).isEqualTo(Rule.ENCODED_SEPARATOR);
    assertThat(broken("a%2fb")).isEqualTo(Rule.ENCODED_SEPARATOR);
    assertThat(broken("a%31")).isNull();
  }

  @Test
  void length_isCountedInUtf8Bytes_atEachEncodingWidth() {
    assertThat(broken("\u07ff".repeat(512))).isNull();                 // 2 bytes each: 1,024
    assertThat(broken("\u07ff".repeat(512) + "a")).isEqualTo(Rule.TOO_LONG);
    assertThat(broken("\u0800".repeat(341) + "a")).isNull();           // 3 bytes each: 1,023 + 1
    assertThat(broken("\u0800".repeat(342))).isEqualTo(Rule.TOO_LONG);
    assertThat(broken("\ud83d\ude00".repeat(256))).isNull();            // 4 bytes each: 1,024
    assertThat(broken("\ud83d\ude00".repeat(256) + "a")).isEqualTo(Rule.TOO_LONG);
    assertThat(broken("\u007e".repeat(1024))).isNull();
    assertThatThrownBy(() -> ObjectKeys.check("a".repeat(1000), 25)).isInstanceOf(InvalidObjectKeyException.class);
    ObjectKeys.check("a".repeat(1000), 24);
  }

  @Test
  void surrogates_unpairedAtTheEnd_areRefused() {
    assertThat(broken("docs/a\ud83d")).isEqualTo(Rule.INVALID_UTF8);
    assertThat(broken("docs/\ude00a")).isEqualTo(Rule.INVALID_UTF8);
  }

  @Test
  void normalization_thatAddsASeparator_isALookalike_butOtherCompatibilityCharactersAreFine() {
    assertThat(broken("docs/\u2488txt")).isEqualTo(Rule.LOOKALIKE);      // "1." under NFKC
    assertThat(broken("docs/\ufb01le.txt")).isNull();                   // the fi ligature: "fi"
    assertThat(broken("docs/\u00bd.txt")).isNull();                      // one half: NFKC gives a fraction slash, not "/"
  }

  @ParameterizedTest
  @ValueSource(ints = {0x180B, 0x180F, 0x2060, 0x206F, 0xFE00, 0xFE0F, 0xFFF0, 0xFFF8, 0x1BCA0, 0x1BCA3, 0x1D173,
      0x1D17A, 0xE0000, 0xE0FFF, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, 0x034F, 0x2800, 0x2000, 0x200A,
      0x202F, 0x205F, 0x3000})
  void invisible_atEachEdgeOfTheDefaultIgnorableRanges_refused(int cp) {
    assertThat(broken("a" + new String(Character.toChars(cp)) + "b")).as("U+%04X", cp).isEqualTo(Rule.INVISIBLE_CHARACTER);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x180A, 0x1810, 0x2070, 0xFDFF, 0xFE10, 0xFFEF, 0x1BC9F, 0x1BCA4, 0x1D172, 0x1D17B, 0xE1000,
      0x115E, 0x1161, 0x17B3, 0x17B6, 0x3163, 0x3165, 0xFF9F, 0xFFA1, 0x034E, 0x0350, 0x27FF, 0x2801})
  void justOutsideThoseRanges_accepted(int cp) {
    assertThat(broken("a" + new String(Character.toChars(cp)) + "b")).as("U+%04X", cp).isNull();
  }

  @Test
  void isValid_isFalseForNullAndForBrokenKeys() {
    assertThat(ObjectKeys.isValid(null)).isFalse();
    assertThat(ObjectKeys.isValid("../x")).isFalse();
    assertThat(ObjectKeys.isValid("docs/x")).isTrue();
  }
}
