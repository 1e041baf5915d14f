package dev.tenantkit.storage;

import dev.tenantkit.storage.InvalidObjectKeyException.Rule;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import org.jspecify.annotations.Nullable;

/**
 * The rules for keys relative to a tenant's space. A key is refused when it is empty, starts with
 * '/', has an empty, '.' or '..' segment, contains a backslash, a control character or an
 * unpaired surrogate, contains an invisible or direction-changing character (Unicode format
 * characters such as U+200B, U+202E, U+2066, U+FEFF, and line or paragraph separators: they make
 * two different keys look alike in a console, a log or a UI), contains a percent-encoded '.', '/',
 * '\', '%' or control character (or one that a percent-decoding pass turns into one, such as
 * {@code %%32e}), contains
 * a Unicode look-alike of '.', '/' or '\' (or a character whose NFKC form contains one), or is too
 * long for S3 together with the tenant prefix. Checked before any request is built.
 */
public final class ObjectKeys {
  /** S3's key limit in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  private ObjectKeys() {}

  /**
   * Checks {@code key} for a space whose prefix is {@code prefixBytes} UTF-8 bytes long.
   *
   * @throws InvalidObjectKeyException naming the broken rule
   */
  public static void check(String key, int prefixBytes) {
    Rule broken = firstBroken(key, prefixBytes);
    if (broken != null) {
      throw new InvalidObjectKeyException(broken, key);
    }
  }

  /** Whether {@code key} passes every rule (no prefix). Never throws. */
  public static boolean isValid(String key) {
    return key != null && firstBroken(key, 0) == null;
  }

  // Hot path: one pass over the chars; no regex, no allocation for ASCII keys.
  static @Nullable Rule firstBroken(String key, int prefixBytes) {
    int n = key.length();
    if (n == 0) {
      return Rule.EMPTY;
    }
    if (key.charAt(0) == '/') {
      return Rule.ABSOLUTE;
    }
    int utf8 = prefixBytes;
    int segmentStart = 0;
    boolean ascii = true;
    for (int i = 0; i <= n; i++) {
      char c = i == n ? '/' : key.charAt(i);
      if (c == '/') {
        int len = i - segmentStart;
        if (len == 0) {
          return Rule.EMPTY_SEGMENT;
        }
        if ((len == 1 && key.charAt(segmentStart) == '.')
            || (len == 2 && key.charAt(segmentStart) == '.' && key.charAt(segmentStart + 1) == '.')) {
          return Rule.DOT_SEGMENT;
        }
        segmentStart = i + 1;
        utf8++;
        continue;
      }
      if (c == '\\') {
        return Rule.BACKSLASH;
      }
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
        return Rule.CONTROL_CHARACTER;
      }
      if (c == '%' && i + 2 < n && isEncodedDanger(key.charAt(i + 1), key.charAt(i + 2))) {
        return Rule.ENCODED_SEPARATOR;
      }
      if (c < 0x80) {
        utf8++;
      } else if (c < 0x800) {
        ascii = false;
        if (isInvisible(c)) {
          return Rule.INVISIBLE_CHARACTER;
        }
        utf8 += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 >= n || !Character.isLowSurrogate(key.charAt(i + 1))) {
          return Rule.INVALID_UTF8;
        }
        // Tag characters (U+E0000..) and other supplementary format characters.
        if (isInvisible(Character.toCodePoint(c, key.charAt(i + 1)))) {
          return Rule.INVISIBLE_CHARACTER;
        }
        ascii = false;
        utf8 += 4;
        i++;
      } else if (Character.isLowSurrogate(c) || c == '\uFFFD') {
        // U+FFFD is what a decoder leaves for bytes that were not UTF-8.
        return Rule.INVALID_UTF8;
      } else {
        ascii = false;
        if (isLookalike(c)) {
          return Rule.LOOKALIKE;
        }
        if (isInvisible(c)) {
          return Rule.INVISIBLE_CHARACTER;
        }
        utf8 += 3;
      }
    }
    if (utf8 - 1 > MAX_KEY_BYTES) { // the loop counted one '/' past the end
      return Rule.TOO_LONG;
    }
    if (!ascii && normalizesToSeparator(key)) {
      return Rule.LOOKALIKE;
    }
    if (key.indexOf('%') >= 0 && decodesToDanger(key)) {
      return Rule.ENCODED_SEPARATOR;
    }
    return null;
  }

  /**
   * Whether percent-decoding the key once gives a key that breaks a rule: {@code %%32e} is no
   * encoded dot itself, but one decoding pass makes it {@code %2e} and a second one {@code .}.
   * The decoded key is checked with every rule, so any depth of decoding is covered (each pass
   * that changes the key shortens it).
   */
  private static boolean decodesToDanger(String key) {
    String once = percentDecodeOnce(key);
    return !once.equals(key) && firstBroken(once, 0) != null;
  }

  /** One lenient pass: each valid {@code %XX} becomes its byte, the rest is kept; bytes as UTF-8. */
  private static String percentDecodeOnce(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      int hi = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
      int lo = hi >= 0 ? Character.digit(bytes[i + 2], 16) : -1;
      if (bytes[i] == '%' && lo >= 0) {
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** %2e %2f %5c %25 and %00-%1f %7f (either case). */
  private static boolean isEncodedDanger(char h, char l) {
    int hi = Character.digit(h, 16);
    int lo = Character.digit(l, 16);
    if (hi < 0 || lo < 0) {
      return false;
    }
    int v = hi * 16 + lo;
    return v == '.' || v == '/' || v == '\\' || v == '%' || v < 0x20 || v == 0x7f;
  }

  /**
   * Characters that show as nothing, or as a plain space, so that two different keys look the
   * same: format characters (Unicode category Cf: zero-width spaces and joiners, bidirectional
   * embeddings, overrides and isolates, invisible operators, the byte-order mark, the soft hyphen,
   * tag characters ...), every other Default_Ignorable_Code_Point (the Hangul fillers, variation
   * selectors, the combining grapheme joiner, ...), spaces other than U+0020 (no-break, en, em,
   * ideographic ...), the line and paragraph separators, and the braille blank.
   */
  private static boolean isInvisible(int cp) {
    int type = Character.getType(cp);
    if (type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || (type == Character.SPACE_SEPARATOR && cp != ' ')) {
      return true;
    }
    // Default_Ignorable_Code_Point, outside category Cf (Unicode's DerivedCoreProperties).
    return cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5
        || (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164
        || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFF8)
        || (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A)
        || (cp >= 0xE0000 && cp <= 0xE0FFF) || cp == 0x2800;
  }

  private static boolean isLookalike(char c) {
    switch (c) {
      case '\u2024': // one dot leader
      case '\u2025': // two dot leader
      case '\u2026': // horizontal ellipsis
      case '\u3002': // ideographic full stop
      case '\uFE52': // small full stop
      case '\uFF0E': // fullwidth full stop
      case '\uFF61': // halfwidth ideographic full stop
      case '\u2044': // fraction slash
      case '\u2215': // division slash
      case '\u29F8': // big solidus
      case '\uFF0F': // fullwidth solidus
      case '\u2216': // set minus
      case '\u29F5': // reverse solidus operator
      case '\u29F9': // big reverse solidus
      case '\uFE68': // small reverse solidus
      case '\uFF3C': // fullwidth reverse solidus
        return true;
      default:
        return false;
    }
  }

  /** Whether NFKC adds a '.', '/' or '\' the key did not have. */
  private static boolean normalizesToSeparator(String key) {
    if (Normalizer.isNormalized(key, Normalizer.Form.NFKC)) {
      return false;
    }
    String nfkc = Normalizer.normalize(key, Normalizer.Form.NFKC);
    return count(nfkc, '.') > count(key, '.') || count(nfkc, '/') > count(key, '/')
        || count(nfkc, '\\') > count(key, '\\');
  }

  private static int count(String s, char c) {
    int k = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        k++;
      }
    }
    return k;
  }
}
