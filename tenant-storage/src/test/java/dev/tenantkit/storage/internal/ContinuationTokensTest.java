package dev.tenantkit.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.storage.StorageException;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Edges of the continuation-token format and of the key encodings (pinned by the mutation run). */
class ContinuationTokensTest {
  static final TenantId ACME = TenantId.of("acme");
  static final String LISTING = "acme|tenantkit-acme|docs/|/";

  static byte[] key(int first) {
    byte[] k = new byte[32];
    k[0] = (byte) first;
    return k;
  }

  @Test
  void unwrap_tokenOfExactlyTheLongestLength_accepted_oneCharacterMore_refused() {
    ContinuationTokens tokens = ContinuationTokens.of(key(1));
    // id (8) + '.' + base64url(s3Token) + '.' + base64url(16-byte MAC: 22) = 32 + 4n/3 for n % 3 == 0.
    String s3Token = "t".repeat(3048);
    String token = tokens.wrap(s3Token, LISTING);
    assertThat(token).hasSize(4096);
    assertThat(tokens.unwrap(token, LISTING, ACME)).isEqualTo(s3Token);
    String longer = tokens.wrap(s3Token + "t", LISTING);
    assertThat(longer.length()).isGreaterThan(4096);
    assertThatThrownBy(() -> tokens.unwrap(longer, LISTING, ACME))
        .isInstanceOf(StorageException.IsolationViolation.class);
  }

  @Test
  void fromBase64_urlSafeKeyWhoseOnlyUrlCharacterLeads_isReadAsUrlSafe() {
    // 0xF8 and 0xFC as the first byte encode as a leading '-' and '_'; the rest ('A's) is the
    // same in both alphabets, so only that first character says which alphabet the key is in.
    for (int first : new int[] {0xF8, 0xFC}) {
      byte[] raw = key(first);
      String url = Base64.getUrlEncoder().encodeToString(raw);
      assertThat(url.substring(1)).doesNotContain("-").doesNotContain("_");
      ContinuationTokens fromText = ContinuationTokens.fromBase64(url);
      ContinuationTokens fromBytes = ContinuationTokens.of(Arrays.copyOf(raw, raw.length));
      assertThat(fromText.toString()).isEqualTo(fromBytes.toString()); // the same key id
      assertThat(fromBytes.unwrap(fromText.wrap("s3", LISTING), LISTING, ACME)).isEqualTo("s3");
    }
  }
}
