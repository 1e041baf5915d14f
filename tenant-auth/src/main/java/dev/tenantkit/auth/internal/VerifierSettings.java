package dev.tenantkit.auth.internal;

import dev.tenantkit.auth.ClaimCheck;
import dev.tenantkit.auth.TokenUse;
import dev.tenantkit.core.TenantCatalog;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link dev.tenantkit.auth.TenantTokenVerifier.Builder} validated; immutable. The
 * builder's Javadoc says what each default is and why.
 */
public record VerifierSettings(TenantCatalog catalog, TokenUse tokenUse, Duration clockSkew,
    Duration jwksCacheTtl, Duration jwksRefreshAhead, Duration unknownKeyRefreshInterval,
    Duration jwksOutageTolerance, Duration discoveryRetryInterval, Duration httpConnectTimeout,
    Duration httpReadTimeout, int jwksSizeLimitBytes, int maxTokenBytes, int verifiedTokenCacheSize,
    @Nullable ClaimCheck claimCheck, Clock clock, Map<String, URI> jwksUris,
    Map<String, String> jwksDocuments, Map<String, Set<String>> algorithms) {

  /** Copies the maps. */
  public VerifierSettings {
    jwksUris = Map.copyOf(jwksUris);
    jwksDocuments = Map.copyOf(jwksDocuments);
    algorithms = Map.copyOf(algorithms);
  }
}
