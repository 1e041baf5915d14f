package dev.tenantkit.archfixture.db;

/** Stands for a class of tenant-db in the rule's self-test. */
public final class DbFixture {
  private DbFixture() {}

  /** Something to call. */
  public static int value() {
    return 1;
  }
}
