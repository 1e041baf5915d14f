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
 * <p>A blocked request gets 429 (WAF's custom response) with {@code Retry-After: 300}, WAF's
 * window, like the in-process limiter's refusals. The limit is per client address: users behind
 * one corporate NAT share it, which is why the tiers' values sit well above one user's needs.
 * Metrics and sampled requests are on (CloudWatch {@code AWS/WAFV2}). Limits are per 5-minute
 * window, WAF's default evaluation window; WAF accepts 10 to 2,000,000,000.
 */
public final class TenantWebAcl extends Construct {
  /** The lowest limit AWS WAF accepts in a rate-based rule. */
  public static final int MIN_LIMIT = 10;
  /** The highest limit AWS WAF accepts in a rate-based rule. */
  public static final int MAX_LIMIT = 2_000_000_000;

  /** WAF's evaluation window used, in seconds (its default); also the Retry-After of a block. */
  static final int WINDOW_SECONDS = 300;
  /** On a pooled ALB, an address's limit over all tenants, as a multiple of its per-tenant one. */
  public static final int POOLED_ADDRESS_FACTOR = 5;

  private final CfnWebACL acl;

  private TenantWebAcl(Construct scope, String id, String metricPrefix, List<CfnWebACL.RuleProperty> rules) {
    super(scope, id);
    String metric = metric(metricPrefix);
    this.acl = CfnWebACL.Builder.create(this, "Acl")
        .scope("REGIONAL")
        .defaultAction(CfnWebACL.DefaultActionProperty.builder().allow(CfnWebACL.AllowActionProperty.builder().build())
            .build())
        .visibilityConfig(visibility(metric))
        .rules(rules)
        .build();
  }

  private static String metric(String prefix) {
    return prefix.replaceAll("[^A-Za-z0-9_-]", "-");
  }

  private static void checkLimit(int limitPer5Min) {
    if (limitPer5Min < MIN_LIMIT || limitPer5Min > MAX_LIMIT) {
      throw new IllegalArgumentException("limitPer5Min must be " + MIN_LIMIT + ".." + MAX_LIMIT + ", was "
          + limitPer5Min);
    }
  }

  /** A blocking rate-based rule: 429 with Retry-After for WAF's 5-minute window. */
  private static CfnWebACL.RuleProperty rule(String name, int priority, String metric,
      CfnWebACL.RateBasedStatementProperty.Builder statement, int limitPer5Min) {
    return CfnWebACL.RuleProperty.builder()
        .name(name)
        .priority(priority)
        .statement(CfnWebACL.StatementProperty.builder()
            .rateBasedStatement(statement.limit(limitPer5Min).evaluationWindowSec(WINDOW_SECONDS).build()).build())
        .action(CfnWebACL.RuleActionProperty.builder().block(CfnWebACL.BlockActionProperty.builder()
            .customResponse(CfnWebACL.CustomResponseProperty.builder().responseCode(429)
                .responseHeaders(List.of(CfnWebACL.CustomHTTPHeaderProperty.builder().name("Retry-After")
                    .value(Integer.toString(WINDOW_SECONDS)).build()))
                .build())
            .build()).build())
        .visibilityConfig(visibility(metric + "-" + name))
        .build();
  }

  /** A web ACL that blocks any client address above {@code limitPer5Min} requests in 5 minutes. */
  public static TenantWebAcl perClientIp(Construct scope, String id, String metricPrefix, int limitPer5Min) {
    checkLimit(limitPer5Min);
    return new TenantWebAcl(scope, id, metricPrefix, List.of(rule("RateLimit", 0, metric(metricPrefix),
        CfnWebACL.RateBasedStatementProperty.builder().aggregateKeyType("IP"), limitPer5Min)));
  }

  /**
   * A web ACL for a pooled ALB: blocks a client address above {@code limitPer5Min} requests in 5
   * minutes to one host name (one tenant), counted apart from its requests to other tenants; and,
   * as a second rule, above {@value #POOLED_ADDRESS_FACTOR} times that to all host names together,
   * since a client choosing its Host header (made-up names, a port, a trailing dot) would otherwise
   * get a fresh count per name, and WAF leaves a request without a Host header out of the first.
   */
  public static TenantWebAcl perTenantHost(Construct scope, String id, String metricPrefix, int limitPer5Min) {
    checkLimit(limitPer5Min);
    String metric = metric(metricPrefix);
    return new TenantWebAcl(scope, id, metricPrefix, List.of(
        rule("RateLimitPerTenantHost", 0, metric, CfnWebACL.RateBasedStatementProperty.builder()
            .aggregateKeyType("CUSTOM_KEYS").customKeys(List.of(
                CfnWebACL.RateBasedStatementCustomKeyProperty.builder().header(CfnWebACL.RateLimitHeaderProperty
                    .builder().name("host").textTransformations(List.of(CfnWebACL.TextTransformationProperty.builder()
                        .priority(0).type("LOWERCASE").build())).build()).build(),
                CfnWebACL.RateBasedStatementCustomKeyProperty.builder().ip(java.util.Map.of()).build())),
            limitPer5Min),
        rule("RateLimitPerAddress", 1, metric, CfnWebACL.RateBasedStatementProperty.builder().aggregateKeyType("IP"),
            (int) Math.min(MAX_LIMIT, (long) limitPer5Min * POOLED_ADDRESS_FACTOR))));
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
