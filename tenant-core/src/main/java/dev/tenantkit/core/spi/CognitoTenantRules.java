package dev.tenantkit.core.spi;

import dev.tenantkit.core.IdentityConfig;
import dev.tenantkit.core.TenantId;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a tenant's own Cognito user pool carries its tenant, and how its app clients sign users in:
 * one definition that tenant-auth's admin client and tenant-provision's CDK user pool both apply
 * (they may not import each other). Not for users: see the package documentation.
 *
 * <h2>The tenant claim</h2>
 *
 * <p>The tenant binding is the tenant's own user pool (its issuer). Where tokens also carry the
 * tenant ({@value #TENANT_CLAIM}), Cognito sets it and nobody else can:
 *
 * <ul>
 *   <li>it is an immutable custom attribute ({@link #TENANT_ATTRIBUTE_MUTABLE} false), so once a
 *       user is created by the admin API with {@link #tenantUserAttribute}, it never changes (a
 *       pre-token-generation trigger that adds it is the other Cognito-side way);</li>
 *   <li>app clients may read it ({@link #READ_ATTRIBUTES}) but never write it
 *       ({@link #WRITE_ATTRIBUTES});</li>
 *   <li>the customer's identity provider never supplies it: an attribute mapping onto it is refused
 *       ({@link #attributeMappingProblem}). Besides letting the customer's IdP choose the tenant,
 *       such a mapping breaks sign-in: Cognito writes mapped attributes on every federated sign-in,
 *       and refuses to write an immutable one after the first.</li>
 * </ul>
 *
 * <h2>App clients</h2>
 *
 * <p>Public clients (no secret) with the authorization code grant only ({@link #OAUTH_FLOWS}; the
 * implicit grant, which returns tokens in the URL, is never enabled). Cognito has no switch that
 * forces PKCE on a client; a public client using the code grant is the set-up PKCE is made for,
 * and TenantKit's documentation tells apps to send it. Callback and logout URLs come from the
 * spec and must pass {@link #redirectUrlProblem}; there is no placeholder default: without
 * callback URLs, OAuth is off for the client (SRP sign-in only), and a federated provider, which
 * can only be reached through OAuth, then is an error.
 */
public final class CognitoTenantRules {
  /** The claim (and admin-API attribute name) that names the tenant: {@code custom:tenant_id}. */
  public static final String TENANT_CLAIM = IdentityConfig.DEFAULT_TENANT_CLAIM;
  /** The custom attribute's name in the pool's schema, without the {@code custom:} prefix. */
  public static final String TENANT_ATTRIBUTE = TENANT_CLAIM.substring("custom:".length());
  /** The tenant attribute is immutable: set once, at user creation. */
  public static final boolean TENANT_ATTRIBUTE_MUTABLE = false;
  /** Shortest tenant attribute value (a tenant id). */
  public static final int TENANT_ATTRIBUTE_MIN_LENGTH = TenantId.MIN_LENGTH;
  /** Longest tenant attribute value (a tenant id). */
  public static final int TENANT_ATTRIBUTE_MAX_LENGTH = TenantId.MAX_LENGTH;

  /** What an app client may read: the profile attributes and the tenant claim. */
  public static final List<String> READ_ATTRIBUTES =
      List.of("email", "email_verified", "name", "given_name", "family_name", TENANT_CLAIM);
  /**
   * What an app client may write: the profile attributes, never the tenant claim. Every attribute
   * a federated provider maps must be in here (Cognito writes them on each federated sign-in).
   */
  public static final List<String> WRITE_ATTRIBUTES = List.of("email", "name", "given_name", "family_name");

  /** The only OAuth flow an app client allows: the authorization code grant. */
  public static final List<String> OAUTH_FLOWS = List.of("code");
  /** The OAuth scopes an app client allows (no {@code aws.cognito.signin.user.admin}). */
  public static final List<String> OAUTH_SCOPES = List.of("openid", "email", "profile");

  /** Cognito's cap on callback or logout URLs per app client. */
  public static final int MAX_REDIRECT_URLS = 100;

  private static final Pattern DOMAIN_PREFIX = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final List<String> DOMAIN_RESERVED_WORDS = List.of("aws", "amazon", "cognito");

  private CognitoTenantRules() {}

  /** The tenant's user pool: {@code tenantkit-<tenant>}. */
  public static String userPoolName(TenantId tenant) {
    return "tenantkit-" + tenant.value();
  }

  /**
   * The default Cognito domain prefix: {@code tenantkit-<tenant>}. Check it with
   * {@link #domainPrefixProblem}: a tenant id containing a word Cognito reserves needs another.
   */
  public static String defaultDomainPrefix(TenantId tenant) {
    return "tenantkit-" + tenant.value();
  }

  /** The attribute a new user of {@code tenant} is created with (admin API), as name to value. */
  public static Map<String, String> tenantUserAttribute(TenantId tenant) {
    return Map.of(TENANT_CLAIM, tenant.value());
  }

  /**
   * Why a federated provider's attribute mapping (user pool attribute to provider attribute) is
   * refused, or empty when it is acceptable: it must not target the tenant claim, and every target
   * must be an attribute app clients may write.
   */
  public static Optional<String> attributeMappingProblem(Map<String, String> mapping) {
    for (String target : mapping.keySet()) {
      if (target.toLowerCase(Locale.ROOT).equals(TENANT_CLAIM)) {
        return Optional.of("maps the customer's " + mapping.get(target) + " onto " + TENANT_CLAIM
            + "; the tenant never comes from the customer's identity provider (its own user pool is the binding, "
            + "and Cognito refuses to rewrite the immutable attribute on the next federated sign-in)");
      }
      if (!WRITE_ATTRIBUTES.contains(target)) {
        return Optional.of("maps onto " + target + ", which app clients may not write (allowed: "
            + String.join(", ", WRITE_ATTRIBUTES) + ")");
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code url} cannot be an app client's callback or logout URL, or empty when it can: an
   * absolute {@code https} URL (plain {@code http} only on a loopback host, for local development),
   * at most 1024 characters, without a fragment or user info.
   */
  public static Optional<String> redirectUrlProblem(String url) {
    if (url.isEmpty() || url.length() > 1024) {
      return Optional.of("must be 1 to 1024 characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("is not a valid URL");
    }
    String host = uri.getHost();
    if (!uri.isAbsolute() || host == null) {
      return Optional.of("must be an absolute URL with a host");
    }
    if (!Uris.isHttpsOrLoopbackHttp(uri)) {
      return Optional.of("must use https (http only on localhost)");
    }
    if (uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      return Optional.of("must not contain a fragment or user info");
    }
    return Optional.empty();
  }

  /**
   * Why {@code prefix} cannot be a Cognito domain prefix, or empty when it can: 1 to 63 lowercase
   * letters, digits and hyphens, a letter or digit at both ends, and none of the words Cognito
   * reserves ({@code aws}, {@code amazon}, {@code cognito}) anywhere in it. Prefixes are unique per
   * Region across all AWS accounts, which no local check can tell.
   */
  public static Optional<String> domainPrefixProblem(String prefix) {
    if (!DOMAIN_PREFIX.matcher(prefix).matches()) {
      return Optional.of("must be 1 to 63 lowercase letters, digits or '-', starting and ending with a letter "
          + "or digit");
    }
    for (String word : DOMAIN_RESERVED_WORDS) {
      if (prefix.contains(word)) {
        return Optional.of("contains \"" + word + "\", which Cognito reserves (aws, amazon, cognito); "
            + "choose another prefix");
      }
    }
    return Optional.empty();
  }
}
