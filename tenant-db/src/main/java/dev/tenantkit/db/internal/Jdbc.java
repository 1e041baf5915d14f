package dev.tenantkit.db.internal;

import dev.tenantkit.core.DatabaseConfig;
import dev.tenantkit.core.DatabaseConfig.DatabaseEngine;
import dev.tenantkit.db.TenantDbException;
import dev.tenantkit.db.TlsMode;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/** JDBC URLs, connection properties and error classification per engine. */
public final class Jdbc {
  private Jdbc() {}

  /** {@code jdbc:postgresql://host:port/db} or {@code jdbc:mysql://host:port/db}. */
  public static String url(DatabaseConfig db) {
    String scheme = db.engine() == DatabaseEngine.POSTGRESQL ? "postgresql" : "mysql";
    return "jdbc:" + scheme + "://" + db.host() + ":" + db.port() + "/" + db.database();
  }

  /**
   * The driver's connection properties: timeouts, the application name, TLS (for IAM), then the
   * caller's extra properties, which win.
   */
  public static Properties properties(DatabaseConfig db, String applicationName, TlsMode tls,
      @Nullable Path caBundle, int connectTimeoutSeconds, Map<String, String> extra) {
    Properties p = new Properties();
    tls = tls.forHost(db.host()); // PLAINTEXT_ON_LOOPBACK resolved, so each switch below is total
    if (db.engine() == DatabaseEngine.POSTGRESQL) {
      p.setProperty("ApplicationName", applicationName);
      // Sends application_name in the startup packet instead of a SET after connecting, so the
      // reset run on borrows (DISCARD ALL's RESET ALL) keeps it: pools stay named in
      // pg_stat_activity. Every PostgreSQL that RDS runs is 10 or later.
      p.setProperty("assumeMinServerVersion", "10");
      p.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
      p.setProperty("loginTimeout", Integer.toString(connectTimeoutSeconds));
      p.setProperty("tcpKeepAlive", "true");
      switch (tls) {
        case VERIFY_FULL:
          p.setProperty("sslmode", "verify-full");
          if (caBundle != null) {
            p.setProperty("sslrootcert", caBundle.toString());
          }
          break;
        case REQUIRE:
          p.setProperty("sslmode", "require");
          break;
        case DISABLE:
          // Said, not left to the driver: pgjdbc's default (prefer) would try TLS unverified.
          p.setProperty("sslmode", "disable");
          break;
        default:
          throw new AssertionError(tls);
      }
    } else {
      p.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds * 1000));
      switch (tls) {
        case VERIFY_FULL:
          // The CA comes from the JVM trust store or trustCertificateKeyStoreUrl (extra).
          p.setProperty("sslMode", "VERIFY_IDENTITY");
          break;
        case REQUIRE:
          p.setProperty("sslMode", "REQUIRED");
          break;
        case DISABLE:
          p.setProperty("sslMode", "DISABLED");
          break;
        default:
          throw new AssertionError(tls);
      }
    }
    extra.forEach(p::setProperty);
    return p;
  }

  /** The registered driver for {@code url}, or a CONFIGURATION error naming the artifact to add. */
  public static Driver driver(DatabaseConfig db, String url) throws TenantDbException {
    try {
      return DriverManager.getDriver(url);
    } catch (SQLException e) {
      String artifact = db.engine() == DatabaseEngine.POSTGRESQL
          ? "org.postgresql:postgresql" : "com.mysql:mysql-connector-j (or org.mariadb.jdbc:mariadb-java-client)";
      throw TenantDbException.of(TenantDbException.Reason.CONFIGURATION, null,
          "no JDBC driver for " + db.engine() + " on the class path; add " + artifact);
    }
  }

  /**
   * Whether the database refused the credentials: PostgreSQL {@code 28P01} (invalid password) or
   * {@code 28000} (invalid authorization), MySQL error 1045 (access denied), anywhere in the
   * cause chain.
   */
  public static boolean isAuthenticationFailure(SQLException e) {
    Throwable t = e;
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      if (t instanceof SQLException) {
        SQLException s = (SQLException) t;
        String state = s.getSQLState();
        if ("28P01".equals(state) || "28000".equals(state) || s.getErrorCode() == 1045) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code "name"} with embedded double quotes doubled: a PostgreSQL quoted identifier. */
  public static String quoteIdentifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
