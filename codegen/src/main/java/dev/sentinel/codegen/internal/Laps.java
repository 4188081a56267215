package dev.sentinel.codegen.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where one generation's time went: the steps' wall times in order, for the build's summary line
 * (so that a slow build says which step was slow without {@code -X}) and, each as it ends, for the
 * debug log.
 *
 * <p>Not thread-safe; one per {@link CodeGenerator#generate} call.
 */
final class Laps {

    private final CodegenLog log;
    private final long started = System.nanoTime();
    private final List<String> steps = new ArrayList<>();
    private long last = started;

    Laps(CodegenLog log) {
        this.log = log;
    }

    /**
     * Ends the step that began when the last one ended.
     *
     * @param step what it did, in a few words
     */
    void lap(String step) {
        long now = System.nanoTime();
        long millis = (now - last) / 1_000_000;
        last = now;
        steps.add(step + " " + millis);
        log.debug("Sentinel codegen: " + step + " in " + millis + " ms");
    }

    /** Milliseconds since this was made. */
    long total() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** The total and the steps, such as {@code 3120 ms (server start 410, migrations 900, ...)}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d ms (%s)", total(), String.join(", ", steps));
    }
}
