package dev.tenantkit.provision.internal;

import dev.tenantkit.provision.TenantStackSpec;
import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The tenant's VPC: public, private-with-egress and isolated subnets in each of the spec's AZs
 * (named, never looked up), NAT per the tier, an S3 gateway endpoint, interface endpoints for
 * higher tiers, and flow logs of all traffic to CloudWatch Logs.
 */
public final class TenantNetwork extends Construct {
  private final Vpc vpc;

  public TenantNetwork(Construct scope, String id, TenantStackSpec spec) {
    super(scope, id);
    this.vpc = Vpc.Builder.create(this, "Vpc")
        .ipAddresses(IpAddresses.cidr("10.0.0.0/16"))
        .availabilityZones(spec.availabilityZoneNames())
        .natGateways(spec.tier().natGatewayPerAz() ? spec.availabilityZones() : 1)
        .subnetConfiguration(List.of(
            SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
            SubnetConfiguration.builder().name("app").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(20).build(),
            SubnetConfiguration.builder().name("data").subnetType(SubnetType.PRIVATE_ISOLATED).cidrMask(24).build()))
        // No resource uses the default security group. Restricting it takes a CDK custom
        // resource (a Lambda asset), which would tie deployment to a CDK-bootstrapped account;
        // the template stays deployable by plain CloudFormation instead.
        .restrictDefaultSecurityGroup(false)
        .build();
    LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs")
        .retention(retention(spec.tier().flowLogRetentionDays()))
        .removalPolicy(spec.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
        .build();
    vpc.addFlowLog("FlowLog", FlowLogOptions.builder()
        .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
        .trafficType(FlowLogTrafficType.ALL)
        .build());
    // S3 traffic never crosses the NAT gateway (free, and keeps the bucket reachable without it).
    vpc.addGatewayEndpoint("S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build());
    if (spec.tier().interfaceEndpoints()) {
      SubnetSelection app = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
      for (var e : List.of(
          new Object[] {"Ssm", InterfaceVpcEndpointAwsService.SSM},
          new Object[] {"SsmMessages", InterfaceVpcEndpointAwsService.SSM_MESSAGES},
          new Object[] {"Ec2Messages", InterfaceVpcEndpointAwsService.EC2_MESSAGES},
          new Object[] {"SecretsManager", InterfaceVpcEndpointAwsService.SECRETS_MANAGER},
          new Object[] {"Logs", InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS})) {
        var endpoint = vpc.addInterfaceEndpoint((String) e[0], InterfaceVpcEndpointOptions.builder()
            .service((InterfaceVpcEndpointAwsService) e[1]).subnets(app).privateDnsEnabled(true).build());
        Nag.suppress(endpoint, "CdkNagValidationFailure", "The endpoint's security group admits 443 from the "
            + "VPC's own CIDR only; cdk-nag cannot evaluate EC23 because the CIDR is a CloudFormation reference.",
            List.of("AwsSolutions-EC23"));
      }
    }
  }

  private static RetentionDays retention(int days) {
    if (days <= 30) {
      return RetentionDays.ONE_MONTH;
    }
    if (days <= 90) {
      return RetentionDays.THREE_MONTHS;
    }
    return RetentionDays.ONE_YEAR;
  }

  public Vpc vpc() {
    return vpc;
  }
}
