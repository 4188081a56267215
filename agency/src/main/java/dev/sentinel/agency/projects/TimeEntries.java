package dev.sentinel.agency.projects;

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
     * Books time. The rate, unless the entry sets its own ({@link NewTimeEntry#withRate}), is the
     * person's rate on the project (in the project's currency), else the hourly price of the entry's
     * service, else none.
     *
     * @param entry the time
     * @return the stored entry, with its rate
     * @throws InvalidInputException if no person is named when a service books, the person is not
     *     assigned to the project, or the service is unknown or inactive
     * @throws InvalidStateTransitionException if the project is completed or cancelled
     * @throws NotFoundException if no such live project is visible
     * @throws PermissionDeniedException without the permission
     */
    TimeEntry log(NewTimeEntry entry);

    /**
     * Replaces the details of an entry: day, minutes, description, billable, service, rate. The
     * project and the person cannot change: delete the entry and book again.
     *
     * @param entryId the entry
     * @param change the corrected details: start from {@link TimeEntry#change()}
     * @return the stored entry
     * @throws InvalidInputException if the new service is unknown or inactive
     * @throws InvalidStateTransitionException if the project is completed or cancelled
     * @throws NotFoundException if no such entry is visible
     * @throws PermissionDeniedException without the permission
     */
    TimeEntry correct(UUID entryId, TimeEntryChange change);

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
    TimeEntry get(UUID entryId);

    /**
     * The entries of one project in a period, by day, then in the order they were booked.
     *
     * @param projectId the project
     * @param period the days
     * @return the entries
     */
    List<TimeEntry> ofProject(UUID projectId, DateRange period);

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
