package dev.tenantkit.provision.internal;

import dev.tenantkit.provision.TenantStackSpec;
import java.util.List;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * An internet-facing ALB in the public subnets: HTTPS with the tenant's ACM certificate and the
 * recommended TLS 1.2/1.3 policy, HTTP redirected to HTTPS, invalid headers dropped, access logs
 * to the logs bucket.
 */
public final class TenantIngress extends Construct {
  private final ApplicationLoadBalancer alb;
  private final ApplicationListener https;
  private final SecurityGroup securityGroup;

  public TenantIngress(Construct scope, String id, TenantStackSpec spec, Vpc vpc, IBucket logs) {
    super(scope, id);
    this.securityGroup = SecurityGroup.Builder.create(this, "AlbSg").vpc(vpc)
        .description("TenantKit ALB of " + spec.tenantId() + ": HTTPS and the HTTP redirect from anywhere")
        .allowAllOutbound(false).build();
    securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS from the internet");
    securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(80), "HTTP, redirected to HTTPS");
    Nag.suppress(securityGroup, "AwsSolutions-EC23", "A public web endpoint: 443 (and 80, which only "
        + "redirects to 443) must be open to the internet; everything behind it is closed.");
    this.alb = ApplicationLoadBalancer.Builder.create(this, "Alb")
        .vpc(vpc)
        .internetFacing(true)
        .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
        .securityGroup(securityGroup)
        .dropInvalidHeaderFields(true)
        .build();
    alb.logAccessLogs(logs, "alb");
    this.https = alb.addListener("Https", BaseApplicationListenerProps.builder()
        .port(443).protocol(ApplicationProtocol.HTTPS)
        .certificates(List.of(ListenerCertificate.fromArn(spec.certificateArn())))
        .sslPolicy(SslPolicy.RECOMMENDED_TLS)
        .open(false)
        .build());
    alb.addRedirect();
  }

  public ApplicationLoadBalancer alb() {
    return alb;
  }

  public ApplicationListener https() {
    return https;
  }

  public SecurityGroup securityGroup() {
    return securityGroup;
  }
}
