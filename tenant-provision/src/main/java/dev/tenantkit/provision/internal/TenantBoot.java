package dev.tenantkit.provision.internal;

import dev.tenantkit.provision.TenantStackSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an instance of the tenant's stack does at first boot (the launch template's user data), so
 * that nothing is copied to it by hand:
 *
 * <ol>
 *   <li>writes {@code /etc/tenantkit/tenant.env}: the tenant it serves (pinned), the registry
 *       table and Region, the RDS CA bundle's path, the database's endpoint, name, application
 *       user and master secret ARN (for the one-shot database bootstrap: the database exists
 *       before the instances boot, the tenant's record is ACTIVE only once the whole stack is)
 *       and the app port; the service reads its configuration from there, never from a file
 *       someone copied;</li>
 *   <li>fetches the RDS CA bundle from AWS's trust store, so the database connection is verified
 *       TLS;</li>
 *   <li>when the spec names an artifact: installs Corretto 17, fetches the artifact from S3 and
 *       runs the start command as a systemd service under its own unprivileged user, restarted
 *       if it stops.</li>
 * </ol>
 */
public final class TenantBoot {
  /** The environment file every instance gets. */
  public static final String ENV_FILE = "/etc/tenantkit/tenant.env";
  /** Where the RDS CA bundle is put. */
  public static final String RDS_CA_BUNDLE = "/etc/tenantkit/rds-global-bundle.pem";
  /** AWS's global RDS CA bundle (every commercial Region's RDS certificates). */
  public static final String RDS_CA_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";
  /** The systemd unit running the service. */
  public static final String UNIT = "tenantkit-service";

  private TenantBoot() {}

  /**
   * The user data's commands.
   *
   * @param databaseSecretArn the master secret's ARN (a CloudFormation token at synthesis)
   * @param databaseHost the database endpoint's address (a token)
   * @param databasePort the database endpoint's port (a token)
   */
  public static List<String> commands(TenantStackSpec spec, String databaseSecretArn, String databaseHost,
      String databasePort) {
    List<String> c = new ArrayList<>();
    c.add("set -euo pipefail");
    c.add("install -d -m 0755 /etc/tenantkit /opt/tenantkit");
    // A quoted heredoc: nothing in it is expanded by the shell.
    c.add("cat > " + ENV_FILE + " <<'TENANTKIT_ENV'");
    c.add("TENANTKIT_TENANT_ID=" + spec.tenantId().value());
    c.add("TENANTKIT_STACK=" + spec.stackName());
    c.add("AWS_REGION=" + spec.region());
    spec.registryTable().ifPresent(t -> {
      c.add("TENANTKIT_REGISTRY_TABLE=" + t);
      c.add("TENANTKIT_REGISTRY_REGION=" + spec.registryRegion());
    });
    c.add("TENANTKIT_RDS_CA_BUNDLE=" + RDS_CA_BUNDLE);
    c.add("TENANTKIT_DB_MASTER_SECRET_ARN=" + databaseSecretArn);
    c.add("TENANTKIT_DB_HOST=" + databaseHost);
    c.add("TENANTKIT_DB_PORT=" + databasePort);
    c.add("TENANTKIT_DB_NAME=" + spec.databaseName());
    c.add("TENANTKIT_DB_APP_USER=" + spec.databaseUser());
    c.add("TENANTKIT_PORT=" + spec.appPort());
    c.add("TENANTKIT_ENV");
    c.add("chmod 0644 " + ENV_FILE);
    c.add("curl -fsS --retry 5 --proto '=https' -o " + RDS_CA_BUNDLE + " " + RDS_CA_BUNDLE_URL);
    Optional<String> artifact = spec.serviceArtifact();
    Optional<String> command = spec.serviceCommand();
    if (artifact.isPresent() && command.isPresent()) {
      String file = artifact.get().substring(artifact.get().lastIndexOf('/') + 1);
      c.add("id -u tenantkit >/dev/null 2>&1 || useradd --system --home-dir /opt/tenantkit --shell /sbin/nologin tenantkit");
      c.add("dnf install -y java-17-amazon-corretto-headless");
      c.add("aws s3 cp '" + artifact.get() + "' '/opt/tenantkit/" + file + "' --region " + spec.region());
      c.add("chown -R tenantkit:tenantkit /opt/tenantkit");
      c.add("cat > /etc/systemd/system/" + UNIT + ".service <<'TENANTKIT_UNIT'");
      c.add("[Unit]");
      c.add("Description=TenantKit service of tenant " + spec.tenantId().value());
      c.add("After=network-online.target");
      c.add("Wants=network-online.target");
      c.add("[Service]");
      c.add("User=tenantkit");
      c.add("EnvironmentFile=" + ENV_FILE);
      c.add("WorkingDirectory=/opt/tenantkit");
      // /var/lib/tenantkit, owned by the service's user: the registry's last-known-good copy.
      c.add("StateDirectory=tenantkit");
      c.add("StateDirectoryMode=0700");
      // systemd expands % specifiers: a literal % in the command is written %%. $VAR and ${VAR}
      // are expanded from the environment file, on purpose (TenantStackSpec.Builder#service).
      c.add("ExecStart=/bin/sh -c '" + command.get().replace("%", "%%") + "'");
      c.add("Restart=always");
      c.add("RestartSec=5");
      c.add("NoNewPrivileges=true");
      c.add("[Install]");
      c.add("WantedBy=multi-user.target");
      c.add("TENANTKIT_UNIT");
      c.add("systemctl daemon-reload");
      c.add("systemctl enable --now " + UNIT);
    }
    return c;
  }
}
