package dev.tenantkit.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tenantkit.core.Tenant;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.core.TenantContext;
import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantKitException;
import dev.tenantkit.core.TenantMismatchException;
import dev.tenantkit.core.TenantRequest;
import dev.tenantkit.core.TenantRequestGuard;
import dev.tenantkit.core.TenantRequestLimiter;
import dev.tenantkit.core.TenantResolver;
import dev.tenantkit.core.internal.InvocationRequest;
import dev.tenantkit.core.internal.LambdaRequests;
import dev.tenantkit.core.internal.Problem;
import dev.tenantkit.core.internal.TenantAdmission;
import dev.tenantkit.core.internal.SafeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Lambda handlers in the tenant's scope, with the same resolution and catalog checks as
 * the servlet filter.
 *
 * <pre>{@code
 * static final TenantLambda TENANTS = TenantLambda.builder()
 *     .resolver(TenantResolvers.subdomain("{tenant}.api.example.com"))
 *     .catalog(catalog)
 *     .build();
 *
 * public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context ctx) {
 *   return TENANTS.handle(event, e -> documents.list(e));   // TenantContext.require() works here
 * }
 * }</pre>
 *
 * <p>HTTP refusals come back as {@code application/problem+json} responses with the same statuses
 * as {@link dev.tenantkit.core.servlet.TenantFilter}. An outage the handler's exception reports
 * (S3 unavailable, the tenant's database lost mid-request: see {@code Problem.outage}) is answered
 * 503 problem+json with {@code Retry-After} and logged at WARN, not turned into a function error;
 * any other exception leaves the handler as before. For SQS, the tenant comes from a message
 * attribute; a message that names no valid, active tenant or whose handler throws is reported as
 * a batch item failure on its own, so the rest of the batch is not retried (enable
 * {@code ReportBatchItemFailures} on the event source mapping). On a FIFO queue, processing stops
 * at the first failure and the rest of the batch is reported failed, to keep message order.
 *
 * <p><b>Lambda tenant isolation mode</b> ({@code TenancyConfig: PER_TENANT}, tenant-provision's
 * {@code TenantIsolatedFunction}): Lambda runs each tenant's invocations in execution
 * environments of their own and hands the handler the tenant id the caller invoked with. Pass
 * the handler's {@link Context} ({@code handle(event, context, fn)}) and resolve with
 * {@code TenantResolvers.allAgree(TenantLambda.invocationTenant(), ...)}, so a token, path or
 * header naming another tenant than the one the invocation was routed by is refused; and build
 * with {@link Builder#requireInvocationTenant()} (an invocation without the routed tenant is
 * refused, never decided by the request alone) and {@link Builder#oneTenantPerEnvironment()}
 * (state this environment keeps, such as pools, credentials and caches, only ever belongs to the
 * routed tenant).
 */
public final class TenantLambda {
  private static final Logger LOG = LoggerFactory.getLogger(TenantLambda.class);
  private static final Map<String, String> PROBLEM_HEADERS =
      Map.of("Content-Type", Problem.CONTENT_TYPE, "Cache-Control", "no-store");

  private final @Nullable TenantAdmission admission;
  private final TenantCatalog catalog;
  private final String sqsTenantAttribute;
  // One tenant per execution environment: the tenant Lambda routed it by, else the first
  // admitted; then every other refused.
  private final @Nullable AtomicReference<@Nullable TenantId> environmentTenant;
  private final boolean requireInvocationTenant;
  private final AtomicBoolean warnedNoInvocationTenant = new AtomicBoolean();

  private TenantLambda(Builder b) {
    this.catalog = Objects.requireNonNull(b.catalog);
    this.environmentTenant = b.oneTenantPerEnvironment ? new AtomicReference<>() : null;
    this.requireInvocationTenant = b.requireInvocationTenant;
    TenantResolver resolver = b.resolver;
    if (resolver != null && (environmentTenant != null || requireInvocationTenant)) {
      TenantResolver asked = resolver;
      // Before the catalog, the guard and the limiter: an invocation of another tenant (or, when
      // required, one without the tenant Lambda routed it by) costs this environment nothing and
      // leaves nothing in it.
      resolver = request -> {
        String routed = request instanceof InvocationRequest ? ((InvocationRequest) request).invocationTenantId() : null;
        if (routed == null && requireInvocationTenant) {
          warnNoInvocationTenant();
          return Optional.empty(); // tenant-required: never decided by the request's own sources
        }
        if (routed != null && environmentTenant != null) {
          // The tenant Lambda routed this environment for is its tenant, whatever admits first.
          claimEnvironment(TenantId.of(routed));
        }
        Optional<TenantId> id = asked.resolve(request);
        if (environmentTenant != null) {
          id.ifPresent(this::requireEnvironmentTenant);
        }
        return id;
      };
    }
    this.admission = resolver == null ? null : new TenantAdmission(resolver, catalog, b.guard, b.limiter);
    this.sqsTenantAttribute = b.sqsTenantAttribute;
  }

  /**
   * The tenant Lambda routed this invocation by, in tenant isolation mode: the tenant id the
   * caller passed to Invoke ({@code TenantId}; from API Gateway REST APIs, the
   * {@code X-Amz-Tenant-Id} integration request header), as the runtime hands it to the handler
   * in {@link Context#getTenantId()}. Read only from the {@code Context} given to
   * {@code handle(event, context, fn)}, never from the event. Empty when the invocation has no
   * tenant id (a function not in tenant isolation mode) or the event was handled without its
   * {@code Context}; an id that is not a valid TenantKit tenant id is refused as a bad request.
   */
  public static TenantResolver invocationTenant() {
    return new TenantResolver() {
      @Override
      public Optional<TenantId> resolve(TenantRequest request) {
        if (request instanceof InvocationRequest) {
          String id = ((InvocationRequest) request).invocationTenantId();
          if (id != null) {
            return Optional.of(TenantId.of(id));
          }
        }
        return Optional.empty();
      }

      @Override
      public String name() {
        return "lambda-tenant-id";
      }
    };
  }

  /**
   * The tenant this execution environment serves, when built with
   * {@link Builder#oneTenantPerEnvironment()} and it is known (routed or admitted); else empty.
   */
  public Optional<TenantId> environmentTenant() {
    return environmentTenant == null ? Optional.empty() : Optional.ofNullable(environmentTenant.get());
  }

  /** A builder; the catalog is required, the resolver is required for HTTP events. */
  public static Builder builder() {
    return new Builder();
  }

  /** The request view of an HTTP API (payload 2.0) event. */
  public static TenantRequest request(APIGatewayV2HTTPEvent event) {
    return LambdaRequests.of(event);
  }

  /** The request view of a REST API (payload 1.0) event. */
  public static TenantRequest request(APIGatewayProxyRequestEvent event) {
    return LambdaRequests.of(event);
  }

  /** The request view of an ALB target event. */
  public static TenantRequest request(ApplicationLoadBalancerRequestEvent event) {
    return LambdaRequests.of(event);
  }

  /** Runs {@code handler} in the tenant scope of an HTTP API event, or answers the refusal. */
  public APIGatewayV2HTTPResponse handle(
      APIGatewayV2HTTPEvent event, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
    return httpApi(event, null, principal -> handler.apply(event));
  }

  /**
   * As {@link #handle(APIGatewayV2HTTPEvent, Function)}, also handing the handler what the
   * {@link Builder#guard guard} returned (tenant-auth's {@code VerifiedPrincipal}), or null.
   */
  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event,
      BiFunction<APIGatewayV2HTTPEvent, @Nullable Object, APIGatewayV2HTTPResponse> handler) {
    return httpApi(event, null, principal -> handler.apply(event, principal));
  }

  /** As {@link #handle(APIGatewayProxyRequestEvent, Function)}, also handing over the guard's result. */
  public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event,
      BiFunction<APIGatewayProxyRequestEvent, @Nullable Object, APIGatewayProxyResponseEvent> handler) {
    return restApi(event, null, principal -> handler.apply(event, principal));
  }

  /** Runs {@code handler} in the tenant scope of a REST API event, or answers the refusal. */
  public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event,
      Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler) {
    return restApi(event, null, principal -> handler.apply(event));
  }

  /** Runs {@code handler} in the tenant scope of an ALB event, or answers the refusal. */
  public ApplicationLoadBalancerResponseEvent handle(ApplicationLoadBalancerRequestEvent event,
      Function<ApplicationLoadBalancerRequestEvent, ApplicationLoadBalancerResponseEvent> handler) {
    return inScope(LambdaRequests.of(event), () -> handler.apply(event), p -> {
      ApplicationLoadBalancerResponseEvent r = new ApplicationLoadBalancerResponseEvent();
      r.setStatusCode(p.status());
      r.setStatusDescription(p.status() + " " + p.title());
      r.setHeaders(headers(p));
      r.setBody(p.json());
      r.setIsBase64Encoded(false);
      return r;
    });
  }

  /**
   * As {@link #handle(APIGatewayV2HTTPEvent, Function)}, with the invocation's {@link Context}, so
   * {@link #invocationTenant()} can read the tenant Lambda routed it by.
   */
  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context,
      Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
    return httpApi(event, context, principal -> handler.apply(event));
  }

  /** As {@link #handle(APIGatewayV2HTTPEvent, BiFunction)}, with the invocation's {@link Context}. */
  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context,
      BiFunction<APIGatewayV2HTTPEvent, @Nullable Object, APIGatewayV2HTTPResponse> handler) {
    return httpApi(event, context, principal -> handler.apply(event, principal));
  }

  /**
   * As {@link #handle(APIGatewayProxyRequestEvent, Function)}, with the invocation's
   * {@link Context}: a REST API is how API Gateway invokes a function in tenant isolation mode
   * (its integration maps the tenant into {@code X-Amz-Tenant-Id}; an HTTP API cannot).
   */
  public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context,
      Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler) {
    return restApi(event, context, principal -> handler.apply(event));
  }

  /** As {@link #handle(APIGatewayProxyRequestEvent, BiFunction)}, with the invocation's {@link Context}. */
  public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context,
      BiFunction<APIGatewayProxyRequestEvent, @Nullable Object, APIGatewayProxyResponseEvent> handler) {
    return restApi(event, context, principal -> handler.apply(event, principal));
  }

  /**
   * As {@link #handle(SQSEvent, Consumer)}, with the invocation's {@link Context}: when it carries
   * a tenant id (an SQS router invoking a tenant-isolated function with the messages of one
   * tenant), a message whose attribute names another tenant fails on its own.
   */
  public SQSBatchResponse handle(SQSEvent event, Context context, Consumer<SQSEvent.SQSMessage> handler) {
    return handleMessages(event, tenantIdOf(context), handler);
  }

  /**
   * Runs {@code handler} for each message in its tenant's scope (tenant from the message
   * attribute configured with {@link Builder#sqsTenantAttribute}) and returns the failures.
   *
   * @throws IllegalArgumentException before any message is handled, when the event's records hold
   *     a null (no message, so no id to report it failed by): the whole batch is refused, and
   *     Lambda delivers it again (found by fuzzing: {@code "Records": [null]})
   */
  public SQSBatchResponse handle(SQSEvent event, Consumer<SQSEvent.SQSMessage> handler) {
    return handleMessages(event, null, handler);
  }

  private SQSBatchResponse handleMessages(SQSEvent event, @Nullable String invocationTenant,
      Consumer<SQSEvent.SQSMessage> handler) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i) == null) {
        throw new IllegalArgumentException("the SQS event has no message at Records[" + i
            + "]; the whole batch is refused and none of it was handled");
      }
    }
    boolean failFast = false;
    for (SQSEvent.SQSMessage message : records) {
      String messageId = message.getMessageId();
      if (failFast) {
        failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
        continue;
      }
      try {
        if (invocationTenant == null && requireInvocationTenant) {
          warnNoInvocationTenant();
          throw new TenantMismatchException("the invocation carries no Lambda tenant id, which this TenantLambda requires");
        }
        if (invocationTenant != null && environmentTenant != null) {
          claimEnvironment(TenantId.of(invocationTenant));
        }
        TenantId id = TenantId.of(tenantAttribute(message));
        if (invocationTenant != null && !TenantId.of(invocationTenant).equals(id)) {
          throw new TenantMismatchException("the message names another tenant than the invocation");
        }
        if (environmentTenant != null) {
          requireEnvironmentTenant(id);
        }
        Tenant tenant = catalog.require(id);
        if (environmentTenant != null) {
          claimEnvironment(tenant.id());
        }
        TenantContext.run(tenant, () -> handler.accept(message));
      } catch (TenantKitException e) {
        LOG.warn("sqs message refused messageId={} reason={}", SafeText.quote(messageId), e.getMessage());
        failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
        failFast = isFifo(message);
      } catch (RuntimeException e) {
        LOG.warn("sqs message failed messageId={}", SafeText.quote(messageId), e);
        failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
        failFast = isFifo(message);
      }
    }
    return new SQSBatchResponse(failures);
  }

  /** An HTTP API event in its tenant's scope; the Context, when given, carries the routed tenant. */
  private APIGatewayV2HTTPResponse httpApi(APIGatewayV2HTTPEvent event, @Nullable Context context,
      Function<@Nullable Object, APIGatewayV2HTTPResponse> handler) {
    return inScope(withContext(LambdaRequests.of(event), context), handler,
        p -> APIGatewayV2HTTPResponse.builder().withStatusCode(p.status())
            .withHeaders(headers(p)).withBody(p.json()).build());
  }

  /** A REST API event in its tenant's scope; the Context, when given, carries the routed tenant. */
  private APIGatewayProxyResponseEvent restApi(APIGatewayProxyRequestEvent event, @Nullable Context context,
      Function<@Nullable Object, APIGatewayProxyResponseEvent> handler) {
    return inScope(withContext(LambdaRequests.of(event), context), handler,
        p -> new APIGatewayProxyResponseEvent().withStatusCode(p.status())
            .withHeaders(headers(p)).withBody(p.json()));
  }

  private static Map<String, String> headers(Problem p) {
    if (p.headers().isEmpty()) {
      return PROBLEM_HEADERS;
    }
    Map<String, String> all = new java.util.HashMap<>(PROBLEM_HEADERS);
    all.putAll(p.headers());
    return all;
  }

  private String tenantAttribute(SQSEvent.SQSMessage message) {
    Map<String, SQSEvent.MessageAttribute> attrs = message.getMessageAttributes();
    SQSEvent.MessageAttribute attr = attrs == null ? null : attrs.get(sqsTenantAttribute);
    if (attr == null || attr.getStringValue() == null) {
      throw new MissingTenantAttributeException(sqsTenantAttribute);
    }
    return attr.getStringValue();
  }

  private static boolean isFifo(SQSEvent.SQSMessage message) {
    String arn = message.getEventSourceArn();
    return arn != null && arn.endsWith(".fifo");
  }

  private <R> R inScope(TenantRequest view, java.util.function.Supplier<R> handler,
      Function<Problem, R> refused) {
    return inScope(view, principal -> handler.get(), refused);
  }

  private <R> R inScope(TenantRequest view, Function<@Nullable Object, R> handler,
      Function<Problem, R> refused) {
    if (admission == null) {
      throw new IllegalStateException("TenantLambda was built without a resolver; HTTP events need one");
    }
    TenantAdmission.Outcome outcome = admission.admit(view);
    Tenant tenant = outcome.tenant();
    if (tenant == null) {
      return refused.apply(Objects.requireNonNull(outcome.problem()));
    }
    try (TenantRequestLimiter.Permit ignored = outcome.permit()) {
      if (environmentTenant != null) {
        try {
          claimEnvironment(tenant.id());
        } catch (TenantMismatchException e) {
          return refused.apply(Problem.of(e));
        }
      }
      try {
        return TenantContext.supply(tenant, () -> handler.apply(outcome.principal()));
      } catch (RuntimeException e) {
        // An outage behind the handler (S3, the tenant's database) is a 503 the caller may retry,
        // not a function error; every other exception is the function's, as before.
        Problem outage = Problem.outage(e);
        if (outage == null) {
          throw e;
        }
        LOG.warn("request failed: {} tenant={}", outage.code(), tenant.id(), e);
        return refused.apply(outage);
      }
    }
  }

  private void warnNoInvocationTenant() {
    if (warnedNoInvocationTenant.compareAndSet(false, true)) {
      LOG.warn("invocation refused: it carries no Lambda tenant id, and this TenantLambda requires one (is the "
          + "function in tenant isolation mode, and does the handler pass its Context?)");
    }
  }

  private static TenantRequest withContext(TenantRequest view, @Nullable Context context) {
    return new InvocationRequest(view, tenantIdOf(context));
  }

  private static @Nullable String tenantIdOf(@Nullable Context context) {
    return context == null ? null : context.getTenantId();
  }

  /** Refuses {@code id} when this environment already serves another tenant. */
  private void requireEnvironmentTenant(TenantId id) {
    TenantId serving = Objects.requireNonNull(environmentTenant).get();
    if (serving != null && !serving.equals(id)) {
      LOG.warn("invocation refused: this execution environment serves tenant {}, the invocation names {}",
          serving, id);
      throw new TenantMismatchException("this execution environment serves another tenant");
    }
  }

  /** The first admitted tenant becomes the environment's; a race with another tenant loses. */
  private void claimEnvironment(TenantId id) {
    AtomicReference<@Nullable TenantId> env = Objects.requireNonNull(environmentTenant);
    if (!env.compareAndSet(null, id)) {
      requireEnvironmentTenant(id);
    }
  }

  /** An SQS message carried no tenant attribute. */
  public static final class MissingTenantAttributeException extends TenantKitException {
    private static final long serialVersionUID = 1L;

    MissingTenantAttributeException(String attribute) {
      super("message has no string attribute " + attribute + " naming its tenant");
    }
  }

  /** Builds a {@link TenantLambda}. */
  public static final class Builder {
    private @Nullable TenantResolver resolver;
    private @Nullable TenantCatalog catalog;
    private String sqsTenantAttribute = "tenantId";
    private @Nullable TenantRequestGuard guard;
    private @Nullable TenantRequestLimiter limiter;
    private boolean oneTenantPerEnvironment;
    private boolean requireInvocationTenant;

    private Builder() {}

    /**
     * Refuse every invocation that does not carry the tenant Lambda routed it by
     * ({@code Context.getTenantId()}, handed over with {@code handle(event, context, fn)}): HTTP
     * events get 400 {@code tenant-required}, SQS messages fail. For functions in tenant
     * isolation mode, so a deployment without it, or a handler that forgets to pass its
     * {@code Context}, fails closed instead of falling back to the request's own sources.
     */
    public Builder requireInvocationTenant() {
      this.requireInvocationTenant = true;
      return this;
    }

    /**
     * Serve one tenant per execution environment: the tenant Lambda routed it by (the first
     * invocation carrying a {@code Context} tenant id), or without one the first tenant admitted,
     * is this environment's; an invocation or SQS message of any other tenant is refused (403
     * {@code tenant-mismatch}, or a batch item failure) before the catalog, the guard and the
     * limiter see it, so pools, credentials and caches built in this environment only ever belong
     * to one tenant. For functions in Lambda's tenant isolation mode, where Lambda guarantees it
     * and a second tenant means a misrouted invocation (combine with
     * {@link #requireInvocationTenant()}); and for one-tenant-per-function deployments. The
     * environment's tenant is this {@code TenantLambda}'s: build one per function (a field of the
     * handler).
     */
    public Builder oneTenantPerEnvironment() {
      this.oneTenantPerEnvironment = true;
      return this;
    }

    /** A check run on each HTTP event once its tenant is known, such as token verification. */
    public Builder guard(TenantRequestGuard guard) {
      this.guard = Objects.requireNonNull(guard, "guard");
      return this;
    }

    /**
     * Per-tenant limits ({@link dev.tenantkit.core.TenantLimiter}), run after the guard: a
     * refused invocation gets a 429 problem response with {@code Retry-After}; its handler does
     * not run.
     */
    public Builder limiter(TenantRequestLimiter limiter) {
      this.limiter = Objects.requireNonNull(limiter, "limiter");
      return this;
    }

    /** Names the tenant of HTTP events. Required for HTTP events. */
    public Builder resolver(TenantResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** Checks the tenant exists and is active. Required. */
    public Builder catalog(TenantCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * The SQS message attribute (String type) naming the message's tenant; {@code tenantId} by
     * default. Change it to match what your producers set.
     */
    public Builder sqsTenantAttribute(String name) {
      if (name == null || name.isBlank() || name.length() > 256) {
        throw new IllegalArgumentException("sqsTenantAttribute must be 1 to 256 characters");
      }
      this.sqsTenantAttribute = name;
      return this;
    }

    /** Builds it. */
    public TenantLambda build() {
      if (catalog == null) {
        throw new IllegalStateException("catalog is required");
      }
      return new TenantLambda(this);
    }
  }
}
