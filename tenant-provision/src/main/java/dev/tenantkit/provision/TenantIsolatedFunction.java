package dev.tenantkit.provision;

import dev.tenantkit.provision.internal.JavaFunctions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.TenancyConfig;
import software.constructs.Construct;

/**
 * A Java function in Lambda's tenant isolation mode ({@code TenancyConfig: PER_TENANT}), the
 * pooled serverless tier: one function for many tenants, each tenant's invocations in execution
 * environments of their own, the tenant id the caller invokes with handed to the handler
 * ({@code Context.getTenantId()}, which {@code TenantLambda.invocationTenant()} reads).
 *
 * <p>What the mode allows and what it does not (AWS Lambda documentation, 2026): the mode is
 * chosen when the function is created and cannot be changed (CloudFormation replaces the
 * function); API Gateway is its only event source (a REST API passes the tenant in the
 * {@code X-Amz-Tenant-Id} integration header; an HTTP API cannot set it), or a direct
 * {@code Invoke} with {@code TenantId}; SnapStart, provisioned concurrency, function URLs and
 * event source mappings (SQS, Kinesis, DynamoDB streams, Kafka) are not supported with it (CDK
 * refuses them at synthesis). An SQS workload uses a router function that invokes this one with
 * each message's tenant.
 *
 * <p>IAM: AWS publishes no condition key for the invocation's tenant id, and the execution role's
 * credentials are the same in every tenant's environment, so the role cannot be scoped to a
 * tenant by IAM alone. What this construct does instead: the execution role may write its own
 * log group and nothing else; a tenant's data is reached by assuming a tenant data role with a
 * {@code TenantId} session tag ({@code TenantCredentials} in tenant-storage does this per
 * tenant), and {@link #allowTenantSessions} lets the role assume such a role only with that tag
 * set, so an ABAC policy on the data role ({@code ${aws:PrincipalTag/TenantId}}) bounds each
 * session to one tenant. Which tenant is the code's choice, not IAM's: any environment's role may
 * ask for a session tagged with any tenant id, so the tag's value rests on TenantKit
 * ({@code TenantCredentials} tags the session with the tenant in scope, and
 * {@code TenantLambda.oneTenantPerEnvironment()} keeps an environment to one tenant).
 *
 * <p>Defaults: the latest Java runtime Lambda offers (Java 25; TenantKit is built for 17 and
 * runs on it), arm64 (Graviton: lower price per GB-second), 1,024 MB, 29 s timeout (API
 * Gateway's integration limit), JSON logs to a log group kept 90 days, X-Ray active tracing,
 * recursive loops stopped.
 */
public final class TenantIsolatedFunction extends Construct {
  /** The session tag naming the tenant, as {@code TenantCredentials} sets it by default. */
  public static final String TENANT_TAG = "TenantId";

  private final Function function;
  private final Role role;

  private TenantIsolatedFunction(Construct scope, String id, Builder b) {
    super(scope, id);
    JavaFunctions.Parts parts = JavaFunctions.build(this,
        "Runs " + id + " for every tenant: its own logs only; tenant data through tagged sessions",
        Objects.requireNonNull(b.code), Objects.requireNonNull(b.handler), b.memoryMb, b.timeoutSeconds,
        b.environment, b.description != null ? b.description : "TenantKit: tenant-isolated function " + id,
        f -> f.tenancyConfig(TenancyConfig.PER_TENANT));
    this.function = parts.function();
    this.role = parts.role();
  }

  /** A builder; {@code code} and {@code handler} are required. */
  public static Builder builder(Construct scope, String id) {
    return new Builder(scope, id);
  }

  /** The function. */
  public Function function() {
    return function;
  }

  /** Its execution role. */
  public IRole role() {
    return role;
  }

  /**
   * Lets the function assume {@code tenantDataRole} only with a {@value #TENANT_TAG} session tag
   * (so every session it holds names one tenant), and adds the matching statement to that role's
   * trust policy when it is defined in this app ({@code sts:AssumeRole} and {@code sts:TagSession}
   * from this function's role, the tag required).
   */
  public void allowTenantSessions(IRole tenantDataRole) {
    PolicyStatement assume = PolicyStatement.Builder.create().effect(Effect.ALLOW)
        .actions(List.of("sts:AssumeRole", "sts:TagSession"))
        .resources(List.of(tenantDataRole.getRoleArn()))
        .conditions(Map.of("Null", Map.of("aws:RequestTag/" + TENANT_TAG, "false"),
            "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of(TENANT_TAG))))
        .build();
    role.addToPolicy(assume);
    if (tenantDataRole instanceof Role) {
      ((Role) tenantDataRole).getAssumeRolePolicy().addStatements(PolicyStatement.Builder.create()
          .effect(Effect.ALLOW).actions(List.of("sts:AssumeRole", "sts:TagSession"))
          .principals(List.of(new software.amazon.awscdk.services.iam.ArnPrincipal(role.getRoleArn())))
          // The same conditions as the role's own statement: within one account a trust policy
          // naming the role can grant by itself.
          .conditions(Map.of("Null", Map.of("aws:RequestTag/" + TENANT_TAG, "false"),
              "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of(TENANT_TAG))))
          .build());
    }
  }

  /** Builds a {@link TenantIsolatedFunction}. */
  public static final class Builder {
    private final Construct scope;
    private final String id;
    private @Nullable Code code;
    private @Nullable String handler;
    private @Nullable String description;
    private Map<String, String> environment = Map.of();
    private int memoryMb = 1024;
    private int timeoutSeconds = 29;

    private Builder(Construct scope, String id) {
      this.scope = Objects.requireNonNull(scope, "scope");
      this.id = Objects.requireNonNull(id, "id");
    }

    /** The deployable package, such as {@code Code.fromAsset("target/app-lambda.jar")}. Required. */
    public Builder code(Code code) {
      this.code = Objects.requireNonNull(code, "code");
      return this;
    }

    /** {@code package.Class::method} or {@code package.Class}. Required. */
    public Builder handler(String handler) {
      this.handler = JavaFunctions.handler(handler);
      return this;
    }

    /** Environment variables (TenantKit's: {@code TENANTKIT_CATALOG}, ...). No secrets: use Secrets Manager. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** 128 to 10,240 MB; 1,024 by default (CPU grows with memory, and so does cold-start speed). */
    public Builder memoryMb(int memoryMb) {
      this.memoryMb = JavaFunctions.memoryMb(memoryMb);
      return this;
    }

    /** 1 to 900 s; 29 by default (API Gateway answers 504 after 29 s anyway). */
    public Builder timeoutSeconds(int timeoutSeconds) {
      this.timeoutSeconds = JavaFunctions.timeoutSeconds(timeoutSeconds, 900, "Lambda's limit");
      return this;
    }

    /** The function's description. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** Builds it in the scope. */
    public TenantIsolatedFunction build() {
      if (code == null || handler == null) {
        throw new IllegalStateException("a tenant-isolated function needs its code and its handler");
      }
      return new TenantIsolatedFunction(scope, id, this);
    }
  }
}
