package dev.tenantkit.spring;

import dev.tenantkit.core.spi.SqlStates;
import java.sql.SQLException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A tenant's database lost mid-request (a restart, a failover, a connection reset: SQLState
 * class 08, or PostgreSQL's 57P01 to 57P03 and 53300) answered as 503 problem+json with
 * {@code Retry-After}, like a database TenantKit could not connect to; found as the exception or
 * any cause of it (a {@code DataAccessException}, an application's own wrapper), never the
 * driver's message. Every other SQL error is left as it was: rethrown to Spring, which answers
 * it as it would without the starter.
 *
 * <p>The lowest precedence, so that the application's own handlers, of these exceptions or
 * wrappers of them, answer first. An application advice without {@code @Order} has that
 * precedence too, and Spring then asks the one registered first (usually the application's,
 * whose beans are registered before auto-configurations); give it an {@code @Order} below
 * {@code Ordered.LOWEST_PRECEDENCE} to be sure.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class DatabaseUnavailableHandler {
  @ExceptionHandler(SQLException.class)
  ResponseEntity<ProblemDetail> sqlException(SQLException e) throws SQLException {
    if (!SqlStates.databaseUnavailable(e)) {
      throw e; // not ours to answer
    }
    return TenantProblems.response(TenantProblems.DATABASE_UNAVAILABLE, e, Map.of());
  }
}
