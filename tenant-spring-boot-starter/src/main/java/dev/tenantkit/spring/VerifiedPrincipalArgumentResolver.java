package dev.tenantkit.spring;

import dev.tenantkit.auth.VerifiedPrincipal;
import dev.tenantkit.core.servlet.TenantFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.annotation.Annotation;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * A controller parameter of type {@link VerifiedPrincipal}: the token the tenant filter verified
 * for the request's tenant, with or without Spring Security (with it,
 * {@code @AuthenticationPrincipal} gives the same, and a parameter so annotated is left to Spring
 * Security). On a request the filter admitted without a token (a skip path), the parameter is
 * refused (an error, 500: the endpoint should not ask for a principal), unless it is optional
 * ({@code @Nullable}, as Spring reads nullness).
 */
public final class VerifiedPrincipalArgumentResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == VerifiedPrincipal.class && !annotated(parameter, "AuthenticationPrincipal");
  }

  @Override
  public @Nullable Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer mav,
      NativeWebRequest request, @Nullable WebDataBinderFactory binders) {
    HttpServletRequest http = request.getNativeRequest(HttpServletRequest.class);
    VerifiedPrincipal principal = http == null ? null
        : TenantFilter.principal(http, VerifiedPrincipal.class).orElse(null);
    if (principal != null && http != null && !TenantFilter.tenant(http).map(t -> t.id().equals(principal.tenant().id()))
        .orElse(false)) {
      // The filter sets both from one admission; anything else is a bug, never a principal to hand out.
      throw new IllegalStateException("the request's verified principal is not of the tenant it was admitted to");
    }
    if (principal == null && !parameter.isOptional()) {
      throw new IllegalStateException("no verified principal on this request: it was not admitted with a token"
          + " (a skip path, or tenantkit.token.required=false); annotate the parameter @Nullable to accept none");
    }
    return principal;
  }

  private static boolean annotated(MethodParameter parameter, String simpleName) {
    for (Annotation a : parameter.getParameterAnnotations()) {
      if (a.annotationType().getSimpleName().equals(simpleName)) {
        return true;
      }
    }
    return false;
  }
}
