/**
 * AWS Lambda adapter: {@link dev.tenantkit.core.lambda.TenantLambda} runs a handler in the
 * tenant scope of an API Gateway (REST or HTTP API) or ALB event, and each message of an SQS
 * batch in its own tenant's scope. Needs {@code com.amazonaws:aws-lambda-java-events} on the
 * class path (an optional dependency of tenant-core).
 */
@NullMarked
package dev.tenantkit.core.lambda;

import org.jspecify.annotations.NullMarked;
