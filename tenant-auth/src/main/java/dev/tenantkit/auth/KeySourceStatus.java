package dev.tenantkit.auth;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where one issuer's signing keys come from and how they are doing, for health checks: the
 * issuer, the key set's URL, the state, when the keys were last fetched and what went wrong.
 * Carries no key material or token.
 *
 * @param issuer the issuer ({@code iss})
 * @param location the key set's URL once located; null before, or when the keys were given
 * @param state how the keys are doing
 * @param lastFetched when the key set was last fetched; null when it never was
 * @param problem what went wrong, when the state is {@link State#UNREACHABLE} or {@link State#FAILED}
 */
public record KeySourceStatus(String issuer, @Nullable URI location, State state, @Nullable Instant lastFetched,
    @Nullable String problem) {

  /** How an issuer's keys are doing. */
  public enum State {
    /** Not fetched yet: the first token of the issuer (or {@code warmUp()}) fetches them. */
    NOT_FETCHED,
    /** Fetched; the latest fetch succeeded. */
    FETCHED,
    /** The latest fetch failed: tokens verify on the cached keys until the outage tolerance runs out. */
    UNREACHABLE,
    /** The keys cannot be located or fetched at all: the issuer's tokens are refused. */
    FAILED,
    /** Given to the builder ({@code jwks} or {@code jwksFile}): nothing is fetched. */
    GIVEN
  }

  /** Checks the required fields. */
  public KeySourceStatus {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(state, "state");
  }

  /** What went wrong, if anything. */
  public Optional<String> error() {
    return Optional.ofNullable(problem);
  }
}
