package dev.tenantkit.core.spi;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The shape of a Cognito user pool id, for every module: a Region's ({@code eu-west-1_AbC123},
 * its Region part by {@link Regions}, so a pool in any Region {@code Regions} accepts is accepted
 * here too) or a Cognito emulator's ({@code local_AbC123}). Not for users: may change in any
 * release.
 */
public final class UserPoolIds {
  private static final Pattern SUFFIX = Pattern.compile("[0-9A-Za-z]{1,64}");
  private static final String EMULATOR_PREFIX = "local_";

  private UserPoolIds() {}

  /** Whether {@code value} is a Region's user pool id: a Region code, {@code _}, 1 to 64 letters or digits. */
  public static boolean isRegional(@Nullable String value) {
    if (value == null) {
      return false;
    }
    int underscore = value.indexOf('_');
    return underscore > 0 && Regions.isRegion(value.substring(0, underscore))
        && SUFFIX.matcher(value).region(underscore + 1, value.length()).matches();
  }

  /**
   * Whether {@code value} is an emulator's pool id ({@code local_} and 1 to 64 letters or digits):
   * it names no Region, so no issuer can be derived from it.
   */
  public static boolean isEmulator(@Nullable String value) {
    return value != null && value.startsWith(EMULATOR_PREFIX)
        && SUFFIX.matcher(value).region(EMULATOR_PREFIX.length(), value.length()).matches();
  }
}
