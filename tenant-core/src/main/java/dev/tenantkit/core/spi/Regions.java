package dev.tenantkit.core.spi;

import java.util.regex.Pattern;

/** The shape of an AWS Region code, for every module. Not for users: may change in any release. */
public final class Regions {
  // eu-west-1, us-gov-west-1, us-isob-east-1, cn-northwest-1, ap-southeast-5, eusc-de-east-1.
  private static final Pattern REGION = Pattern.compile("[a-z]{2,4}(-[a-z]+){1,3}-\\d{1,2}");

  private Regions() {}

  /** Whether {@code value} looks like an AWS Region code (its shape only; no list of Regions). */
  public static boolean isRegion(String value) {
    return value != null && REGION.matcher(value).matches();
  }

  /** The rule as text, for messages. */
  public static String rule() {
    return "an AWS Region code such as eu-west-1";
  }
}
