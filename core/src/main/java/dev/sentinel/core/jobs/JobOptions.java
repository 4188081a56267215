package dev.sentinel.core.jobs;

import dev.sentinel.core.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * How to enqueue a job. Immutable; each method returns a validated copy.
 *
 * <pre>{@code
 * tx.jobs().enqueue("orders.send_reminder", "{\"order\":\"...\"}",
 *         JobOptions.defaults().queue("mail").priority(10).dedupeKey("reminder-" + orderId));
 * }</pre>
 *
 * @param queue the queue, default {@code default}: a lower-case name, at most 63 characters
 * @param priority higher runs first, -1000 to 1000, default 0
 * @param runAt the earliest time to run, or {@code null} for now (the database's clock)
 * @param maxAttempts attempts allowed before the job is dead, 1 to 1000, default 3
 * @param dedupeKey at most one queued or running job per tenant, type and key; {@code null} for none
 */
public record JobOptions(String queue, int priority, Instant runAt, int maxAttempts, String dedupeKey) {

    private static final Pattern QUEUE = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

    /**
     * Validates the options.
     *
     * @throws InvalidInputException naming the option that does not fit
     */
    public JobOptions {
        if (queue == null || !QUEUE.matcher(queue).matches()) {
            throw new InvalidInputException("JobOptions: queue '" + queue + "' must be a lower-case name such as default or"
                    + " mail (letters, digits, _ and -, at most 63 characters)");
        }
        if (priority < -1000 || priority > 1000) {
            throw new InvalidInputException("JobOptions: priority " + priority + " is outside -1000..1000");
        }
        if (maxAttempts < 1 || maxAttempts > 1000) {
            throw new InvalidInputException("JobOptions: maxAttempts " + maxAttempts + " is outside 1..1000");
        }
        if (dedupeKey != null && (dedupeKey.isEmpty() || dedupeKey.length() > 200)) {
            throw new InvalidInputException("JobOptions: dedupeKey must be 1 to 200 characters");
        }
    }

    /**
     * Queue {@code default}, priority 0, run now, 3 attempts, no dedupe key.
     *
     * @return the defaults
     */
    public static JobOptions defaults() {
        return new JobOptions("default", 0, null, 3, null);
    }

    /**
     * Sets the queue.
     *
     * @param queue a lower-case name
     * @return a copy
     */
    public JobOptions queue(String queue) {
        return new JobOptions(queue, priority, runAt, maxAttempts, dedupeKey);
    }

    /**
     * Sets the priority.
     *
     * @param priority -1000 to 1000, higher first
     * @return a copy
     */
    public JobOptions priority(int priority) {
        return new JobOptions(queue, priority, runAt, maxAttempts, dedupeKey);
    }

    /**
     * Sets the earliest time to run.
     *
     * @param runAt the instant, or {@code null} for now
     * @return a copy
     */
    public JobOptions runAt(Instant runAt) {
        return new JobOptions(queue, priority, runAt, maxAttempts, dedupeKey);
    }

    /**
     * Sets the attempts allowed.
     *
     * @param maxAttempts 1 to 1000
     * @return a copy
     */
    public JobOptions maxAttempts(int maxAttempts) {
        return new JobOptions(queue, priority, runAt, maxAttempts, dedupeKey);
    }

    /**
     * Sets the dedupe key.
     *
     * @param dedupeKey 1 to 200 characters, or {@code null}
     * @return a copy
     */
    public JobOptions dedupeKey(String dedupeKey) {
        return new JobOptions(queue, priority, runAt, maxAttempts, dedupeKey);
    }

    /**
     * Checks a lease or delay duration.
     *
     * @param name the parameter, for the message
     * @param value the duration
     * @return the duration
     * @throws InvalidInputException if null, zero or negative
     */
    static Duration positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidInputException(name + " must be a positive duration, not " + value);
        }
        return value;
    }
}
