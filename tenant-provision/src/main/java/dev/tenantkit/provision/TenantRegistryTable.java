package dev.tenantkit.provision;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.registry.TenantRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The tenant registry's DynamoDB table (the one {@link TenantRegistry} reads and writes), for the
 * control-plane stack that onboarding runs from: partition key {@code tenantId}, on-demand
 * capacity, point-in-time recovery, deletion protection, kept when the stack is deleted, encrypted
 * at rest. And the two ways a service may read it:
 *
 * <ul>
 *   <li>{@link #ownItemOnly}: a silo stack's instances read their own tenant's item and nothing
 *       else ({@code dynamodb:GetItem} with a {@code dynamodb:LeadingKeys} condition naming the
 *       tenant). It grants no {@code Scan} and no {@code Query}: {@code ForAllValues} holds for a
 *       request with no partition key at all, so a Scan allowed under that condition would read
 *       every tenant's item;</li>
 *   <li>{@link #allItems}: a pooled service, which serves many tenants, reads the whole table.</li>
 * </ul>
 *
 * Writes are the operator's (onboarding's) only; no service role is granted one.
 */
public final class TenantRegistryTable extends Construct {
  private final Table table;

  /**
   * The table, named {@code tableName}.
   *
   * @throws IllegalArgumentException when the name is not a valid DynamoDB table name
   */
  public TenantRegistryTable(Construct scope, String id, String tableName) {
    super(scope, id);
    // The registry's own check of the name, so the construct and the client agree on it.
    TenantRegistry.builder().tableName(tableName);
    this.table = Table.Builder.create(this, "Table")
        .tableName(tableName)
        .partitionKey(Attribute.builder().name(TenantRegistry.PARTITION_KEY).type(AttributeType.STRING).build())
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
            .pointInTimeRecoveryEnabled(true).build())
        .deletionProtection(true)
        .encryption(TableEncryption.AWS_MANAGED)
        .removalPolicy(RemovalPolicy.RETAIN)
        .build();
  }

  /** The table. */
  public Table table() {
    return table;
  }

  /**
   * The statement that lets a silo stack's service read its own tenant's item, and no other:
   * {@code dynamodb:GetItem} on the table, under {@code ForAllValues:StringEquals
   * dynamodb:LeadingKeys = [tenant]}.
   *
   * @param tableArn the registry table's ARN (the table usually lives in another stack)
   */
  public static PolicyStatement ownItemOnly(String tableArn, TenantId tenant) {
    Objects.requireNonNull(tableArn, "tableArn");
    Objects.requireNonNull(tenant, "tenant");
    return PolicyStatement.Builder.create()
        .sid("ReadOwnTenantRecord")
        .effect(Effect.ALLOW)
        .actions(List.of("dynamodb:GetItem"))
        .resources(List.of(tableArn))
        .conditions(Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys", List.of(tenant.value()))))
        .build();
  }

  /**
   * The statement that lets a pooled service read every tenant's item: {@code GetItem} and
   * {@code Scan} on the table (what {@code RegistryTenantCatalog} calls), nothing else.
   */
  public static PolicyStatement allItems(String tableArn) {
    Objects.requireNonNull(tableArn, "tableArn");
    return PolicyStatement.Builder.create()
        .sid("ReadAllTenantRecords")
        .effect(Effect.ALLOW)
        .actions(List.of("dynamodb:GetItem", "dynamodb:Scan"))
        .resources(List.of(tableArn))
        .build();
  }

  /** Grants {@link #ownItemOnly} on this table to {@code grantee}. */
  public void grantOwnItem(IGrantable grantee, TenantId tenant) {
    grantee.getGrantPrincipal().addToPrincipalPolicy(ownItemOnly(table.getTableArn(), tenant));
  }

  /** Grants {@link #allItems} on this table to {@code grantee}. */
  public void grantAllItems(IGrantable grantee) {
    grantee.getGrantPrincipal().addToPrincipalPolicy(allItems(table.getTableArn()));
  }
}
