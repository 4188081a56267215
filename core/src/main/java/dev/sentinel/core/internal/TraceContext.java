package dev.sentinel.core.internal;

import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The W3C trace context a transaction carries: read from the MDC key {@value #MDC_KEY} (where a web
 * filter or a tracing bridge puts the incoming {@code traceparent}), stored with the jobs the
 * transaction enqueues (column {@code sentinel.jobs.traceparent}, filled by its default from the
 * transaction's setting) and put back in the MDC around their handlers.
 */
public final class TraceContext {

    /** MDC key of the W3C {@code traceparent} header value. */
    public static final String MDC_KEY = "traceparent";

    // version-traceid-parentid-flags, lower-case hex (W3C Trace Context, section 3.2): this exact
    // shape is what makes the value safe to write as an SQL literal.
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private TraceContext() {
    }

    /**
     * Whether a value is a well-formed {@code traceparent}.
     *
     * @param value the value, may be null
     * @return true if it has the W3C shape (the all-zero ids, which the spec calls invalid, are not)
     */
    public static boolean valid(String value) {
        return value != null && value.length() == 55 && TRACEPARENT.matcher(value).matches()
                && !value.startsWith("ff") && !value.regionMatches(3, "00000000000000000000000000000000", 0, 32)
                && !value.regionMatches(36, "0000000000000000", 0, 16);
    }

    /**
     * The current thread's {@code traceparent}, if the MDC holds a well-formed one.
     *
     * @return the value, or {@code null}
     */
    static String current() {
        String value = MDC.get(MDC_KEY);
        return valid(value) ? value : null;
    }
}
