package dev.sentinel.agency.projects;

import dev.sentinel.core.InvalidInputException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The corrected details of a time entry for {@link TimeEntries#correct}, which replaces every one of
 * them: start from {@link TimeEntry#change()} (the entry as it is) and change what differs. The project
 * and the person cannot change: delete the entry and book again. Validated when made; the database
 * checks the same rules. Immutable and thread-safe; each {@code with...} method returns a validated copy.
 *
 * <pre>{@code
 * TimeEntry fixed = time.correct(entry.id(), entry.change().withDurationMinutes(50).withBillable(false));
 * }</pre>
 *
 * @param workDate the day, required
 * @param durationMinutes 1 to 1440
 * @param description up to 4000 characters, or {@code null}
 * @param billable whether the time is billed
 * @param serviceId the service (on the price list, active) the time is booked as, or {@code null}
 * @param hourlyRate the rate, at least 0, or {@code null} for none
 * @param currency ISO 4217, exactly when {@code hourlyRate} is set
 */
public record TimeEntryChange(LocalDate workDate, int durationMinutes, String description, boolean billable, UUID serviceId,
        BigDecimal hourlyRate, String currency) {

    /**
     * Validates the details.
     *
     * @throws InvalidInputException naming the value that does not fit
     */
    public TimeEntryChange {
        TimeEntryRules.validate("TimeEntryChange", workDate, durationMinutes, description, hourlyRate, currency);
    }

    /**
     * Sets the day.
     *
     * @param value the day
     * @return a validated copy
     */
    public TimeEntryChange withWorkDate(LocalDate value) {
        return new TimeEntryChange(value, durationMinutes, description, billable, serviceId, hourlyRate, currency);
    }

    /**
     * Sets the duration.
     *
     * @param value 1 to 1440 minutes
     * @return a validated copy
     */
    public TimeEntryChange withDurationMinutes(int value) {
        return new TimeEntryChange(workDate, value, description, billable, serviceId, hourlyRate, currency);
    }

    /**
     * Sets the description.
     *
     * @param value up to 4000 characters, or {@code null}
     * @return a validated copy
     */
    public TimeEntryChange withDescription(String value) {
        return new TimeEntryChange(workDate, durationMinutes, value, billable, serviceId, hourlyRate, currency);
    }

    /**
     * Sets whether the time is billed.
     *
     * @param value {@code false} for internal time
     * @return a copy
     */
    public TimeEntryChange withBillable(boolean value) {
        return new TimeEntryChange(workDate, durationMinutes, description, value, serviceId, hourlyRate, currency);
    }

    /**
     * Sets the service the time is booked as.
     *
     * @param value a live, active service, or {@code null}
     * @return a copy
     */
    public TimeEntryChange withServiceId(UUID value) {
        return new TimeEntryChange(workDate, durationMinutes, description, billable, value, hourlyRate, currency);
    }

    /**
     * Sets the rate, or clears it (both {@code null}).
     *
     * @param rate the hourly rate, at least 0
     * @param currencyCode its ISO 4217 currency
     * @return a validated copy
     */
    public TimeEntryChange withRate(BigDecimal rate, String currencyCode) {
        return new TimeEntryChange(workDate, durationMinutes, description, billable, serviceId, rate, currencyCode);
    }
}
