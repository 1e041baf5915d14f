package dev.tenantkit.db;

import dev.tenantkit.core.DatabaseConfig;
import java.sql.SQLException;

/**
 * Gives the credentials for a new physical connection to a tenant's database. Called once per
 * physical connection (never per {@code getConnection()} of a warm pool), on the pool's
 * connection-adding thread.
 *
 * <p>Built in: {@link IamAuthTokenFactory} (RDS IAM database authentication) and
 * {@link SecretsManagerCredentialsFactory} (an RDS secret). Credentials {@code STATIC} need no
 * factory.
 */
public interface DbCredentialsFactory {

  /**
   * Credentials for one new connection to {@code database}.
   *
   * @throws SQLException (preferably a {@link TenantDbException} with
   *     {@link TenantDbException.Reason#CREDENTIALS_FAILED}) when they cannot be obtained
   */
  DbCredentials credentials(DatabaseConfig database) throws SQLException;

  /**
   * The database refused the last credentials given for {@code database} (a wrong password,
   * typically after a rotation). The next {@link #credentials} call should fetch fresh ones;
   * implementations may limit how often they re-fetch.
   */
  default void authenticationFailed(DatabaseConfig database) {}
}
