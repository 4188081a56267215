package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.tables.records.TimeEntriesRecord;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.PermissionDeniedException;
import java.util.List;
import java.util.UUID;

/**
 * Time booked on projects, from {@code tx.attach(Projects.class).time()}. Booking needs {@code time_entry:write}
 * for one's own time and {@code time_entry:manage} for anyone else's (a grant narrowed to the
 * project counts); a service actor books for anyone. The person must be assigned to the project,
 * which must be live and not completed or cancelled. Each entry keeps the rate it was booked at, so
 * a later change of a rate never rewrites booked time. Valid only inside its transaction. Not
 * thread-safe.
 */
public interface TimeEntries {

    /**
     * Books time. The rate, unless the entry sets {@code hourly_rate} and {@code currency} itself,
     * is the person's rate on the project (in the project's currency), else the hourly price of
     * the entry's service, else none.
     *
     * @param entry {@code project_id}, {@code work_date} and {@code duration_minutes} (1 to 1440)
     *     required; {@code user_id} defaults to the acting user; {@code billable} defaults to true;
     *     optional {@code service_id}, {@code description}
     * @return the stored entry, with its rate
     * @throws InvalidInputException naming the field that does not fit, or if the person is not
     *     assigned to the project or the service is unknown or inactive
     * @throws InvalidStateTransitionException if the project is completed or cancelled
     * @throws NotFoundException if no such live project is visible
     * @throws PermissionDeniedException without the permission
     */
    TimeEntriesRecord log(TimeEntriesRecord entry);

    /**
     * Saves changed fields of an entry read from {@link #get}: day, minutes, description, billable,
     * service, rate. The project and the person cannot change: delete the entry and book again.
     *
     * @param entry the entry, read and then changed
     * @return the stored entry
     * @throws InvalidInputException if a field does not fit or the project or person was changed
     * @throws InvalidStateTransitionException if the project is completed or cancelled
     * @throws NotFoundException if no such entry is visible
     */
    TimeEntriesRecord correct(TimeEntriesRecord entry);

    /**
     * Deletes an entry (the audit trail keeps what it was).
     *
     * @param entryId the entry
     * @throws InvalidStateTransitionException if the project is completed or cancelled
     * @throws NotFoundException if no such entry is visible
     */
    void delete(UUID entryId);

    /**
     * The entry with this id.
     *
     * @param entryId the entry
     * @return the entry
     * @throws NotFoundException if no such entry is visible
     */
    TimeEntriesRecord get(UUID entryId);

    /**
     * The entries of one project in a period, by day, then in the order they were booked.
     *
     * @param projectId the project
     * @param period the days
     * @return the entries
     */
    List<TimeEntriesRecord> ofProject(UUID projectId, DateRange period);

    /**
     * Time booked per project in a period, on live projects, in project id order.
     *
     * @param period the days
     * @return one total per project with time in the period
     */
    List<TimeTotal> totalsByProject(DateRange period);

    /**
     * Time booked per person in a period, on live projects, in user id order.
     *
     * @param period the days
     * @return one total per person with time in the period
     */
    List<TimeTotal> totalsByUser(DateRange period);
}
