package dev.tenantkit.provision;

import dev.tenantkit.testkit.AwsWireProtocol;
import dev.tenantkit.testkit.LoopbackAwsEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * No EC2 endpoint runs locally, so this loopback answers the EC2 query-protocol calls the
 * preflight makes (XML in EC2's own response shape). The real SDK client talks to it; the
 * plumbing and the recording come from {@link LoopbackAwsEndpoint}.
 */
final class LoopbackEc2 extends LoopbackAwsEndpoint {
  volatile int vpcs;
  volatile int elasticIps;
  volatile int elasticIpQuota = 5;
  /** AZ of each NAT gateway in use. */
  final List<String> natGatewayAzs = new CopyOnWriteArrayList<>();

  LoopbackEc2() {
    super(AwsWireProtocol.ec2Query());
  }

  Ec2Client client() {
    return client(Ec2Client.builder());
  }

  @Override
  protected Reply answer(Call call) {
    StringBuilder items = new StringBuilder();
    String set;
    switch (call.operation()) {
      case "DescribeVpcs":
        set = "vpcSet";
        for (int i = 0; i < vpcs; i++) {
          items.append("<item><vpcId>vpc-").append(i).append("</vpcId><state>available</state></item>");
        }
        break;
      case "DescribeAddresses":
        set = "addressesSet";
        for (int i = 0; i < elasticIps; i++) {
          items.append("<item><publicIp>203.0.113.").append(i).append("</publicIp><allocationId>eipalloc-")
              .append(i).append("</allocationId><domain>vpc</domain></item>");
        }
        break;
      case "DescribeAccountAttributes":
        set = "accountAttributeSet";
        items.append("<item><attributeName>vpc-max-elastic-ips</attributeName><attributeValueSet><item>"
            + "<attributeValue>").append(elasticIpQuota).append("</attributeValue></item></attributeValueSet></item>");
        break;
      case "DescribeNatGateways":
        set = "natGatewaySet";
        for (int i = 0; i < natGatewayAzs.size(); i++) {
          items.append("<item><natGatewayId>nat-").append(i).append("</natGatewayId><subnetId>subnet-").append(i)
              .append("</subnetId><state>available</state></item>");
        }
        break;
      case "DescribeSubnets":
        set = "subnetSet";
        List<String> azs = new ArrayList<>(natGatewayAzs);
        for (int i = 0; i < azs.size(); i++) {
          items.append("<item><subnetId>subnet-").append(i).append("</subnetId><availabilityZone>").append(azs.get(i))
              .append("</availabilityZone></item>");
        }
        break;
      default:
        return error(400, "InvalidAction", "unsupported " + call.operation());
    }
    return ok(call, "<" + set + ">" + items + "</" + set + ">");
  }
}
