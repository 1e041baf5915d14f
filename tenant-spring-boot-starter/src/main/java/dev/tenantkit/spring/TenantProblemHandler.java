package dev.tenantkit.spring;

import dev.tenantkit.core.HttpProblem;
import dev.tenantkit.core.TenantKitException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers TenantKit's refusals thrown in controllers ({@code CrossTenantAccessException},
 * {@code InvalidObjectKeyException}, a token or limit refusal, ...) as problem+json
 * ({@link TenantProblems}). An application's own {@code @ExceptionHandler} for these types, in the
 * controller or in an advice of higher precedence, still wins.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE - 10)
public class TenantProblemHandler {

  @ExceptionHandler(TenantKitException.class)
  ResponseEntity<ProblemDetail> tenantKit(TenantKitException e) {
    return TenantProblems.response(TenantProblems.of(e), e,
        e instanceof HttpProblem p ? p.problemHeaders() : Map.of());
  }
}
