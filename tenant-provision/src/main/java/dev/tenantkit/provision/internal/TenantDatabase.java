package dev.tenantkit.provision.internal;

import dev.tenantkit.provision.TenantStackSpec;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.rds.RotationSingleUserOptions;
import software.amazon.awscdk.services.rds.StorageType;
import software.constructs.Construct;

/**
 * RDS PostgreSQL 17.6 in the isolated subnets: IAM authentication, encrypted storage, Multi-AZ
 * per tier, backups, deletion protection, not public, the master secret in Secrets Manager with
 * rotation every 30 days, logs exported to CloudWatch.
 */
public final class TenantDatabase extends Construct {
  /** The engine: a current minor version, not a bare major (which would drift on its own). */
  public static final PostgresEngineVersion VERSION = PostgresEngineVersion.VER_17_6;

  private final DatabaseInstance instance;

  public TenantDatabase(Construct scope, String id, TenantStackSpec spec, Vpc vpc, SecurityGroup securityGroup) {
    super(scope, id);
    this.instance = DatabaseInstance.Builder.create(this, "Instance")
        .engine(DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder().version(VERSION).build()))
        .instanceType(new InstanceType(spec.databaseInstanceClass()))
        .vpc(vpc)
        .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
        .securityGroups(List.of(securityGroup))
        .credentials(Credentials.fromGeneratedSecret("tenantkit_admin"))
        .databaseName(spec.databaseName())
        .iamAuthentication(true)
        .storageEncrypted(true)
        .storageType(StorageType.GP3)
        .allocatedStorage(spec.tier().databaseStorageGiB())
        .multiAz(spec.tier().multiAzDatabase())
        .backupRetention(Duration.days(spec.tier().backupRetentionDays()))
        .deletionProtection(spec.retainData())
        .publiclyAccessible(false)
        .autoMinorVersionUpgrade(true)
        .cloudwatchLogsExports(List.of("postgresql", "upgrade"))
        .removalPolicy(spec.retainData() ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY)
        .build();
    instance.addRotationSingleUser(RotationSingleUserOptions.builder()
        .automaticallyAfter(Duration.days(30))
        .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
        .build());
    Nag.suppress(instance, "AwsSolutions-RDS11", "The default PostgreSQL port is kept: a non-default port "
        + "is obscurity, not a control; the security group admits only the tenant's instances.");
    if (!spec.retainData()) {
      Nag.suppress(instance, "AwsSolutions-RDS10", "Offboarding variant only: deletion protection is switched "
          + "off by 'destroy --delete-data' immediately before the stack is deleted, on the operator's request.");
    }
    if (!spec.tier().multiAzDatabase()) {
      Nag.suppress(instance, "AwsSolutions-RDS3", "Tier " + spec.tier().name() + " runs a single-AZ database "
          + "by design (documented tier trade-off: restores from backups instead of failing over).");
    }
  }

  public DatabaseInstance instance() {
    return instance;
  }
}
