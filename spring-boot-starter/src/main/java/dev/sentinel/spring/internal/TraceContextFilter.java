package dev.sentinel.spring.internal;

import dev.sentinel.core.internal.TraceContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts a request's well-formed W3C {@code traceparent} header in the MDC for the request, unless a
 * tracer put one there already: Sentinel's transactions read it from there and store it with the
 * jobs they enqueue, whose handlers then run under it. A malformed header is ignored.
 */
public final class TraceContextFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("traceparent");
        if (MDC.get(TraceContext.MDC_KEY) != null || !TraceContext.valid(header)) {
            chain.doFilter(request, response);
            return;
        }
        MDC.put(TraceContext.MDC_KEY, header);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(TraceContext.MDC_KEY);
        }
    }
}
