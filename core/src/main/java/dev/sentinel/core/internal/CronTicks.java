package dev.sentinel.core.internal;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.sentinel.core.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/** The ticks of a recurring job: cron-utils for cron expressions, arithmetic for intervals. Thread-safe. */
public final class CronTicks {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private CronTicks() {
    }

    /**
     * Parses a Unix cron expression.
     *
     * @param name the schedule, for the message
     * @param cron the expression
     * @return its execution times
     * @throws InvalidInputException if it does not parse
     */
    public static ExecutionTime parse(String name, String cron) {
        try {
            return ExecutionTime.forCron(UNIX.parse(cron));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("JobSchedule " + name + ": '" + cron + "' is not a Unix cron expression"
                    + " (minute hour day-of-month month day-of-week, such as 0 3 * * *): " + e.getMessage(), e);
        }
    }

    /**
     * The first tick strictly after {@code after}.
     *
     * @param name the schedule, for messages
     * @param cron the cron expression, or {@code null} for an interval
     * @param zone the cron expression's time zone
     * @param every the interval, or {@code null} for a cron expression
     * @param anchor for an interval, a tick it counts from (the previous tick, or when the schedule was stored)
     * @param after the instant the tick must follow
     * @return the tick
     */
    public static Instant next(String name, String cron, ZoneId zone, Duration every, Instant anchor, Instant after) {
        if (cron == null) {
            long seconds = every.toSeconds();
            long elapsed = Math.max(0, after.getEpochSecond() - anchor.getEpochSecond());
            Instant tick = anchor.plusSeconds((elapsed / seconds + 1) * seconds);
            return tick.isAfter(after) ? tick : tick.plusSeconds(seconds);
        }
        ExecutionTime times = parse(name, cron);
        ZonedDateTime from = after.atZone(zone);
        ZonedDateTime next = times.nextExecution(from).orElseThrow(() ->
                new InvalidInputException("JobSchedule " + name + ": '" + cron + "' has no tick after " + after));
        // Autumn: a local time that happens twice (02:30 CEST, then 02:30 CET) is one tick, not two.
        LocalDateTime repeated = from.toLocalDateTime();
        while (next.toLocalDateTime().equals(repeated) || !next.toInstant().isAfter(after)) {
            next = times.nextExecution(next).orElseThrow();
        }
        // Spring: cron-utils passes over a tick whose local time the clocks skip (02:30 on the night
        // they jump from 02:00 to 03:00). Such a tick runs at the first instant after the gap, as cron does.
        for (ZoneOffsetTransition change = zone.getRules().nextTransition(after);
                change != null && change.getInstant().isBefore(next.toInstant());
                change = zone.getRules().nextTransition(change.getInstant())) {
            if (change.isGap()) {
                ZonedDateTime justBefore = change.getDateTimeBefore().minusNanos(1).atZone(change.getOffsetBefore());
                Optional<ZonedDateTime> inGap = times.nextExecution(justBefore);
                if (inGap.isPresent() && inGap.get().toLocalDateTime().isBefore(change.getDateTimeAfter())) {
                    return change.getInstant();
                }
            }
        }
        return next.toInstant();
    }
}
