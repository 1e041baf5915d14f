package dev.tenantkit.auth.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tenantkit.auth.TokenRejectedException;
import dev.tenantkit.auth.TokenRejectedException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Step 5: {@code exp} required; {@code exp}, {@code nbf} and {@code iat} within the clock skew. */
final class TokenTimes {
  private TokenTimes() {}

  /** Checks the times and returns {@code exp}. */
  static Instant check(JWTClaimsSet claims, Instant now, Duration skew) {
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new TokenRejectedException(Reason.MALFORMED, "exp is required");
    }
    Instant expiresAt = exp.toInstant();
    checkNotExpired(expiresAt, now, skew);
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
      throw new TokenRejectedException(Reason.NOT_YET_VALID, "not valid before " + nbf.toInstant());
    }
    Date iat = claims.getIssueTime();
    if (iat != null && now.plus(skew).isBefore(iat.toInstant())) {
      throw new TokenRejectedException(Reason.NOT_YET_VALID, "issued in the future (" + iat.toInstant() + ")");
    }
    return expiresAt;
  }

  /** The expiry check alone, repeated on every verified-token cache hit. */
  static void checkNotExpired(Instant expiresAt, Instant now, Duration skew) {
    if (now.minus(skew).isAfter(expiresAt)) {
      throw new TokenRejectedException(Reason.EXPIRED, "expired at " + expiresAt);
    }
  }
}
