package dev.tenantkit.auth.internal;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tenantkit.core.TenantId;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One issuer as the catalog describes it: which tenants use it and how they are told apart.
 *
 * @param iss the exact {@code iss}
 * @param cognito whether the records name a user pool (Cognito's claims and key location apply)
 * @param tenants the tenants whose records name this issuer
 * @param shared several tenants, or a record marked {@code sharedIssuer}: the tenant claim decides
 * @param tenantClaim the claim naming the tenant
 * @param algorithms the JWS algorithms accepted from it
 * @param jwksUri where a record says its keys are, or null for the issuer's default location
 */
record Issuer(String iss, boolean cognito, Set<TenantId> tenants, boolean shared, String tenantClaim,
    Set<JWSAlgorithm> algorithms, @Nullable URI jwksUri) {

  /**
   * Whether {@code other}'s keys come from the same place, so its key source (and the keys it
   * has cached) can be kept across a catalog change.
   */
  boolean sameKeyLocation(Issuer other) {
    return iss.equals(other.iss) && cognito == other.cognito && Objects.equals(jwksUri, other.jwksUri);
  }
}
