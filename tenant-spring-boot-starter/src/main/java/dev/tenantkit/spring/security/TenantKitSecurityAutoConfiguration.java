package dev.tenantkit.spring.security;

import dev.tenantkit.auth.TenantTokenVerifier;
import dev.tenantkit.spring.TenantKitAutoConfiguration;
import dev.tenantkit.spring.TenantKitProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security on the request's tenant: a {@link TenantAuthenticationManagerResolver} bean, and,
 * when the application defines no {@link SecurityFilterChain} of its own, a stateless bearer-token
 * chain: every request authenticated by its tenant's token, the management health endpoint and
 * {@code tenantkit.filter.skip-paths} open (the load balancer's check), every other management
 * endpoint closed, refusals as problem+json.
 * An application's own chain uses the resolver with
 * {@code http.oauth2ResourceServer(o -> o.authenticationManagerResolver(resolver))}.
 */
@AutoConfiguration(after = TenantKitAutoConfiguration.class, beforeName = {
    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SecurityFilterChain.class, BearerTokenAuthenticationToken.class, TenantTokenVerifier.class})
public class TenantKitSecurityAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  TenantAuthenticationManagerResolver tenantAuthenticationManagerResolver(TenantTokenVerifier verifier,
      TenantKitProperties properties) {
    String prefix = properties.getSecurity().getGroupAuthorityPrefix();
    // Groups are each tenant's own (its user pool, its Okta): with a blank prefix, or SCOPE_, a
    // group a tenant creates could name an authority the application grants to scopes.
    if (prefix == null || prefix.isBlank() || prefix.toUpperCase(java.util.Locale.ROOT).startsWith("SCOPE_")) {
      throw new dev.tenantkit.core.TenantConfigurationException("tenantkit.security.group-authority-prefix must be"
          + " a non-blank prefix other than SCOPE_ (such as ROLE_ or GROUP_): a tenant's own group names must not be"
          + " able to spell another kind of authority; was '" + prefix + "'");
    }
    return new TenantAuthenticationManagerResolver(verifier, prefix);
  }

  @Bean
  @ConditionalOnMissingBean(SecurityFilterChain.class)
  SecurityFilterChain tenantKitSecurityFilterChain(HttpSecurity http, TenantAuthenticationManagerResolver resolver,
      Environment environment, TenantKitProperties properties) throws Exception {
    String management = environment.getProperty("management.endpoints.web.base-path", "/actuator");
    String base = management.endsWith("/") ? management.substring(0, management.length() - 1) : management;
    // The paths the tenant filter serves without a tenant (a load balancer's health check): no
    // tenant's token can be verified on them, so they are open here too; matched as the filter
    // matches them, exactly on the raw request URI (checked plain and outside management at start).
    java.util.Set<String> tenantless = java.util.Set.copyOf(properties.getFilter().getSkipPaths());
    ProblemJsonSecurityHandlers problems = new ProblemJsonSecurityHandlers();
    http.authorizeHttpRequests(a -> a
            .requestMatchers(base + "/health", base + "/health/**").permitAll()
            .requestMatchers(base, base + "/**").denyAll()
            .requestMatchers(request -> tenantless.contains(request.getRequestURI())).permitAll()
            .anyRequest().authenticated())
        .oauth2ResourceServer(o -> o.authenticationManagerResolver(resolver)
            .authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        // Bearer tokens only: no session, no cookie, so no CSRF to defend against.
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable);
    return http.build();
  }
}
