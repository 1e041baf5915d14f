package dev.tenantkit.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** Step 5 alone: {@code exp} required and in the future, {@code nbf} and {@code iat} not, all within the skew. */
class TokenTimesTest {
  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
  private static final Duration SKEW = Duration.ofSeconds(30);

  static JWTClaimsSet expiringAt(Instant exp) {
    return new JWTClaimsSet.Builder().expirationTime(Date.from(exp)).issueTime(Date.from(NOW.minusSeconds(3600)))
        .build();
  }

  @Test
  void check_whenExpiredBeyondTheSkew_expired() {
    assertThatThrownBy(() -> TokenTimes.check(expiringAt(NOW.minusSeconds(31)), NOW, SKEW))
        .isInstanceOfSatisfying(TokenRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
    assertThatThrownBy(() -> TokenTimes.check(expiringAt(NOW.minusSeconds(3600)), NOW, SKEW))
        .isInstanceOfSatisfying(TokenRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
  }

  @Test
  void check_whenExpiredWithinTheSkewOrValid_returnsExp() {
    assertThat(TokenTimes.check(expiringAt(NOW.minusSeconds(30)), NOW, SKEW)).isEqualTo(NOW.minusSeconds(30));
    assertThat(TokenTimes.check(expiringAt(NOW.plusSeconds(60)), NOW, SKEW)).isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void check_whenExpiredAndNotYetValid_expiredFirst() {
    JWTClaimsSet both = new JWTClaimsSet.Builder().expirationTime(Date.from(NOW.minusSeconds(600)))
        .notBeforeTime(Date.from(NOW.plusSeconds(600))).build();
    assertThatThrownBy(() -> TokenTimes.check(both, NOW, SKEW))
        .isInstanceOfSatisfying(TokenRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
  }
}
