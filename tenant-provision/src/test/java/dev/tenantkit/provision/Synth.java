package dev.tenantkit.provision;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

/** Synthesises tenant stacks with cdk-nag's AwsSolutions pack, once per spec per test run (synth is slow). */
final class Synth {
  record Result(TenantStack stack, Template template, List<String> nagErrors, List<String> nagWarnings,
      CloudAssembly assembly) {}

  private static final Map<String, Result> CACHE = new ConcurrentHashMap<>();

  private Synth() {}

  static final String CERT = "arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

  static TenantStackSpec.Builder spec(String tier) {
    return TenantStackSpec.builder().tenant("acme").tier(tier).region("eu-west-1").certificateArn(CERT);
  }

  static Result of(String tier) {
    return CACHE.computeIfAbsent(tier, t -> synth(spec(t).build()));
  }

  static Result synth(TenantStackSpec spec) {
    App app = App.Builder.create().build();
    TenantStack stack = TenantStack.create(app, spec);
    Checked checked = checked(app, stack);
    return new Result(stack, checked.template(), checked.nagErrors(), checked.nagWarnings(), checked.assembly());
  }

  /** One stack's template and cdk-nag's AwsSolutions findings on it. */
  record Checked(Template template, List<String> nagErrors, List<String> nagWarnings, CloudAssembly assembly) {}

  /** Synthesises {@code app} with cdk-nag's AwsSolutions pack and reads {@code stack}'s template and findings. */
  static Checked checked(App app, Stack stack) {
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    CloudAssembly assembly = app.synth();
    List<String> errors = Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))
        .stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList();
    List<String> warnings = Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))
        .stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList();
    return new Checked(Template.fromStack(stack), errors, warnings, assembly);
  }
}
