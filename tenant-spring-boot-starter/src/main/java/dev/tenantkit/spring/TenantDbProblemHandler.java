package dev.tenantkit.spring;

import dev.tenantkit.db.TenantDbException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers tenant-db's refusals thrown in controllers as problem+json: a tenant whose connections
 * are all busy (its bulkhead) or an unreachable database as 503 with {@code Retry-After}, a
 * suspended tenant as 403, a request that reached the database without a tenant as 500.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE - 10)
public class TenantDbProblemHandler {

  @ExceptionHandler(TenantDbException.class)
  ResponseEntity<ProblemDetail> tenantDb(TenantDbException e) {
    return TenantProblems.response(TenantProblems.ofDb(e), e, Map.of());
  }
}
