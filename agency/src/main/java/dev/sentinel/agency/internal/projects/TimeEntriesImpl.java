package dev.sentinel.agency.internal.projects;

import static dev.sentinel.agency.db.Tables.PROJECTS;
import static dev.sentinel.agency.db.Tables.SERVICES;
import static dev.sentinel.agency.db.Tables.TIME_ENTRIES;

import dev.sentinel.agency.db.enums.ServiceUnit;
import dev.sentinel.agency.db.tables.records.ProjectAssignmentsRecord;
import dev.sentinel.agency.db.tables.records.ProjectsRecord;
import dev.sentinel.agency.db.tables.records.ServicesRecord;
import dev.sentinel.agency.db.tables.records.TimeEntriesRecord;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.agency.projects.DateRange;
import dev.sentinel.agency.projects.Projects;
import dev.sentinel.agency.projects.TimeEntries;
import dev.sentinel.agency.projects.TimeTotal;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.Tx;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Field;

/** {@link TimeEntries} on one transaction of a tenant. */
final class TimeEntriesImpl implements TimeEntries {

    private static final int MAX_DESCRIPTION = 4000;
    private static final int MAX_MINUTES = 1440;

    private final Tx tx;
    private final ProjectsImpl projects;

    TimeEntriesImpl(Tx tx, ProjectsImpl projects) {
        this.tx = tx;
        this.projects = projects;
    }

    @Override
    public TimeEntriesRecord log(TimeEntriesRecord entry) {
        String op = "log time";
        Checks.required(entry, op, "entry");
        UUID projectId = Checks.required(entry.getProjectId(), op, "project_id");
        UUID userId = entry.getUserId() != null ? entry.getUserId() : tx.actor().userId().orElseThrow(() ->
                new InvalidInputException(op + ": user_id is required when a service books time; set the person who worked"));
        ProjectsRecord project = projects.get(projectId);
        authorize(userId, projectId);
        ProjectsImpl.requireOpen(project, op);
        validate(entry, op);
        ProjectAssignmentsRecord assignment = new AssignmentsImpl(tx, projects).find(projectId, userId);
        if (assignment == null) {
            throw new InvalidInputException(op + ": user " + userId + " is not assigned to project " + projectId
                    + "; assign them first (tx.attach(Projects.class).assignments().assign)");
        }
        ServicesRecord service = entry.getServiceId() == null ? null : service(entry.getServiceId(), op);
        entry.setUserId(userId);
        if (entry.getHourlyRate() == null && entry.getCurrency() == null) {
            if (assignment.getHourlyRate() != null && project.getCurrency() != null) {
                entry.setHourlyRate(assignment.getHourlyRate()).setCurrency(project.getCurrency());
            } else if (service != null && service.getUnit() == ServiceUnit.HOUR) {
                entry.setHourlyRate(service.getUnitPrice()).setCurrency(service.getCurrency());
            }
        }
        return tx.table(TIME_ENTRIES).insert(entry);
    }

    @Override
    public TimeEntriesRecord correct(TimeEntriesRecord entry) {
        String op = "correct time";
        Checks.required(entry, op, "entry");
        UUID id = Checks.required(entry.getId(), op, "id (read the entry with get first)");
        if (ProjectsImpl.changed(entry, TIME_ENTRIES.PROJECT_ID) || ProjectsImpl.changed(entry, TIME_ENTRIES.USER_ID)) {
            throw new InvalidInputException(op + " " + id + ": the project and the person of an entry cannot change;"
                    + " delete it and book the time again");
        }
        TimeEntriesRecord current = get(id);
        authorize(current.getUserId(), current.getProjectId());
        ProjectsImpl.requireOpen(projects.get(current.getProjectId()), op);
        validate(entry, op);
        if (ProjectsImpl.changed(entry, TIME_ENTRIES.SERVICE_ID) && entry.getServiceId() != null) {
            service(entry.getServiceId(), op);
        }
        return tx.table(TIME_ENTRIES).update(entry);
    }

    @Override
    public void delete(UUID entryId) {
        TimeEntriesRecord current = get(entryId);
        authorize(current.getUserId(), current.getProjectId());
        ProjectsImpl.requireOpen(projects.get(current.getProjectId()), "delete time");
        tx.dsl().deleteFrom(TIME_ENTRIES)
                .where(TIME_ENTRIES.TENANT_ID.eq(projects.tenant()).and(TIME_ENTRIES.ID.eq(entryId)))
                .execute();
    }

    @Override
    public TimeEntriesRecord get(UUID entryId) {
        return tx.table(TIME_ENTRIES).get(Checks.required(entryId, "get time entry", "entryId"));
    }

    @Override
    public List<TimeEntriesRecord> ofProject(UUID projectId, DateRange period) {
        Checks.required(projectId, "time ofProject", "projectId");
        Checks.required(period, "time ofProject", "period");
        return tx.dsl().selectFrom(TIME_ENTRIES)
                .where(TIME_ENTRIES.TENANT_ID.eq(projects.tenant()).and(TIME_ENTRIES.PROJECT_ID.eq(projectId))
                        .and(TIME_ENTRIES.WORK_DATE.between(period.from(), period.to())))
                .orderBy(TIME_ENTRIES.WORK_DATE, TIME_ENTRIES.ID)
                .fetch();
    }

    @Override
    public List<TimeTotal> totalsByProject(DateRange period) {
        return totals(TIME_ENTRIES.PROJECT_ID, period);
    }

    @Override
    public List<TimeTotal> totalsByUser(DateRange period) {
        return totals(TIME_ENTRIES.USER_ID, period);
    }

    /** Time of live projects only: a soft-deleted project's time is hidden with it. */
    private List<TimeTotal> totals(Field<UUID> key, DateRange period) {
        Checks.required(period, "time totals", "period");
        var t = TIME_ENTRIES;
        return TimeTotals.fold(tx.dsl().select(TimeTotals.columns(key))
                .from(t)
                .join(PROJECTS).on(PROJECTS.TENANT_ID.eq(t.TENANT_ID).and(PROJECTS.ID.eq(t.PROJECT_ID)))
                .where(t.TENANT_ID.eq(projects.tenant()).and(t.WORK_DATE.between(period.from(), period.to()))
                        .and(PROJECTS.DELETED_AT.isNull()))
                .groupBy(key, t.CURRENCY)
                .fetch());
    }

    /** One's own time needs time_entry:write, anyone else's time_entry:manage. */
    private void authorize(UUID userId, UUID projectId) {
        boolean own = tx.actor().userId().map(userId::equals).orElse(false);
        Checks.authorize(tx, own ? "time_entry:write" : "time_entry:manage", projectId);
    }

    private ServicesRecord service(UUID serviceId, String op) {
        Optional<ServicesRecord> service = tx.table(SERVICES).find(serviceId);
        if (service.isEmpty()) {
            throw new InvalidInputException(op + ": no live service " + serviceId + " on the price list");
        }
        if (!service.get().getActive()) {
            throw new InvalidInputException(op + ": service " + service.get().getCode() + " is inactive; book the time"
                    + " as an active service, or activate it again");
        }
        return service.get();
    }

    private static void validate(TimeEntriesRecord entry, String op) {
        Checks.required(entry.getWorkDate(), op, "work_date");
        Integer minutes = Checks.required(entry.getDurationMinutes(), op, "duration_minutes");
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw new InvalidInputException(op + ": duration_minutes " + minutes + " is outside 1.." + MAX_MINUTES
                    + " (one day); book longer work as one entry per day");
        }
        if (entry.getDescription() != null && entry.getDescription().length() > MAX_DESCRIPTION) {
            throw new InvalidInputException(op + ": description is longer than " + MAX_DESCRIPTION + " characters");
        }
        BigDecimal rate = entry.getHourlyRate();
        if ((rate == null) != (entry.getCurrency() == null)) {
            throw new InvalidInputException(op + ": hourly_rate and currency go together; set both or neither");
        }
        Checks.optionalNonNegative(rate, op, "hourly_rate");
        Checks.optionalCurrency(entry.getCurrency(), op, "currency");
    }
}
