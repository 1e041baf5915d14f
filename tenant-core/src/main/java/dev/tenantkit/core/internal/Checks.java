package dev.tenantkit.core.internal;

import dev.tenantkit.core.InvalidTenantRecordException;
import java.net.URI;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Field checks shared by the tenant record sections. Each names the field it refuses. */
public final class Checks {

  private Checks() {}

  /** {@code value}, or an error naming {@code field} when it is null or blank. */
  public static String required(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      throw new InvalidTenantRecordException(field, "is required");
    }
    return value;
  }

  /** Refuses a value that is present but does not match {@code pattern}. */
  public static @Nullable String matches(
      @Nullable String value, Pattern pattern, String field, String rule) {
    if (value != null && !pattern.matcher(value).matches()) {
      throw new InvalidTenantRecordException(field, rule + " (was " + SafeText.quote(value) + ")");
    }
    return value;
  }

  /** Refuses a present value that is not an AWS Region code such as {@code eu-west-1}. */
  public static @Nullable String region(@Nullable String value, String field) {
    if (value != null && !dev.tenantkit.core.spi.Regions.isRegion(value)) {
      throw new InvalidTenantRecordException(field, "must be " + dev.tenantkit.core.spi.Regions.rule()
          + " (was " + SafeText.quote(value) + ")");
    }
    return value;
  }

  /**
   * Refuses a present value that is not a Region's Cognito user pool id ({@code eu-west-1_AbC123},
   * the Region part by the same rule as {@link #region}).
   */
  public static @Nullable String userPoolId(@Nullable String value, String field, String rule) {
    if (value != null && !dev.tenantkit.core.spi.UserPoolIds.isRegional(value)) {
      throw new InvalidTenantRecordException(field, rule + " (was " + SafeText.quote(value) + ")");
    }
    return value;
  }

  /** Refuses a present value that is not an ARN. */
  public static @Nullable String arn(@Nullable String value, String field) {
    if (value != null && (!value.startsWith("arn:") || value.split(":", -1).length < 6)) {
      throw new InvalidTenantRecordException(
          field, "must be an ARN (arn:partition:service:region:account:resource), was "
              + SafeText.quote(value));
    }
    return value;
  }

  /** Refuses a port outside 1..65535 (a long, so a catalog's number is checked before it could wrap). */
  public static int port(long port, String field) {
    if (port < 1 || port > 65535) {
      throw new InvalidTenantRecordException(field, "must be between 1 and 65535 (was " + port + ")");
    }
    return (int) port;
  }

  /**
   * An absolute https URI; plain http only for a loopback host (local issuers and emulators),
   * so a misconfigured record cannot send tokens or key requests over cleartext.
   */
  public static @Nullable URI httpsUri(@Nullable String value, String field) {
    if (value == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (Exception e) {
      throw new InvalidTenantRecordException(field, "is not a valid URI: " + SafeText.quote(value));
    }
    String host = uri.getHost();
    if (!uri.isAbsolute() || host == null) {
      throw new InvalidTenantRecordException(field, "must be an absolute URI with a host, was "
          + SafeText.quote(value));
    }
    if (!dev.tenantkit.core.spi.Uris.isHttpsOrLoopbackHttp(uri)) {
      throw new InvalidTenantRecordException(
          field, "must use https (http is accepted only for localhost), was " + SafeText.quote(value));
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new InvalidTenantRecordException(field, "must not contain user info, a query or a fragment");
    }
    return uri;
  }
}
