package dev.sentinel.agency.projects;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

/**
 * Booked time of one project or one person over a period. Immutable.
 *
 * @param id the project's or the person's id, as the query grouped by
 * @param totalMinutes every minute booked
 * @param billableMinutes the minutes marked billable
 * @param billableAmounts per ISO 4217 currency, the billable minutes that have a rate times that
 *     rate per hour, rounded to cents once per currency; billable time without a rate adds nothing
 */
public record TimeTotal(UUID id, long totalMinutes, long billableMinutes, Map<String, BigDecimal> billableAmounts) {

    /** Copies the amounts. */
    public TimeTotal {
        billableAmounts = Map.copyOf(billableAmounts);
    }
}
