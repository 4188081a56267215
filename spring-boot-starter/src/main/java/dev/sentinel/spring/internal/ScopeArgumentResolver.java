package dev.sentinel.spring.internal;

import dev.sentinel.core.Scope;
import dev.sentinel.core.Sentinel;
import dev.sentinel.core.TxOptions;
import dev.sentinel.spring.TenantResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves a controller method's {@link Scope} parameter: the request's tenant and actor from the
 * {@link TenantResolver}, and the request id from its header when one is sent. A missing or
 * malformed tenant or actor is a {@code MissingScopeException} or {@code InvalidInputException},
 * which the problem details answer with 400. Thread-safe.
 */
public final class ScopeArgumentResolver implements HandlerMethodArgumentResolver {

    private final Sentinel sentinel;
    private final TenantResolver resolver;
    private final String requestIdHeader;

    /**
     * Creates the resolver.
     *
     * @param sentinel the Sentinel
     * @param resolver the request's tenant and actor
     * @param requestIdHeader the header of the request id
     */
    public ScopeArgumentResolver(Sentinel sentinel, TenantResolver resolver, String requestIdHeader) {
        this.sentinel = sentinel;
        this.resolver = resolver;
        this.requestIdHeader = requestIdHeader;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Scope.class;
    }

    @Override
    public Scope resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer, NativeWebRequest webRequest,
            WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        Scope scope = sentinel.tenant(resolver.tenantId(request), resolver.actor(request));
        String requestId = request.getHeader(requestIdHeader);
        return requestId == null ? scope : scope.with(TxOptions.defaults().withRequestId(requestId));
    }
}
