package dev.tenantkit.archfixture.auth;

import dev.tenantkit.archfixture.db.DbFixture;

/** Stands for a tenant-auth class that wrongly calls tenant-db: the rule must flag it. */
public final class AuthFixture {
  private AuthFixture() {}

  /** The forbidden call. */
  public static int value() {
    return DbFixture.value();
  }
}
