package dev.tenantkit.auth.internal;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.Resource;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.util.Map;

/**
 * Finds a direct OIDC issuer's key set: GET {@code {issuer}/.well-known/openid-configuration},
 * whose {@code issuer} must equal the record's exactly and whose {@code jwks_uri} must be https
 * (plain http only on loopback). Called by {@link IssuerKeys}, which caches the answer and rate
 * limits failures; never at request rate, never inside a map's compute.
 */
final class OidcDiscovery {
  private OidcDiscovery() {}

  static URI documentUri(String iss) {
    String base = iss.endsWith("/") ? iss.substring(0, iss.length() - 1) : iss;
    return URI.create(base + "/.well-known/openid-configuration");
  }

  /**
   * @throws KeySetupException naming the cause, e.g. "the discovery document names issuer X, the
   *     record expects Y"
   */
  static URI jwksUri(String iss, DefaultResourceRetriever retriever) {
    URI document = documentUri(iss);
    Resource resource;
    try {
      resource = retriever.retrieveResource(document.toURL());
    } catch (IOException | RuntimeException e) {
      throw new KeySetupException("OIDC discovery at " + document + " failed: " + Causes.describe(e));
    }
    Map<String, Object> json;
    try {
      json = JSONObjectUtils.parse(resource.getContent());
    } catch (ParseException e) {
      throw new KeySetupException("OIDC discovery at " + document + ": the document is not a JSON object");
    }
    Object named = json.get("issuer");
    if (!iss.equals(named)) {
      throw new KeySetupException("OIDC discovery at " + document + ": the discovery document names issuer "
          + Causes.quote(named) + ", the record expects " + iss);
    }
    Object jwks = json.get("jwks_uri");
    if (!(jwks instanceof String)) {
      throw new KeySetupException("OIDC discovery at " + document + ": the document has no jwks_uri");
    }
    URI uri;
    try {
      uri = new URI((String) jwks);
    } catch (java.net.URISyntaxException e) {
      throw new KeySetupException("OIDC discovery at " + document + ": jwks_uri " + Causes.quote(jwks)
          + " is not a URI");
    }
    if (!dev.tenantkit.core.spi.Uris.isHttpsOrLoopbackHttp(uri)) {
      throw new KeySetupException("OIDC discovery at " + document + ": jwks_uri " + Causes.quote(jwks)
          + " is not https (plain http is accepted only on loopback)");
    }
    return uri;
  }
}
