package dev.sentinel.agency.projects;

import dev.sentinel.core.InvalidInputException;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * A period of whole days, both ends included, as work dates are booked (in the tenant's time zone).
 * Immutable.
 *
 * @param from the first day
 * @param to the last day, not before {@code from}
 */
public record DateRange(LocalDate from, LocalDate to) {

    /**
     * Validates the range.
     *
     * @throws InvalidInputException if an end is missing or {@code to} is before {@code from}
     */
    public DateRange {
        if (from == null || to == null) {
            throw new InvalidInputException("DateRange: both days are required, got " + from + " to " + to);
        }
        if (to.isBefore(from)) {
            throw new InvalidInputException("DateRange: " + to + " is before " + from + "; give the first day, then the last");
        }
    }

    /**
     * The days from one to another, both included.
     *
     * @param from the first day
     * @param to the last day
     * @return the range
     */
    public static DateRange of(LocalDate from, LocalDate to) {
        return new DateRange(from, to);
    }

    /**
     * One calendar month.
     *
     * @param month the month
     * @return its first to its last day
     */
    public static DateRange month(YearMonth month) {
        if (month == null) {
            throw new InvalidInputException("DateRange.month: month is null");
        }
        return new DateRange(month.atDay(1), month.atEndOfMonth());
    }
}
