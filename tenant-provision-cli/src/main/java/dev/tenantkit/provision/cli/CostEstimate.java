package dev.tenantkit.provision.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.provision.TenantStackSpec;
import dev.tenantkit.provision.TierPreset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed monthly cost of a tenant stack at its minimum size, by component, in the stack's
 * Region, from the dated price table {@code prices.json} (prices per Region; see its {@code basis}:
 * a planning figure, not a quote). A Region the table has no prices for is not estimated: callers
 * ask {@link #hasRegion} and name the Region, rather than price it as another.
 */
final class CostEstimate {
  private static final double HOURS = 730;

  private final JsonNode prices;

  private CostEstimate(JsonNode prices) {
    this.prices = prices;
  }

  static CostEstimate load() {
    try (InputStream in = CostEstimate.class.getResourceAsStream("prices.json")) {
      return new CostEstimate(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the price table", e);
    }
  }

  String asOf() {
    return prices.path("asOf").asText();
  }

  String basis() {
    return prices.path("basis").asText();
  }

  /** The Regions the table has prices for. */
  List<String> regions() {
    List<String> out = new ArrayList<>();
    prices.path("regions").fieldNames().forEachRemaining(out::add);
    return out;
  }

  boolean hasRegion(String region) {
    return prices.path("regions").has(region);
  }

  /** The Region's name, e.g. {@code Europe (Ireland)}. */
  String regionName(String region) {
    return prices.path("regions").path(region).path("name").asText(region);
  }

  /**
   * Component to USD per month in the spec's Region; NaN where the table has no price for the
   * chosen type there.
   *
   * @throws IllegalArgumentException when the table has no prices for the Region at all
   */
  Map<String, Double> monthly(TenantStackSpec spec) {
    if (!hasRegion(spec.region())) {
      throw new IllegalArgumentException("the price table has no prices for " + spec.region());
    }
    JsonNode regional = prices.path("regions").path(spec.region());
    TierPreset tier = spec.tier();
    JsonNode h = regional.path("hourly");
    JsonNode m = regional.path("monthly");
    int azs = spec.availabilityZones();
    int nats = tier.natGatewayPerAz() ? azs : 1;
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("network (" + nats + " NAT gateway(s) + Elastic IPs" + (tier.interfaceEndpoints()
        ? ", 5 interface endpoints x " + azs + " AZs" : "") + ")",
        HOURS * (nats * (h.path("natGateway").asDouble() + h.path("publicIpv4").asDouble())
            + (tier.interfaceEndpoints() ? 5 * azs * h.path("interfaceEndpointPerAz").asDouble() : 0)));
    out.put("ingress (ALB + " + azs + " public IPv4)",
        HOURS * (h.path("alb").asDouble() + azs * h.path("publicIpv4").asDouble()));
    out.put("edge (AWS WAF web ACL + 1 rate-based rule)",
        m.path("wafWebAcl").asDouble() + m.path("wafRule").asDouble());
    out.put("compute (" + spec.minCapacity() + " x " + spec.instanceType() + ")",
        HOURS * spec.minCapacity() * price(h.path("ec2"), spec.instanceType()));
    int copies = tier.multiAzDatabase() ? 2 : 1;
    out.put("database (db." + spec.databaseInstanceClass() + (copies == 2 ? ", Multi-AZ" : "") + ", "
        + tier.databaseStorageGiB() + " GiB gp3)",
        copies * (HOURS * price(h.path("rds"), "db." + spec.databaseInstanceClass())
            + tier.databaseStorageGiB() * m.path("rdsGp3PerGiB").asDouble()));
    out.put("keys and secrets (" + (tier.kmsBucketEncryption() ? "KMS key + " : "") + "database secret)",
        (tier.kmsBucketEncryption() ? m.path("kmsKey").asDouble() : 0) + m.path("secret").asDouble());
    return out;
  }

  private static double price(JsonNode table, String type) {
    JsonNode p = table.get(type);
    return p == null ? Double.NaN : p.asDouble();
  }
}
