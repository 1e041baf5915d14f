package dev.tenantkit.provision.internal;

import dev.tenantkit.provision.TenantStackSpec;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.autoscaling.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthCheckType;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthChecksOptions;
import software.amazon.awscdk.services.autoscaling.HealthChecks;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.LaunchTemplateHttpTokens;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * The tenant's instances: an Auto Scaling Group in the private subnets from a launch template
 * (IMDSv2 only, encrypted gp3 root volume, the AMI from the public SSM parameter so synthesis
 * looks nothing up), ELB health checks, CPU target tracking per tier, and a role that may do
 * exactly what the service needs (granted by the stack: the database user, the bucket, the
 * secret) plus SSM Session Manager, so no SSH port is open.
 */
public final class TenantCompute extends Construct {
  /** Amazon Linux 2023, resolved by CloudFormation at deploy time, not by synthesis. */
  public static final String AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

  private final AutoScalingGroup asg;
  private final Role role;
  private final UserData userData = UserData.forLinux();
  private final SecurityGroup securityGroup;

  public TenantCompute(Construct scope, String id, TenantStackSpec spec, Vpc vpc, SecurityGroup albSecurityGroup,
      ApplicationListener listener) {
    super(scope, id);
    this.role = Role.Builder.create(this, "InstanceRole")
        .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
        .description("TenantKit instances of tenant " + spec.tenantId())
        .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")))
        .build();
    Nag.suppress(role, "AwsSolutions-IAM4", "AmazonSSMManagedInstanceCore is AWS's documented minimum for "
        + "Session Manager (no SSH port is opened instead); AWS maintains it as the agent's needs change.",
        List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore"));

    this.securityGroup = SecurityGroup.Builder.create(this, "AppSg").vpc(vpc)
        .description("TenantKit instances of " + spec.tenantId() + ": the app port from the ALB only")
        .allowAllOutbound(true).build();
    securityGroup.addIngressRule(albSecurityGroup, Port.tcp(spec.appPort()), "app port from the tenant's ALB");

    LaunchTemplate template = LaunchTemplate.Builder.create(this, "LaunchTemplate")
        .machineImage(spec.serviceAmi().map(ami -> MachineImage.genericLinux(java.util.Map.of(spec.region(), ami)))
            .orElseGet(() -> MachineImage.fromSsmParameter(AMI_PARAMETER)))
        .userData(userData)
        .instanceType(new InstanceType(spec.instanceType()))
        .role(role)
        .securityGroup(securityGroup)
        .requireImdsv2(true)
        .httpTokens(LaunchTemplateHttpTokens.REQUIRED)
        .blockDevices(List.of(BlockDevice.builder().deviceName("/dev/xvda")
            .volume(BlockDeviceVolume.ebs(30, EbsDeviceOptions.builder().encrypted(true)
                .volumeType(EbsDeviceVolumeType.GP3).deleteOnTermination(true).build()))
            .build()))
        .build();

    this.asg = AutoScalingGroup.Builder.create(this, "Asg")
        .vpc(vpc)
        .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
        .launchTemplate(template)
        .minCapacity(spec.minCapacity())
        .maxCapacity(spec.maxCapacity())
        .healthChecks(HealthChecks.withAdditionalChecks(AdditionalHealthChecksOptions.builder()
            .additionalTypes(List.of(AdditionalHealthCheckType.ELB)).gracePeriod(Duration.minutes(5)).build()))
        .build();
    asg.scaleOnCpuUtilization("Cpu", CpuUtilizationScalingProps.builder()
        .targetUtilizationPercent(spec.tier().cpuTargetPercent()).build());
    Nag.suppress(asg, "AwsSolutions-AS3", "Scaling activity is visible in the Auto Scaling activity history "
        + "and CloudTrail; SNS notifications are left to the operator's alarm set-up.");
    listener.addTargets("App", AddApplicationTargetsProps.builder()
        .port(spec.appPort())
        .protocol(ApplicationProtocol.HTTP)
        .targets(List.of(asg))
        .healthCheck(software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck.builder()
            .path("/health").healthyHttpCodes("200").build())
        .build());
  }

  public AutoScalingGroup asg() {
    return asg;
  }

  /** The launch template's user data; the stack adds the boot commands (TenantBoot) once its parts exist. */
  public UserData userData() {
    return userData;
  }

  public Role role() {
    return role;
  }

  public SecurityGroup securityGroup() {
    return securityGroup;
  }
}
