package dev.tenantkit.provision;

import dev.tenantkit.provision.internal.TenantBucket;
import dev.tenantkit.provision.internal.TenantCompute;
import dev.tenantkit.provision.internal.TenantDatabase;
import dev.tenantkit.provision.internal.TenantIngress;
import dev.tenantkit.provision.internal.TenantNetwork;
import dev.tenantkit.provision.internal.TenantUserPool;
import dev.tenantkit.provision.internal.TenantBoot;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * One tenant's isolated stack: its own VPC across the spec's AZs, ALB, Auto Scaling Group, RDS
 * PostgreSQL, S3 bucket and Cognito user pool (one construct per concern), outputs for the tenant
 * record, and the tags {@code tenantkit:tenant} and {@code tenantkit:tier} on every resource.
 * Synthesis is offline: AZs come from the spec and the AMI from a public SSM parameter resolved at
 * deploy time, so no context lookup and no credentials are needed.
 */
public final class TenantStack extends Stack {
  private final TenantStackSpec spec;

  private TenantStack(Construct scope, TenantStackSpec spec, Consumer<String> progress) {
    super(scope, spec.stackName(), StackProps.builder()
        .stackName(spec.stackName())
        .description("TenantKit isolated stack of tenant " + spec.tenantId() + " (tier " + spec.tier().name() + ")")
        .env(Environment.builder().region(spec.region()).account(spec.account().orElse(null)).build())
        .terminationProtection(spec.retainData())
        // A standalone template: no CDK bootstrap version check, no assets, so CloudFormation
        // deploys it directly (TenantKit's deployer uses change sets, not the CDK CLI).
        .synthesizer(DefaultStackSynthesizer.Builder.create().generateBootstrapVersionRule(false).build())
        .build());
    this.spec = spec;

    int nats = spec.tier().natGatewayPerAz() ? spec.availabilityZones() : 1;
    progress.accept("network: VPC over " + spec.availabilityZones() + " AZs, " + nats + " NAT gateway(s)"
        + (spec.tier().interfaceEndpoints() ? ", interface endpoints" : "") + ", flow logs");
    TenantNetwork network = new TenantNetwork(this, "Network", spec);
    progress.accept("storage: data and logs buckets" + (spec.tier().kmsBucketEncryption() ? ", the tenant's KMS key" : ""));
    TenantBucket storage = new TenantBucket(this, "Storage", spec);
    progress.accept("ingress: HTTPS load balancer");
    TenantIngress ingress = new TenantIngress(this, "Ingress", spec, network.vpc(), storage.logs());
    progress.accept("edge: AWS WAF rate-based rule on the load balancer");
    TenantWebAcl.perClientIp(this, "Edge", spec.stackName(), spec.tier().edgeRequestsPer5MinPerIp())
        .protect(ingress.alb());
    progress.accept("compute: " + spec.minCapacity() + "-" + spec.maxCapacity() + " x " + spec.instanceType());
    TenantCompute compute = new TenantCompute(this, "Compute", spec, network.vpc(), ingress.securityGroup(),
        ingress.https());
    SecurityGroup dbSg = SecurityGroup.Builder.create(this, "DatabaseSg").vpc(network.vpc())
        .description("TenantKit database of " + spec.tenantId() + ": PostgreSQL from the instances only")
        .allowAllOutbound(false).build();
    dbSg.addIngressRule(compute.securityGroup(), Port.tcp(5432), "PostgreSQL from the tenant's instances");
    progress.accept("database: PostgreSQL db." + spec.databaseInstanceClass() + ", database " + spec.databaseName());
    TenantDatabase database = new TenantDatabase(this, "Database", spec, network.vpc(), dbSg);
    progress.accept("identity: Cognito user pool, app client, domain " + spec.cognitoDomainPrefix());
    TenantUserPool identity = new TenantUserPool(this, "Identity", spec);

    // The instance role may do exactly this (plus SSM Session Manager, in TenantCompute).
    database.instance().grantConnect(compute.role(), spec.databaseUser());
    storage.data().grantReadWrite(compute.role());
    database.instance().getSecret().grantRead(compute.role());
    spec.registryTable().ifPresent(table -> compute.role().addToPrincipalPolicy(TenantRegistryTable.ownItemOnly(
        formatArn(ArnComponents.builder().service("dynamodb").region(spec.registryRegion()).resource("table")
            .resourceName(table).build()), spec.tenantId())));
    spec.serviceArtifact().ifPresent(uri -> compute.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
        .sid("FetchServiceArtifact").actions(List.of("s3:GetObject"))
        .resources(List.of("arn:" + Aws.PARTITION + ":s3:::" + uri.substring("s3://".length()))).build()));
    dev.tenantkit.provision.internal.RoleFindings.suppressScopedWildcards(compute.role(), spec);
    // First boot: the tenant, the registry and the CA bundle in /etc/tenantkit, and the service.
    compute.userData().addCommands(TenantBoot.commands(spec, database.instance().getSecret().getSecretArn(),
        database.instance().getDbInstanceEndpointAddress(), database.instance().getDbInstanceEndpointPort())
        .toArray(String[]::new));

    output(StackOutputs.ISSUER, "https://cognito-idp." + spec.region() + ".amazonaws.com/"
        + identity.pool().getUserPoolId());
    output(StackOutputs.USER_POOL_ID, identity.pool().getUserPoolId());
    output(StackOutputs.USER_POOL_CLIENT_ID, identity.client().getUserPoolClientId());
    output(StackOutputs.BUCKET_NAME, storage.data().getBucketName());
    output(StackOutputs.LOGS_BUCKET_NAME, storage.logs().getBucketName());
    if (storage.key() != null) {
      output(StackOutputs.KMS_KEY_ARN, storage.key().getKeyArn());
    }
    output(StackOutputs.DATABASE_ENDPOINT, database.instance().getDbInstanceEndpointAddress());
    output(StackOutputs.DATABASE_PORT, database.instance().getDbInstanceEndpointPort());
    output(StackOutputs.DATABASE_NAME, spec.databaseName());
    output(StackOutputs.DATABASE_USER, spec.databaseUser());
    output(StackOutputs.DATABASE_SECRET_ARN, database.instance().getSecret().getSecretArn());
    output(StackOutputs.ALB_DNS_NAME, ingress.alb().getLoadBalancerDnsName());

    Tags.of(this).add("tenantkit:tenant", spec.tenantId().value());
    Tags.of(this).add("tenantkit:tier", spec.tier().name());
    for (Map.Entry<String, String> tag : spec.tags().entrySet()) {
      Tags.of(this).add(tag.getKey(), tag.getValue());
    }
  }

  /** Adds the stack for {@code spec} to {@code scope} (usually an {@code App}). */
  public static TenantStack create(Construct scope, TenantStackSpec spec) {
    return new TenantStack(scope, spec, line -> { });
  }

  /** As {@link #create(Construct, TenantStackSpec)}, telling {@code progress} which concern it builds. */
  static TenantStack create(Construct scope, TenantStackSpec spec, Consumer<String> progress) {
    return new TenantStack(scope, spec, progress);
  }

  /**
   * The spec's AZs. Overridden so that a stack bound to an account never asks for an AZ lookup
   * (CDK otherwise records a missing "availability-zones" context to be filled by the CDK CLI).
   */
  @Override
  public java.util.List<String> getAvailabilityZones() {
    return spec == null ? super.getAvailabilityZones() : spec.availabilityZoneNames();
  }

  /** The spec this stack was made from. */
  public TenantStackSpec spec() {
    return spec;
  }

  private void output(String name, String value) {
    CfnOutput.Builder.create(this, name).value(value).build();
  }
}
