package dev.tenantkit.provision;

import java.util.List;

/**
 * The outputs of a tenant stack: everything the tenant record needs, so that once the stack is
 * deployed the other modules can serve the tenant with no hand editing.
 */
public final class StackOutputs {
  /** The Cognito issuer URL ({@code https://cognito-idp.REGION.amazonaws.com/POOL}). */
  public static final String ISSUER = "Issuer";
  public static final String USER_POOL_ID = "UserPoolId";
  public static final String USER_POOL_CLIENT_ID = "UserPoolClientId";
  public static final String BUCKET_NAME = "BucketName";
  /** The bucket receiving the data bucket's and the ALB's access logs. */
  public static final String LOGS_BUCKET_NAME = "LogsBucketName";
  /** The tenant's KMS key ARN (tiers with SSE-KMS only). */
  public static final String KMS_KEY_ARN = "KmsKeyArn";
  public static final String DATABASE_ENDPOINT = "DatabaseEndpoint";
  public static final String DATABASE_PORT = "DatabasePort";
  public static final String DATABASE_NAME = "DatabaseName";
  /** The IAM-authenticated application user (create it with {@code GRANT rds_iam}). */
  public static final String DATABASE_USER = "DatabaseUser";
  public static final String DATABASE_SECRET_ARN = "DatabaseSecretArn";
  public static final String ALB_DNS_NAME = "AlbDnsName";

  /** Every output every tier has. */
  public static final List<String> ALWAYS = List.of(ISSUER, USER_POOL_ID, USER_POOL_CLIENT_ID, BUCKET_NAME, LOGS_BUCKET_NAME,
      DATABASE_ENDPOINT, DATABASE_PORT, DATABASE_NAME, DATABASE_USER, DATABASE_SECRET_ARN, ALB_DNS_NAME);

  private StackOutputs() {}
}
