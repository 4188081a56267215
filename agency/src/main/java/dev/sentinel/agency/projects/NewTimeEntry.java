package dev.sentinel.agency.projects;

import dev.sentinel.agency.internal.Checks;
import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Time to book with {@link TimeEntries#log}. Validated when made; the database checks the same rules.
 * Immutable and thread-safe; each {@code with...} method returns a validated copy.
 *
 * <pre>{@code
 * TimeEntry booked = tx.attach(Projects.class).time().log(
 *         NewTimeEntry.of(projectId, LocalDate.of(2026, 3, 2), 90).withDescription("Kick-off workshop"));
 * }</pre>
 *
 * @param projectId the project, required
 * @param userId the person who worked, or {@code null} for the acting user (a service must name them)
 * @param workDate the day, required
 * @param durationMinutes 1 to 1440
 * @param description up to 4000 characters, or {@code null}
 * @param billable whether the time is billed
 * @param serviceId the service (on the price list, active) the time is booked as, or {@code null}
 * @param hourlyRate the rate, at least 0, or {@code null} for the person's rate on the project, else
 *     the hourly price of the service, else none
 * @param currency ISO 4217, exactly when {@code hourlyRate} is set
 */
public record NewTimeEntry(UUID projectId, UUID userId, LocalDate workDate, int durationMinutes, String description,
        boolean billable, UUID serviceId, BigDecimal hourlyRate, String currency) {

    /**
     * Validates the entry.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public NewTimeEntry {
        Checks.required(projectId, "NewTimeEntry", "project_id");
        TimeEntryRules.validate("NewTimeEntry", workDate, durationMinutes, description, hourlyRate, currency);
    }

    /**
     * Billable time of the acting user, without description, service or rate of its own.
     *
     * @param projectId the project
     * @param workDate the day
     * @param durationMinutes 1 to 1440
     * @return the entry
     */
    public static NewTimeEntry of(UUID projectId, LocalDate workDate, int durationMinutes) {
        return new NewTimeEntry(projectId, null, workDate, durationMinutes, null, true, null, null, null);
    }

    /**
     * Sets the person who worked.
     *
     * @param value the user, or {@code null} for the acting user
     * @return a copy
     */
    public NewTimeEntry withUserId(UUID value) {
        return new NewTimeEntry(projectId, value, workDate, durationMinutes, description, billable, serviceId, hourlyRate,
                currency);
    }

    /**
     * Sets the description.
     *
     * @param value up to 4000 characters, or {@code null}
     * @return a validated copy
     */
    public NewTimeEntry withDescription(String value) {
        return new NewTimeEntry(projectId, userId, workDate, durationMinutes, value, billable, serviceId, hourlyRate,
                currency);
    }

    /**
     * Sets whether the time is billed.
     *
     * @param value {@code false} for internal time
     * @return a copy
     */
    public NewTimeEntry withBillable(boolean value) {
        return new NewTimeEntry(projectId, userId, workDate, durationMinutes, description, value, serviceId, hourlyRate,
                currency);
    }

    /**
     * Sets the service the time is booked as.
     *
     * @param value a live, active service, or {@code null}
     * @return a copy
     */
    public NewTimeEntry withServiceId(UUID value) {
        return new NewTimeEntry(projectId, userId, workDate, durationMinutes, description, billable, value, hourlyRate,
                currency);
    }

    /**
     * Sets the entry's own rate, or clears it (both {@code null}).
     *
     * @param rate the hourly rate, at least 0
     * @param currencyCode its ISO 4217 currency
     * @return a validated copy
     */
    public NewTimeEntry withRate(BigDecimal rate, String currencyCode) {
        return new NewTimeEntry(projectId, userId, workDate, durationMinutes, description, billable, serviceId, rate,
                currencyCode);
    }
}
