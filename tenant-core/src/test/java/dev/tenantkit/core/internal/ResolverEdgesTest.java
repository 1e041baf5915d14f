package dev.tenantkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.core.TenantId;
import dev.tenantkit.core.TenantRequest;
import dev.tenantkit.core.TenantResolver;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The subdomain and path resolvers at the edges of their patterns (docs/mutation-testing.md). */
class ResolverEdgesTest {

  @ParameterizedTest
  @ValueSource(strings = {"{tenant}", "{tenant}.", "a{tenant}.example.com", "{tenant}x.example.com",
      "{tenant}.{tenant}.com", "app.example.com"})
  void subdomain_whenPatternHasNoWholeLabelOrParent_refused(String pattern) {
    assertThatThrownBy(() -> Resolvers.subdomain(pattern)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(value = {
      "{tenant}.x, acme.x, acme", "{tenant}.x, .x, -", "{tenant}.x, x, -",
      "api.{tenant}.example.com, api.acme.example.com, acme", "api.{tenant}.example.com, api..example.com, -",
      "api.{tenant}.example.com, apix.acme.example.com, -", "api.{tenant}.example.com, acme.example.com, -",
      "api.{tenant}.example.com, api.a.b.example.com, -", "{tenant}.app.example.com, acme.app.example.com.evil.com, -",
      "{tenant}.app.example.com, acmeapp.example.com, -", "{tenant}.App.Example.com, ACME.app.example.COM, acme"})
  void subdomain_resolvesExactlyOneLabel(String pattern, String host, String expected) {
    assertThat(resolve(Resolvers.subdomain(pattern), TenantRequest.builder().host(host).build()))
        .isEqualTo(expected.equals("-") ? Optional.empty() : Optional.of(TenantId.of(expected)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"t/{tenant}", "/t{tenant}", "/t/{tenant}x", "/t/", "/t/x"})
  void path_whenTemplateHasNoWholeSegment_refused(String template) {
    assertThatThrownBy(() -> Resolvers.path(template)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(value = {
      "/t/{tenant}, /t/acme, acme", "/t/{tenant}, /t/acme/, acme", "/t/{tenant}, /t/acme/orders/7, acme",
      "/t/{tenant}, /t/acme;x=y, acme", "/t/{tenant}, /t/acme;, acme", "/t/{tenant}, /t/acme/x;y, acme",
      "/t/{tenant}, /t/, -", "/t/{tenant}, /t, -", "/t/{tenant}, /t/;x, -", "/t/{tenant}, /u/acme, -",
      "/{tenant}, /acme, acme", "/{tenant}/x, /acme/x, acme", "/t/{tenant}/docs, /t/globex/docs, globex"})
  void path_resolvesExactlyOneSegment(String template, String path, String expected) {
    assertThat(resolve(Resolvers.path(template), TenantRequest.builder().path(path).build()))
        .isEqualTo(expected.equals("-") ? Optional.empty() : Optional.of(TenantId.of(expected)));
  }

  private static Optional<TenantId> resolve(TenantResolver r, TenantRequest request) {
    assertThat(r.toString()).isNotEmpty();
    return r.resolve(request);
  }
}
