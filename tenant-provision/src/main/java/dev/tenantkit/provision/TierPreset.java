package dev.tenantkit.provision;

/**
 * What a tier changes in a tenant's stack. Presets are data: {@link TierPresets} has the three
 * built in, and a team can define its own.
 *
 * @param name the tier name, as in the tenant record
 * @param natGatewayPerAz one NAT gateway per Availability Zone (survives an AZ outage; one Elastic
 *     IP and ~32 USD a month per AZ) instead of a single shared one
 * @param interfaceEndpoints VPC interface endpoints for SSM, Secrets Manager and CloudWatch Logs,
 *     so that traffic stays off the NAT gateway (about 7 USD a month per endpoint per AZ); the S3
 *     gateway endpoint is always there (free)
 * @param flowLogRetentionDays how long VPC flow logs are kept
 * @param instanceType the default EC2 instance type
 * @param minCapacity the default smallest Auto Scaling Group size
 * @param maxCapacity the default largest Auto Scaling Group size
 * @param cpuTargetPercent the CPU utilisation target tracking scaling keeps
 * @param databaseInstanceClass the default RDS instance class (without {@code db.})
 * @param multiAzDatabase a standby in a second AZ (automatic failover; doubles the instance cost)
 * @param backupRetentionDays automated backup retention
 * @param databaseStorageGiB allocated storage
 * @param kmsBucketEncryption SSE-KMS with a tenant key (key rotation on, bucket keys on) instead
 *     of SSE-S3; a key costs 1 USD a month and lets the tenant's key policy be audited separately
 * @param enforcedThreatProtection Cognito threat protection enforced (the Plus feature plan) for
 *     compromised credentials and risky sign-ins, instead of the Essentials plan
 * @param edgeRequestsPer5MinPerIp the AWS WAF rate-based rule on the ALB: requests one client
 *     address may make in any 5 minutes before WAF blocks it (10 to 2,000,000,000, WAF's bounds)
 */
public record TierPreset(
    String name,
    boolean natGatewayPerAz,
    boolean interfaceEndpoints,
    int flowLogRetentionDays,
    String instanceType,
    int minCapacity,
    int maxCapacity,
    int cpuTargetPercent,
    String databaseInstanceClass,
    boolean multiAzDatabase,
    int backupRetentionDays,
    int databaseStorageGiB,
    boolean kmsBucketEncryption,
    boolean enforcedThreatProtection,
    int edgeRequestsPer5MinPerIp) {

  /** Validates the values. */
  public TierPreset {
    if (name == null || !name.matches("[a-z][a-z0-9-]{0,31}")) {
      throw new IllegalArgumentException("tier name must be 1 to 32 of a-z 0-9 -, starting with a letter");
    }
    if (minCapacity < 1 || maxCapacity < minCapacity) {
      throw new IllegalArgumentException("tier " + name + ": need 1 <= minCapacity <= maxCapacity");
    }
    if (cpuTargetPercent < 10 || cpuTargetPercent > 90) {
      throw new IllegalArgumentException("tier " + name + ": cpuTargetPercent must be 10..90");
    }
    if (backupRetentionDays < 1 || backupRetentionDays > 35) {
      throw new IllegalArgumentException("tier " + name + ": backupRetentionDays must be 1..35 (RDS limits)");
    }
    if (edgeRequestsPer5MinPerIp < TenantWebAcl.MIN_LIMIT || edgeRequestsPer5MinPerIp > TenantWebAcl.MAX_LIMIT) {
      throw new IllegalArgumentException("tier " + name + ": edgeRequestsPer5MinPerIp must be " + TenantWebAcl.MIN_LIMIT
          + ".." + TenantWebAcl.MAX_LIMIT + " (AWS WAF's rate-based rule bounds)");
    }
    if (databaseStorageGiB < 20) {
      throw new IllegalArgumentException("tier " + name + ": databaseStorageGiB must be at least 20");
    }
  }
}
