package dev.tenantkit.core.internal;

import static dev.tenantkit.core.internal.CatalogField.enumValue;
import static dev.tenantkit.core.internal.CatalogField.flag;
import static dev.tenantkit.core.internal.CatalogField.section;
import static dev.tenantkit.core.internal.CatalogField.string;
import static dev.tenantkit.core.internal.CatalogField.strings;
import static dev.tenantkit.core.internal.CatalogField.uri;

import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.IdentityConfig.Builder;
import dev.tenantkit.core.IdentityConfig.Federation;
import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The catalog's {@code identity} object and its {@code federation}: every field of
 * {@link IdentityConfig}, read and written. What the record derives is not written as if it
 * were configured: a Cognito issuer is written (it is the record's key), but a default group
 * claim is left out, so changing the issuer kind later re-derives it.
 */
final class IdentityCodec {
  /** Federation is a record without a builder: its parts are gathered here, then built. */
  private static final class FederationParts {
    private @Nullable String providerName;
    private IdentityConfig.@Nullable ProviderType providerType;
    private @Nullable URI metadataUrl;

    Federation build() {
      // Both are required fields of the section, so read before this runs.
      return new Federation(Objects.requireNonNull(providerName), Objects.requireNonNull(providerType),
          metadataUrl);
    }
  }

  private static final CatalogSection<Federation, FederationParts> FEDERATION =
      CatalogSection.of(FederationParts::new, FederationParts::build)
          .required(string("providerName", Federation::providerName, (f, v) -> f.providerName = v))
          .required(enumValue("providerType", IdentityConfig.ProviderType.class, Federation::providerType,
              (f, v) -> f.providerType = v))
          .field(uri("metadataUrl", Federation::metadataUrl, (f, v) -> f.metadataUrl = v));

  static final CatalogSection<IdentityConfig, Builder> SECTION = CatalogSection.of(IdentityConfig::builder, Builder::build)
      .field(string("issuer", i -> i.issuer().toString(), Builder::issuer))
      .field(string("userPoolId", IdentityConfig::userPoolId, Builder::userPoolId))
      .field(string("region", IdentityConfig::region, Builder::region))
      .field(strings("appClientIds", IdentityConfig::appClientIds, Builder::appClientIds))
      .field(flag("anyClient", IdentityConfig::anyClient, Builder::anyClient))
      .field(string("audience", IdentityConfig::audience, Builder::audience))
      .field(string("tenantClaim", IdentityConfig::tenantClaim, Builder::tenantClaim))
      .field(string("groupClaim", i -> i.groupClaimIsDefault() ? null : i.groupClaim(), Builder::groupClaim))
      .field(flag("sharedIssuer", IdentityConfig::sharedIssuer, Builder::sharedIssuer))
      .field(string("jwksUri", i -> text(i.jwksUri()), Builder::jwksUri))
      .field(section("federation", FEDERATION, IdentityConfig::federation, Builder::federation));

  private IdentityCodec() {}

  private static @Nullable String text(@Nullable URI uri) {
    return uri == null ? null : uri.toString();
  }
}
