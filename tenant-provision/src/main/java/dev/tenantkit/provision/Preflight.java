package dev.tenantkit.provision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AccountAttribute;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Checks, before a deployment, that the Region has room for one more tenant stack: a VPC, one
 * Elastic IP per NAT gateway, and a NAT gateway in each AZ that gets one. A stack that hits a quota
 * half-way rolls back after many minutes; this refuses up front, naming the quota. At one NAT
 * gateway per AZ, the default quota of 5 Elastic IPs fits only two premium tenants.
 *
 * <p>Usage is read from EC2 ({@code DescribeVpcs}, {@code DescribeAddresses},
 * {@code DescribeNatGateways}). The Elastic IP quota is read from
 * {@code DescribeAccountAttributes} ({@code vpc-max-elastic-ips}); the VPC and NAT gateway quotas
 * are AWS's defaults (5 and 5) unless given with {@link Builder#vpcQuota} and
 * {@link Builder#natGatewaysPerAzQuota} (raised quotas are visible in Service Quotas as
 * L-F678F1CE and L-FE5A380F).
 */
public final class Preflight {
  private final Ec2Client ec2;
  private final int vpcQuota;
  private final int natPerAzQuota;

  private Preflight(Builder b) {
    this.ec2 = Objects.requireNonNull(b.ec2, "ec2");
    this.vpcQuota = b.vpcQuota;
    this.natPerAzQuota = b.natPerAzQuota;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What the stack needs and what the Region has, per quota. */
  public record Report(int vpcsUsed, int vpcQuota, int elasticIpsUsed, int elasticIpQuota,
      Map<String, Integer> natGatewaysPerAz, int natPerAzQuota, List<String> shortfalls) {}

  /** Measures; see {@link #require} to refuse. */
  public Report check(TenantStackSpec spec) {
    int vpcs = ec2.describeVpcs().vpcs().size();
    int eips = ec2.describeAddresses().addresses().size();
    int eipQuota = 5;
    for (AccountAttribute a : ec2.describeAccountAttributes(r -> r.attributeNamesWithStrings("vpc-max-elastic-ips"))
        .accountAttributes()) {
      if ("vpc-max-elastic-ips".equals(a.attributeName()) && !a.attributeValues().isEmpty()) {
        eipQuota = Integer.parseInt(a.attributeValues().get(0).attributeValue());
      }
    }
    List<NatGateway> nats = ec2.describeNatGateways(r -> r.filter(Filter.builder().name("state")
        .values("pending", "available").build())).natGateways();
    Map<String, Integer> natPerAz = new HashMap<>();
    if (!nats.isEmpty()) {
      Map<String, String> azOfSubnet = new HashMap<>();
      for (Subnet s : ec2.describeSubnets(r -> r.subnetIds(nats.stream().map(NatGateway::subnetId).distinct().toList()))
          .subnets()) {
        azOfSubnet.put(s.subnetId(), s.availabilityZone());
      }
      for (NatGateway n : nats) {
        natPerAz.merge(azOfSubnet.getOrDefault(n.subnetId(), "unknown"), 1, Integer::sum);
      }
    }
    int natCount = spec.tier().natGatewayPerAz() ? spec.availabilityZones() : 1;
    List<String> shortfalls = new ArrayList<>();
    if (vpcs + 1 > vpcQuota) {
      shortfalls.add("VPCs: the stack needs 1, " + vpcs + " of " + vpcQuota + " are in use in " + spec.region()
          + " (quota L-F678F1CE, VPCs per Region)");
    }
    if (eips + natCount > eipQuota) {
      shortfalls.add("Elastic IPs: the stack needs " + natCount + " (one per NAT gateway), " + eips + " of " + eipQuota
          + " are in use in " + spec.region() + " (quota L-0263D0A3, EC2-VPC Elastic IPs)");
    }
    for (String az : spec.availabilityZoneNames().subList(0, natCount)) {
      int used = natPerAz.getOrDefault(az, 0);
      if (used + 1 > natPerAzQuota) {
        shortfalls.add("NAT gateways in " + az + ": the stack needs 1, " + used + " of " + natPerAzQuota
            + " are in use (quota L-FE5A380F, NAT gateways per AZ)");
      }
    }
    return new Report(vpcs, vpcQuota, eips, eipQuota, Map.copyOf(natPerAz), natPerAzQuota, List.copyOf(shortfalls));
  }

  /** Measures and refuses with a {@link PreflightException} when any quota would be exceeded. */
  public Report require(TenantStackSpec spec) {
    Report r = check(spec);
    if (!r.shortfalls().isEmpty()) {
      throw new PreflightException(spec.stackName(), r.shortfalls());
    }
    return r;
  }

  /** Builds a {@link Preflight}. */
  public static final class Builder {
    private @org.jspecify.annotations.Nullable Ec2Client ec2;
    private int vpcQuota = 5;
    private int natPerAzQuota = 5;

    private Builder() {}

    /** The EC2 client of the Region the stack goes to (required). */
    public Builder ec2(Ec2Client ec2) {
      this.ec2 = Objects.requireNonNull(ec2, "ec2");
      return this;
    }

    /** The account's VPCs-per-Region quota, when raised above AWS's default of 5. */
    public Builder vpcQuota(int quota) {
      if (quota < 1) {
        throw new IllegalArgumentException("vpcQuota must be positive");
      }
      this.vpcQuota = quota;
      return this;
    }

    /** The account's NAT-gateways-per-AZ quota, when raised above AWS's default of 5. */
    public Builder natGatewaysPerAzQuota(int quota) {
      if (quota < 1) {
        throw new IllegalArgumentException("natGatewaysPerAzQuota must be positive");
      }
      this.natPerAzQuota = quota;
      return this;
    }

    public Preflight build() {
      return new Preflight(this);
    }
  }
}
