package dev.sentinel.core.jobs;

import java.time.Duration;

/**
 * What a {@link JobHandler} reports: done (with an optional JSON result), or snooze (run again
 * later without using up an attempt). A failure is reported by throwing. Immutable.
 */
public final class JobOutcome {

    private static final JobOutcome DONE = new JobOutcome(null, null);

    private final String result;
    private final Duration snooze;

    private JobOutcome(String result, Duration snooze) {
        this.result = result;
        this.snooze = snooze;
    }

    /**
     * Succeeded, with no result.
     *
     * @return the outcome
     */
    public static JobOutcome done() {
        return DONE;
    }

    /**
     * Succeeded with a result.
     *
     * @param resultJson a JSON value, stored in {@code result}
     * @return the outcome
     */
    public static JobOutcome done(String resultJson) {
        return new JobOutcome(resultJson, null);
    }

    /**
     * Not ready yet: back to the queue after a delay, the attempt not counted.
     *
     * @param delay positive
     * @return the outcome
     * @throws dev.sentinel.core.InvalidInputException if the delay is not positive
     */
    public static JobOutcome snooze(Duration delay) {
        return new JobOutcome(null, JobOptions.positive("snooze: delay", delay));
    }

    /**
     * The result of a succeeded job.
     *
     * @return JSON text, or {@code null}
     */
    public String result() {
        return result;
    }

    /**
     * The snooze delay.
     *
     * @return the delay, or {@code null} when the job is done
     */
    public Duration snoozeFor() {
        return snooze;
    }
}
