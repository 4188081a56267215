package dev.sentinel.codegen.internal;

/**
 * Where the generator reports what it does: the Maven log in the plugin, a list in tests.
 * Implementations must be safe to call from the thread that runs the generator.
 */
public interface CodegenLog {

    /**
     * Reports a step the user wants to see.
     *
     * @param message the message
     */
    void info(String message);

    /**
     * Reports a detail for {@code mvn -X}.
     *
     * @param message the message
     */
    void debug(String message);

    /**
     * Reports something the user should fix but that does not fail the build.
     *
     * @param message the message
     */
    void warn(String message);

    /**
     * Whether {@link #debug} messages are shown ({@code mvn -X}): then jOOQ's own log, with its
     * timings, is shown too.
     *
     * @return true if debug output is on
     */
    default boolean debugEnabled() {
        return false;
    }
}
