package dev.tenantkit.provision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AccountAttribute;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Checks, before a deployment, that the Region has room for what the deployment adds: for a new
 * stack a VPC, one Elastic IP per NAT gateway, and a NAT gateway in each AZ that gets one; for an
 * update of a deployed stack only what the change adds to the stack's {@link Footprint} (a tier
 * change that adds a NAT gateway in another AZ needs one more Elastic IP and room in that AZ, and
 * no VPC). A stack that hits a quota half-way rolls back after many minutes; this refuses up front,
 * naming the quota. At one NAT gateway per AZ, the default quota of 5 Elastic IPs fits only two
 * premium tenants.
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

  /**
   * What the deployment adds and what the Region has, per quota.
   *
   * @param vpcsNeeded VPCs the deployment adds (1 for a new stack, 0 for an update)
   * @param elasticIpsNeeded Elastic IPs it adds (one per new NAT gateway)
   * @param natGatewayAzsNeeded the AZs that get a new NAT gateway
   */
  public record Report(int vpcsUsed, int vpcQuota, int elasticIpsUsed, int elasticIpQuota,
      Map<String, Integer> natGatewaysPerAz, int natPerAzQuota, int vpcsNeeded, int elasticIpsNeeded,
      List<String> natGatewayAzsNeeded, List<String> shortfalls) {}

  /**
   * What a deployed stack already holds of what the quotas count, so an update is checked only for
   * what it adds.
   *
   * @param vpcs the stack's VPCs (0 or 1)
   * @param natGatewayIds the physical ids of the stack's NAT gateways
   */
  public record Footprint(int vpcs, Set<String> natGatewayIds) {
    /** Nothing deployed yet: a new stack. */
    public static final Footprint NONE = new Footprint(0, Set.of());

    /** Copies the ids. */
    public Footprint {
      natGatewayIds = Set.copyOf(natGatewayIds);
    }

    /** The footprint of a stack with these resources (deleted ones do not count). */
    public static Footprint of(List<StackDeployer.StackResource> resources) {
      int vpcs = 0;
      Set<String> nats = new HashSet<>();
      for (StackDeployer.StackResource r : resources) {
        if (r.status().startsWith("DELETE") || r.physicalId() == null) {
          continue;
        }
        if (r.type().equals("AWS::EC2::VPC")) {
          vpcs++;
        } else if (r.type().equals("AWS::EC2::NatGateway")) {
          nats.add(r.physicalId());
        }
      }
      return new Footprint(vpcs, nats);
    }

    boolean isEmpty() {
      return vpcs == 0 && natGatewayIds.isEmpty();
    }
  }

  /** Measures for a new stack; see {@link #require} to refuse. */
  public Report check(TenantStackSpec spec) {
    return check(spec, Footprint.NONE);
  }

  /** Measures what deploying {@code spec} over a stack holding {@code existing} adds. */
  public Report check(TenantStackSpec spec, Footprint existing) {
    Usage usage = usage(Set.copyOf(existing.natGatewayIds()));
    Need need = need(spec, existing, usage);
    boolean update = !existing.isEmpty();
    List<String> shortfalls = new ArrayList<>();
    if (usage.vpcs + need.vpcs > vpcQuota) {
      shortfalls.add("VPCs: the stack needs 1, " + usage.vpcs + " of " + vpcQuota + " are in use in " + spec.region()
          + " (quota L-F678F1CE, VPCs per Region)");
    }
    if (!need.natAzs.isEmpty() && usage.eips + need.natAzs.size() > usage.eipQuota) {
      shortfalls.add("Elastic IPs: " + (update ? "the update adds " + need.natAzs.size()
          + " NAT gateway(s), one Elastic IP each, " : "the stack needs " + need.natAzs.size()
          + " (one per NAT gateway), ") + usage.eips + " of " + usage.eipQuota + " are in use in " + spec.region()
          + " (quota L-0263D0A3, EC2-VPC Elastic IPs)");
    }
    for (String az : need.natAzs) {
      int used = usage.natPerAz.getOrDefault(az, 0);
      if (used + 1 > natPerAzQuota) {
        shortfalls.add("NAT gateways in " + az + ": the " + (update ? "update adds" : "stack needs") + " 1, " + used
            + " of " + natPerAzQuota + " are in use (quota L-FE5A380F, NAT gateways per AZ)");
      }
    }
    return new Report(usage.vpcs, vpcQuota, usage.eips, usage.eipQuota, Map.copyOf(usage.natPerAz), natPerAzQuota,
        need.vpcs, need.natAzs.size(), List.copyOf(need.natAzs), List.copyOf(shortfalls));
  }

  /**
   * One check for a whole batch (this client's Region): refuses, naming each quota, when the sum
   * of what the batch's deployments add does not fit, before any of them starts.
   *
   * @param batch each spec with what its stack already holds ({@link Footprint#NONE} for a new one)
   * @throws PreflightException when the batch as a whole would exceed a quota
   */
  public void requireBatch(Map<TenantStackSpec, Footprint> batch) {
    if (batch.isEmpty()) {
      return;
    }
    Set<String> ownNats = new HashSet<>();
    batch.values().forEach(f -> ownNats.addAll(f.natGatewayIds()));
    Usage usage = usage(ownNats);
    int vpcs = 0;
    int eips = 0;
    Map<String, Integer> natsPerAz = new java.util.TreeMap<>();
    Set<String> regions = new java.util.TreeSet<>();
    for (Map.Entry<TenantStackSpec, Footprint> e : batch.entrySet()) {
      regions.add(e.getKey().region());
      Need need = need(e.getKey(), e.getValue(), usage);
      vpcs += need.vpcs;
      eips += need.natAzs.size();
      need.natAzs.forEach(az -> natsPerAz.merge(az, 1, Integer::sum));
    }
    if (regions.size() > 1) {
      throw new IllegalArgumentException("a batch preflight covers one Region (quotas are per Region); the batch "
          + "spans " + regions);
    }
    String region = regions.iterator().next();
    List<String> shortfalls = new ArrayList<>();
    if (usage.vpcs + vpcs > vpcQuota) {
      shortfalls.add("VPCs: the batch of " + batch.size() + " needs " + vpcs + ", " + usage.vpcs + " of " + vpcQuota
          + " are in use in " + region + " (quota L-F678F1CE, VPCs per Region)");
    }
    if (eips > 0 && usage.eips + eips > usage.eipQuota) {
      shortfalls.add("Elastic IPs: the batch of " + batch.size() + " needs " + eips + " (one per NAT gateway), "
          + usage.eips + " of " + usage.eipQuota + " are in use in " + region + " (quota L-0263D0A3, EC2-VPC Elastic IPs)");
    }
    for (Map.Entry<String, Integer> az : natsPerAz.entrySet()) {
      int used = usage.natPerAz.getOrDefault(az.getKey(), 0);
      if (used + az.getValue() > natPerAzQuota) {
        shortfalls.add("NAT gateways in " + az.getKey() + ": the batch needs " + az.getValue() + ", " + used + " of "
            + natPerAzQuota + " are in use (quota L-FE5A380F, NAT gateways per AZ)");
      }
    }
    if (!shortfalls.isEmpty()) {
      throw new PreflightException("a batch of " + batch.size() + " tenants", shortfalls);
    }
  }

  /** What the Region uses now; {@code ownNats} are NAT gateways of the stacks being changed. */
  private record Usage(int vpcs, int eips, int eipQuota, Map<String, Integer> natPerAz, Map<String, String> azOfNat) {}

  private Usage usage(Set<String> ownNats) {
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
    Map<String, String> azOfNat = new HashMap<>();
    if (!nats.isEmpty()) {
      Map<String, String> azOfSubnet = new HashMap<>();
      for (Subnet s : ec2.describeSubnets(r -> r.subnetIds(nats.stream().map(NatGateway::subnetId).distinct().toList()))
          .subnets()) {
        azOfSubnet.put(s.subnetId(), s.availabilityZone());
      }
      for (NatGateway n : nats) {
        String az = azOfSubnet.getOrDefault(n.subnetId(), "unknown");
        natPerAz.merge(az, 1, Integer::sum);
        if (ownNats.contains(n.natGatewayId())) {
          azOfNat.put(n.natGatewayId(), az);
        }
      }
    }
    return new Usage(vpcs, eips, eipQuota, natPerAz, azOfNat);
  }

  /** What deploying {@code spec} over {@code existing} adds: a VPC, and NAT gateways in these AZs. */
  private record Need(int vpcs, List<String> natAzs) {}

  private static Need need(TenantStackSpec spec, Footprint existing, Usage usage) {
    Set<String> stackNatAzs = new HashSet<>(); // where the deployed stack already has a NAT gateway
    for (String id : existing.natGatewayIds()) {
      String az = usage.azOfNat.get(id);
      if (az != null) {
        stackNatAzs.add(az);
      }
    }
    int natCount = spec.tier().natGatewayPerAz() ? spec.availabilityZones() : 1;
    List<String> newNatAzs = new ArrayList<>();
    for (String az : spec.availabilityZoneNames().subList(0, natCount)) {
      if (!stackNatAzs.contains(az)) {
        newNatAzs.add(az);
      }
    }
    return new Need(existing.vpcs() > 0 ? 0 : 1, newNatAzs);
  }

  /** Measures for a new stack and refuses with a {@link PreflightException} when a quota would be exceeded. */
  public Report require(TenantStackSpec spec) {
    return require(spec, Footprint.NONE);
  }

  /** Measures what the deployment adds to {@code existing} and refuses when a quota would be exceeded. */
  public Report require(TenantStackSpec spec, Footprint existing) {
    Report r = check(spec, existing);
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
