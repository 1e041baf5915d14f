package dev.tenantkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.auth.TokenUse;
import dev.tenantkit.auth.VerifiedPrincipal;
import dev.tenantkit.core.TenantCatalog;
import dev.tenantkit.spring.security.TenantAuthentication;
import dev.tenantkit.spring.security.TenantAuthenticationManagerResolver;
import dev.tenantkit.spring.security.TenantKitSecurityAutoConfiguration;
import dev.tenantkit.testkit.TestTenants;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;

/** The Spring Security part's conditions: its default chain, the application's own chain, the group prefix. */
class TenantKitSecurityAutoConfigurationTest {
  private static final TenantCatalog CATALOG = TestTenants.catalog(TestTenants.silo("acme").build());

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TenantKitAutoConfiguration.class,
          TenantKitSecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class))
      .withBean(TenantCatalog.class, () -> CATALOG)
      .withPropertyValues("tenantkit.token.warm-up=false", "tenantkit.resolver.subdomain={tenant}.api.example.com");

  @Configuration(proxyBeanMethods = false)
  static class OwnChain {
    @Bean
    SecurityFilterChain ownChain(HttpSecurity http, TenantAuthenticationManagerResolver resolver) throws Exception {
      return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .oauth2ResourceServer(o -> o.authenticationManagerResolver(resolver)).build();
    }
  }

  static VerifiedPrincipal alice() {
    return new VerifiedPrincipal(CATALOG.require(TestTenants.id("acme")), "alice", "alice", Set.of("admins", "users"),
        Set.of("documents/read"), TokenUse.ACCESS, null, null, Instant.now().plusSeconds(60), "https://issuer", Map.of());
  }

  @Test
  void noChainOfTheApplications_theStartersBearerChain() {
    runner.run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx).hasSingleBean(TenantAuthenticationManagerResolver.class);
      assertThat(ctx.getBeansOfType(SecurityFilterChain.class)).containsOnlyKeys("tenantKitSecurityFilterChain");
    });
  }

  @Test
  void applicationsOwnChain_replacesTheStarters_andUsesItsResolver() {
    runner.withUserConfiguration(OwnChain.class).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBeansOfType(SecurityFilterChain.class)).containsOnlyKeys("ownChain");
    });
  }

  @Test
  void authorities_scopesAsScopeAuthorities_groupsWithTheConfiguredPrefix() {
    runner.run(ctx -> assertThat(ctx.getBean(TenantAuthenticationManagerResolver.class).authorities(alice()))
        .extracting(GrantedAuthority::getAuthority)
        .containsExactly("SCOPE_documents/read", "ROLE_admins", "ROLE_users"));
    runner.withPropertyValues("tenantkit.security.group-authority-prefix=GROUP_")
        .run(ctx -> assertThat(ctx.getBean(TenantAuthenticationManagerResolver.class).authorities(alice()))
            .extracting(GrantedAuthority::getAuthority)
            .containsExactly("SCOPE_documents/read", "GROUP_admins", "GROUP_users"));
  }

  @Test
  void authentication_keepsNoToken_andNamesTheSubject() {
    TenantAuthentication a = new TenantAuthentication(alice(), java.util.List.of());
    assertThat(a.getCredentials()).isEqualTo("");
    assertThat(a.getName()).isEqualTo("alice");
    assertThat(a.tenant().id()).isEqualTo(TestTenants.id("acme"));
    assertThat(a.isAuthenticated()).isTrue();
  }

  @Test
  void groupAuthorityPrefix_blankOrScope_refused() {
    for (String bad : new String[] {"", " ", "SCOPE_", "scope_x"}) {
      runner.withPropertyValues("tenantkit.security.group-authority-prefix=" + bad)
          .run(ctx -> assertThat(ctx.getStartupFailure()).as("'" + bad + "'").rootCause()
              .hasMessageContaining("tenantkit.security.group-authority-prefix"));
    }
  }
}
