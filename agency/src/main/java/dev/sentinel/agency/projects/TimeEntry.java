package dev.sentinel.agency.projects;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Time booked on a project, as stored, with the rate it was booked at. Immutable and thread-safe.
 *
 * @param id the id
 * @param projectId the project
 * @param userId the person who worked
 * @param serviceId the service it is booked as, or {@code null}
 * @param workDate the day
 * @param durationMinutes 1 to 1440
 * @param description free text, or {@code null}
 * @param billable whether the time is billed
 * @param hourlyRate the rate it was booked at, or {@code null} for none
 * @param currency the rate's ISO 4217 currency, or {@code null}
 * @param createdAt when it was booked
 * @param updatedAt when it last changed
 */
public record TimeEntry(UUID id, UUID projectId, UUID userId, UUID serviceId, LocalDate workDate, int durationMinutes,
        String description, boolean billable, BigDecimal hourlyRate, String currency, Instant createdAt, Instant updatedAt) {

    /**
     * The entry's details as they are, to correct and pass to {@link TimeEntries#correct}.
     *
     * @return the details, validated
     */
    public TimeEntryChange change() {
        return new TimeEntryChange(workDate, durationMinutes, description, billable, serviceId, hourlyRate, currency);
    }
}
