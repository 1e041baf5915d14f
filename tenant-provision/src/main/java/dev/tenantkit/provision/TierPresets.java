package dev.tenantkit.provision;

import java.util.List;
import java.util.Optional;

/**
 * The built-in tiers. Each step up buys availability and isolation with money; see
 * docs/design-provision.md for the reasoning behind each value.
 */
public final class TierPresets {
  /**
   * Small tenants: one NAT gateway (one Elastic IP), no interface endpoints, a single-AZ database
   * with 7 days of backups, SSE-S3, Cognito Essentials; WAF blocks a client address above 3,000
   * requests in 5 minutes (10 a second sustained). Still two AZs for the instances and the
   * ALB, encryption everywhere, deletion protection on.
   */
  public static final TierPreset BASIC = new TierPreset("basic", false, false, 30, "t3.small", 1, 2, 70,
      "t4g.micro", false, 7, 20, false, false, 3_000);

  /**
   * Most tenants: a Multi-AZ database with 14 days of backups, interface endpoints, SSE-KMS with
   * the tenant's own key, enforced threat protection; still one NAT gateway; WAF at 6,000 requests
   * per client address in 5 minutes.
   */
  public static final TierPreset STANDARD = new TierPreset("standard", false, true, 90, "t3.medium", 2, 4, 60,
      "t4g.small", true, 14, 50, true, true, 6_000);

  /**
   * Tenants that pay for resilience: a NAT gateway per AZ (no single AZ takes egress down), larger
   * instances and database, 35 days of backups, a year of flow logs; WAF at 20,000 requests per
   * client address in 5 minutes.
   */
  public static final TierPreset PREMIUM = new TierPreset("premium", true, true, 365, "m6i.large", 2, 10, 50,
      "m6g.large", true, 35, 100, true, true, 20_000);

  /** All built-in presets. */
  public static final List<TierPreset> ALL = List.of(BASIC, STANDARD, PREMIUM);

  private TierPresets() {}

  /** The built-in preset with this name. */
  public static Optional<TierPreset> find(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
