package dev.tenantkit.provision;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * No EC2 endpoint runs locally, so this loopback answers the four EC2 query-protocol calls the
 * preflight makes (XML in EC2's own response shape). The real SDK client talks to it.
 */
final class LoopbackEc2 implements AutoCloseable {
  final List<String> actions = new CopyOnWriteArrayList<>();
  volatile int vpcs;
  volatile int elasticIps;
  volatile int elasticIpQuota = 5;
  /** AZ of each NAT gateway in use. */
  final List<String> natGatewayAzs = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  LoopbackEc2() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  Ec2Client client() {
    return Ec2Client.builder().endpointOverride(endpoint())
        .region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local")))
        .build();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = URLDecoder.decode(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
          StandardCharsets.UTF_8);
      String action = body.replaceAll("(?s).*Action=([A-Za-z]+).*", "$1");
      actions.add(action);
      StringBuilder items = new StringBuilder();
      String set;
      switch (action) {
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
          send(ex, 400, "<Response><Errors><Error><Code>InvalidAction</Code><Message>unsupported " + action
              + "</Message></Error></Errors><RequestID>req-1</RequestID></Response>");
          return;
      }
      send(ex, 200, "<" + action + "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>req-1"
          + "</requestId><" + set + ">" + items + "</" + set + "></" + action + "Response>");
    }
  }

  private static void send(HttpExchange ex, int status, String xml) throws IOException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/xml");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
