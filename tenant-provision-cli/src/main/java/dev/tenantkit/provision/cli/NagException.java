package dev.tenantkit.provision.cli;

import dev.tenantkit.provision.TenantStackSpec;
import dev.tenantkit.provision.TenantTemplates;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** The synthesised template has unsuppressed cdk-nag findings: exit code 4. */
final class NagException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NagException(List<String> findings) {
    super("cdk-nag found " + findings.size() + " unsuppressed issue(s); not going further:\n  "
        + String.join("\n  ", findings));
  }

  /** Synthesises {@code spec}, refusing a template with findings. */
  static TenantTemplates.Synthesized synthChecked(TenantStackSpec spec, @Nullable Path assemblyDir,
      Consumer<String> progress) {
    TenantTemplates.Synthesized s = TenantTemplates.synth(spec, assemblyDir, progress);
    if (!s.nagFindings().isEmpty()) {
      throw new NagException(s.nagFindings());
    }
    return s;
  }
}
