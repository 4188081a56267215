package dev.sentinel.core.jobs;

import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.db.enums.MissedTicks;
import java.time.Duration;
import java.time.ZoneId;
import java.util.regex.Pattern;

/**
 * A recurring job, stored with {@link Jobs#schedule(JobSchedule)}: a job of {@code type} enqueued at
 * each tick of a cron expression in a time zone, or of a fixed interval. Immutable; each method
 * returns a validated copy.
 *
 * <p>Cron expressions are Unix cron (minute, hour, day of month, month, day of week), read by
 * cron-utils, in the schedule's time zone: across a daylight-saving change a tick whose local time
 * happens twice runs once, and one whose local time is skipped runs at the first instant after the gap.
 *
 * @param name the schedule's name, unique within the tenant: lower-case, such as {@code reports.nightly}
 * @param type the job type each tick enqueues
 * @param payloadJson the payload of every enqueued job, a JSON object
 * @param queue the queue of the enqueued jobs
 * @param cron a Unix cron expression, or {@code null} with {@code every}
 * @param zone the time zone of {@code cron}, or {@code null} with {@code every}
 * @param every the fixed interval, at least one second, or {@code null} with {@code cron}
 * @param missed what ticks found more than a minute late do (every worker pool was down)
 */
public record JobSchedule(String name, String type, String payloadJson, String queue, String cron, ZoneId zone,
        Duration every, MissedTicks missed) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,99}");

    /**
     * Validates the schedule.
     *
     * @throws InvalidInputException naming what does not fit
     */
    public JobSchedule {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("JobSchedule: name '" + name + "' must be lower-case letters, digits, '.', '_'"
                    + " or '-', starting with a letter, at most 100 characters, such as reports.nightly");
        }
        if (payloadJson == null || !payloadJson.strip().startsWith("{")) {
            throw new InvalidInputException("JobSchedule " + name + ": the payload must be a JSON object such as {}");
        }
        JobOptions.defaults().queue(queue); // validates the queue name
        if ((cron == null) == (every == null)) {
            throw new InvalidInputException("JobSchedule " + name + ": give either a cron expression or an interval, not "
                    + (cron == null ? "neither" : "both"));
        }
        if (cron != null) {
            if (zone == null) {
                throw new InvalidInputException("JobSchedule " + name + ": a cron expression needs its time zone, such as"
                        + " ZoneId.of(\"Europe/Berlin\")");
            }
            dev.sentinel.core.internal.CronTicks.parse(name, cron);
        } else {
            if (zone != null) {
                throw new InvalidInputException("JobSchedule " + name + ": an interval has no time zone");
            }
            if (every.compareTo(Duration.ofSeconds(1)) < 0 || every.toNanos() % 1_000_000_000L != 0) {
                throw new InvalidInputException("JobSchedule " + name + ": the interval must be whole seconds, at least one, not " + every);
            }
        }
        if (missed == null) {
            throw new InvalidInputException("JobSchedule " + name + ": missed is null; use MissedTicks.RUN_ONCE or SKIP");
        }
    }

    /**
     * A schedule on a cron expression: payload {@code {}}, queue {@code default}, missed ticks run once.
     *
     * @param name the schedule's name
     * @param type the job type
     * @param cron a Unix cron expression, such as {@code 0 3 * * *} (03:00 every day)
     * @param zone the time zone the expression is read in
     * @return the schedule
     * @throws InvalidInputException if the expression does not parse, naming the problem
     */
    public static JobSchedule cron(String name, String type, String cron, ZoneId zone) {
        return new JobSchedule(name, type, "{}", "default", cron, zone, null, MissedTicks.RUN_ONCE);
    }

    /**
     * A schedule on a fixed interval, its first tick one interval after it is stored: payload
     * {@code {}}, queue {@code default}, missed ticks run once.
     *
     * @param name the schedule's name
     * @param type the job type
     * @param every the interval, whole seconds, at least one
     * @return the schedule
     */
    public static JobSchedule every(String name, String type, Duration every) {
        return new JobSchedule(name, type, "{}", "default", null, null, every, MissedTicks.RUN_ONCE);
    }

    /**
     * Sets the payload of every enqueued job.
     *
     * @param payloadJson a JSON object
     * @return a copy
     */
    public JobSchedule payload(String payloadJson) {
        return new JobSchedule(name, type, payloadJson, queue, cron, zone, every, missed);
    }

    /**
     * Sets the queue of the enqueued jobs.
     *
     * @param queue a queue name
     * @return a copy
     */
    public JobSchedule queue(String queue) {
        return new JobSchedule(name, type, payloadJson, queue, cron, zone, every, missed);
    }

    /**
     * Sets what ticks found more than a minute late do.
     *
     * @param missed {@link MissedTicks#RUN_ONCE} (one job for all of them, now) or {@link MissedTicks#SKIP} (none)
     * @return a copy
     */
    public JobSchedule missed(MissedTicks missed) {
        return new JobSchedule(name, type, payloadJson, queue, cron, zone, every, missed);
    }
}
