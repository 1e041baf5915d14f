package dev.tenantkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Property tests over generated strings. Each property draws from a seeded generator and names
 * the seed and the input in its failure, so a failure reproduces exactly
 * ({@code -Dtenantkit.seed=N}).
 */
class TenantIdTest {
  private static final long SEED = Long.getLong("tenantkit.seed", System.nanoTime());
  /** The rules, written independently of the implementation, as the oracle. */
  private static final Pattern ORACLE = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,35}");

  private static void forAll(int tries, Function<SplittableRandom, String> gen,
      java.util.function.Consumer<String> property) {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < tries; i++) {
      String input = gen.apply(random);
      try {
        property.accept(input);
      } catch (AssertionError e) {
        throw new AssertionError("property failed (seed " + SEED + ", try " + i + ") for input "
            + dev.tenantkit.core.internal.SafeText.quote(input) + ": " + e.getMessage(), e);
      }
    }
  }

  static String validId(SplittableRandom r) {
    String alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder();
    int length = 3 + r.nextInt(34);
    for (int i = 0; i < length; i++) {
      boolean hyphenAllowed = i > 0 && i < length - 1 && sb.charAt(i - 1) != '-';
      if (hyphenAllowed && r.nextInt(6) == 0) {
        sb.append('-');
      } else {
        sb.append(alnum.charAt(r.nextInt(alnum.length())));
      }
    }
    return sb.toString();
  }

  static String anyString(SplittableRandom r) {
    int length = r.nextInt(50);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (r.nextInt(6)) {
        case 0: sb.append((char) r.nextInt(0x20)); break;                 // control
        case 1: sb.append((char) (0x80 + r.nextInt(0xff80 - 0x80))); break; // any BMP
        case 2: sb.append("-._/\\%~ ".charAt(r.nextInt(8))); break;
        case 3: sb.append((char) ('A' + r.nextInt(26))); break;
        default: sb.append("abcxyz019".charAt(r.nextInt(9)));
      }
    }
    return sb.toString();
  }

  static String hostile(SplittableRandom r) {
    String[] fixed = {"..", "../acme", "acme/../x", "acme\nINFO forged line", "ACME", "acme--corp",
        "-acme", "acme-", "ac", "a_b_c", "acme.corp", "\uff41\uff43\uff4d\uff45", "acme\u0000",
        "acme\u202e", "acme%2e%2e", "", " acme", "acme "};
    switch (r.nextInt(3)) {
      case 0:
        return fixed[r.nextInt(fixed.length)];
      case 1:
        return "a".repeat(37 + r.nextInt(100_000));
      default:
        return validId(r).substring(0, 2) + (char) r.nextInt(0x20) + anyString(r);
    }
  }

  @Test
  void of_whenValid_roundTripsAndIsValid() {
    forAll(5000, TenantIdTest::validId, value -> {
      TenantId id = TenantId.of(value);
      assertThat(id.value()).isEqualTo(value);
      assertThat(id.toString()).isEqualTo(value);
      assertThat(TenantId.isValid(value)).isTrue();
      assertThat(TenantId.of(value)).isEqualTo(id).hasSameHashCodeAs(id);
    });
  }

  @Test
  void of_whenValid_fitsEveryNamingScheme() {
    forAll(5000, TenantIdTest::validId, value -> {
      // DNS label and S3 bucket-name part; PostgreSQL identifier; CloudFormation stack part.
      assertThat(value).matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
      assertThat(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(63);
      assertThat("tenantkit-" + value).matches("[A-Za-z][-A-Za-z0-9]{0,127}");
    });
  }

  @Test
  void of_whenAnyString_agreesWithOracle() {
    forAll(20_000, TenantIdTest::anyString, value -> {
      if (ORACLE.matcher(value).matches()) {
        assertThat(TenantId.of(value).value()).isEqualTo(value);
      } else {
        assertThatThrownBy(() -> TenantId.of(value)).isInstanceOf(InvalidTenantIdException.class);
        assertThat(TenantId.isValid(value)).isFalse();
      }
    });
  }

  @Test
  void of_whenHostile_refusedWithShortEscapedMessage() {
    forAll(2000, TenantIdTest::hostile, value -> {
      assertThatThrownBy(() -> TenantId.of(value))
          .isInstanceOf(InvalidTenantIdException.class)
          .satisfies(e -> {
            String m = e.getMessage();
            assertThat(m.length()).isLessThan(200);
            assertThat(m.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as("printable ASCII only").isTrue();
          });
    });
  }

  @Test
  void of_whenTooLong_namesLengthRuleAndTruncatesQuote() {
    String longInput = "a".repeat(10_000);
    assertThatThrownBy(() -> TenantId.of(longInput))
        .isInstanceOfSatisfying(InvalidTenantIdException.class,
            e -> assertThat(e.rule()).isEqualTo(InvalidTenantIdException.Rule.LENGTH))
        .hasMessageContaining("(10000 chars)")
        .hasMessageContaining("3 to 36");
  }

  @Test
  void of_whenEachRuleBroken_namesThatRule() {
    assertThat(rule("ab")).isEqualTo(InvalidTenantIdException.Rule.LENGTH);
    assertThat(rule("Acme")).isEqualTo(InvalidTenantIdException.Rule.CHARACTERS);
    assertThat(rule("ac me")).isEqualTo(InvalidTenantIdException.Rule.CHARACTERS);
    assertThat(rule("acme.corp")).isEqualTo(InvalidTenantIdException.Rule.CHARACTERS);
    assertThat(rule("..x")).isEqualTo(InvalidTenantIdException.Rule.CHARACTERS);
    assertThat(rule("-acme")).isEqualTo(InvalidTenantIdException.Rule.EDGE);
    assertThat(rule("acme-")).isEqualTo(InvalidTenantIdException.Rule.EDGE);
    assertThat(rule("ac--me")).isEqualTo(InvalidTenantIdException.Rule.CONSECUTIVE_HYPHENS);
  }

  @Test
  void of_whenNewlineInjected_messageEscapesIt() {
    assertThatThrownBy(() -> TenantId.of("acme\n2026-01-01 INFO admin logged in"))
        .hasMessageContaining("\\u000a")
        .hasMessageNotContaining("\n");
  }

  @Test
  void of_whenUuid_accepted() {
    assertThat(TenantId.of("3f2b8c9e-1d4a-4e5b-9c7d-0a1b2c3d4e5f").value()).hasSize(36);
  }

  private static InvalidTenantIdException.Rule rule(String s) {
    try {
      TenantId.of(s);
    } catch (InvalidTenantIdException e) {
      return e.rule();
    }
    throw new AssertionError("accepted " + s);
  }
}
