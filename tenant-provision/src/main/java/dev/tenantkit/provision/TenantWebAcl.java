package dev.tenantkit.provision;

import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationLoadBalancer;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.constructs.Construct;

/**
 * The edge wall against one client's flood: an AWS WAF web ACL (regional) on an ALB with a
 * rate-based rule, so a flood is blocked before it reaches any instance, and the in-process
 * per-tenant limiter ({@code TenantLimiter}) then bounds what reaches the service.
 *
 * <ul>
 *   <li>{@link #perClientIp}: a silo stack's ALB serves one tenant, so the rule counts requests
 *       per client address (the tenant stack uses this, sized from its tier's
 *       {@link TierPreset#edgeRequestsPer5MinPerIp()});</li>
 *   <li>{@link #perTenantHost}: a pooled ALB serves many tenants under their own host names
 *       ({@code acme.app.example.com}), so the rule counts per host header (lower-cased: WAF's
 *       custom aggregation keys) and client address together, so one tenant's flood from one
 *       address is blocked without counting other tenants' traffic against it. A pooled stack
 *       adds it to its ALB.</li>
 * </ul>
 *
 * <p>A blocked request gets 429 (WAF's custom response), like the in-process limiter's refusals.
 * Metrics and sampled requests are on (CloudWatch {@code AWS/WAFV2}). Limits are per 5-minute
 * window, WAF's default evaluation window; WAF accepts 10 to 2,000,000,000.
 */
public final class TenantWebAcl extends Construct {
  /** The lowest limit AWS WAF accepts in a rate-based rule. */
  public static final int MIN_LIMIT = 10;
  /** The highest limit AWS WAF accepts in a rate-based rule. */
  public static final int MAX_LIMIT = 2_000_000_000;

  private final CfnWebACL acl;

  private TenantWebAcl(Construct scope, String id, String metricPrefix, int limitPer5Min,
      CfnWebACL.RateBasedStatementProperty.Builder statement) {
    super(scope, id);
    if (limitPer5Min < MIN_LIMIT || limitPer5Min > MAX_LIMIT) {
      throw new IllegalArgumentException("limitPer5Min must be " + MIN_LIMIT + ".." + MAX_LIMIT + ", was "
          + limitPer5Min);
    }
    String metric = metricPrefix.replaceAll("[^A-Za-z0-9_-]", "-");
    this.acl = CfnWebACL.Builder.create(this, "Acl")
        .scope("REGIONAL")
        .defaultAction(CfnWebACL.DefaultActionProperty.builder().allow(CfnWebACL.AllowActionProperty.builder().build())
            .build())
        .visibilityConfig(visibility(metric))
        .rules(List.of(CfnWebACL.RuleProperty.builder()
            .name("RateLimit")
            .priority(0)
            .statement(CfnWebACL.StatementProperty.builder()
                .rateBasedStatement(statement.limit(limitPer5Min).evaluationWindowSec(300).build()).build())
            .action(CfnWebACL.RuleActionProperty.builder().block(CfnWebACL.BlockActionProperty.builder()
                .customResponse(CfnWebACL.CustomResponseProperty.builder().responseCode(429)
                    .responseHeaders(List.of(CfnWebACL.CustomHTTPHeaderProperty.builder().name("Retry-After")
                        .value("60").build()))
                    .build())
                .build()).build())
            .visibilityConfig(visibility(metric + "-rate-limit"))
            .build()))
        .build();
  }

  /** A web ACL that blocks any client address above {@code limitPer5Min} requests in 5 minutes. */
  public static TenantWebAcl perClientIp(Construct scope, String id, String metricPrefix, int limitPer5Min) {
    return new TenantWebAcl(scope, id, metricPrefix, limitPer5Min,
        CfnWebACL.RateBasedStatementProperty.builder().aggregateKeyType("IP"));
  }

  /**
   * A web ACL for a pooled ALB: blocks a client address above {@code limitPer5Min} requests in 5
   * minutes to one host name (one tenant), counted apart from its requests to other tenants.
   */
  public static TenantWebAcl perTenantHost(Construct scope, String id, String metricPrefix, int limitPer5Min) {
    return new TenantWebAcl(scope, id, metricPrefix, limitPer5Min,
        CfnWebACL.RateBasedStatementProperty.builder().aggregateKeyType("CUSTOM_KEYS").customKeys(List.of(
            CfnWebACL.RateBasedStatementCustomKeyProperty.builder().header(CfnWebACL.RateLimitHeaderProperty.builder()
                .name("host").textTransformations(List.of(CfnWebACL.TextTransformationProperty.builder()
                    .priority(0).type("LOWERCASE").build())).build()).build(),
            CfnWebACL.RateBasedStatementCustomKeyProperty.builder().ip(java.util.Map.of()) // the client address, no settings
                .build())));
  }

  /** Puts this web ACL in front of {@code alb}. */
  public TenantWebAcl protect(IApplicationLoadBalancer alb) {
    Objects.requireNonNull(alb, "alb");
    CfnWebACLAssociation.Builder.create(this, "Association").resourceArn(alb.getLoadBalancerArn())
        .webAclArn(acl.getAttrArn()).build();
    return this;
  }

  /** The web ACL. */
  public CfnWebACL acl() {
    return acl;
  }

  private static CfnWebACL.VisibilityConfigProperty visibility(String metric) {
    return CfnWebACL.VisibilityConfigProperty.builder().cloudWatchMetricsEnabled(true).sampledRequestsEnabled(true)
        .metricName(metric).build();
  }
}
