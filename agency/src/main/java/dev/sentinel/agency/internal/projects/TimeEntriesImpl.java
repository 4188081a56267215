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
import dev.sentinel.agency.projects.NewTimeEntry;
import dev.sentinel.agency.projects.Projects;
import dev.sentinel.agency.projects.TimeEntries;
import dev.sentinel.agency.projects.TimeEntry;
import dev.sentinel.agency.projects.TimeEntryChange;
import dev.sentinel.agency.projects.TimeTotal;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.Tx;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Field;

/** {@link TimeEntries} on one transaction of a tenant. */
final class TimeEntriesImpl implements TimeEntries {

    private final Tx tx;
    private final ProjectsImpl projects;

    TimeEntriesImpl(Tx tx, ProjectsImpl projects) {
        this.tx = tx;
        this.projects = projects;
    }

    @Override
    public TimeEntry log(NewTimeEntry entry) {
        String op = "log time";
        Checks.required(entry, op, "entry");
        UUID projectId = entry.projectId();
        UUID userId = entry.userId() != null ? entry.userId() : tx.actor().userId().orElseThrow(() ->
                new InvalidInputException(op + ": user_id is required when a service books time; set the person who worked"));
        ProjectsRecord project = projects.row(projectId);
        authorize(userId, projectId);
        ProjectsImpl.requireOpen(project, op);
        ProjectAssignmentsRecord assignment = new AssignmentsImpl(tx, projects).find(projectId, userId);
        if (assignment == null) {
            throw new InvalidInputException(op + ": user " + userId + " is not assigned to project " + projectId
                    + "; assign them first (tx.attach(Projects.class).assignments().assign)");
        }
        ServicesRecord service = entry.serviceId() == null ? null : service(entry.serviceId(), op);
        TimeEntriesRecord row = new TimeEntriesRecord().setProjectId(projectId).setUserId(userId).setServiceId(entry.serviceId())
                .setWorkDate(entry.workDate()).setDurationMinutes(entry.durationMinutes()).setDescription(entry.description())
                .setBillable(entry.billable()).setHourlyRate(entry.hourlyRate()).setCurrency(entry.currency());
        if (entry.hourlyRate() == null) {
            if (assignment.getHourlyRate() != null && project.getCurrency() != null) {
                row.setHourlyRate(assignment.getHourlyRate()).setCurrency(project.getCurrency());
            } else if (service != null && service.getUnit() == ServiceUnit.HOUR) {
                row.setHourlyRate(service.getUnitPrice()).setCurrency(service.getCurrency());
            }
        }
        return entry(tx.table(TIME_ENTRIES).insert(row));
    }

    @Override
    public TimeEntry correct(UUID entryId, TimeEntryChange change) {
        String op = "correct time";
        Checks.required(entryId, op, "entryId");
        Checks.required(change, op, "change (start from TimeEntry.change())");
        TimeEntriesRecord current = row(entryId);
        authorize(current.getUserId(), current.getProjectId());
        ProjectsImpl.requireOpen(projects.row(current.getProjectId()), op);
        if (change.serviceId() != null && !change.serviceId().equals(current.getServiceId())) {
            service(change.serviceId(), op);
        }
        current.setWorkDate(change.workDate()).setDurationMinutes(change.durationMinutes()).setDescription(change.description())
                .setBillable(change.billable()).setServiceId(change.serviceId()).setHourlyRate(change.hourlyRate())
                .setCurrency(change.currency());
        return entry(tx.table(TIME_ENTRIES).update(current));
    }

    @Override
    public void delete(UUID entryId) {
        TimeEntriesRecord current = row(entryId);
        authorize(current.getUserId(), current.getProjectId());
        ProjectsImpl.requireOpen(projects.row(current.getProjectId()), "delete time");
        tx.dsl().deleteFrom(TIME_ENTRIES)
                .where(TIME_ENTRIES.TENANT_ID.eq(projects.tenant()).and(TIME_ENTRIES.ID.eq(entryId)))
                .execute();
    }

    @Override
    public TimeEntry get(UUID entryId) {
        return entry(row(entryId));
    }

    private TimeEntriesRecord row(UUID entryId) {
        return tx.table(TIME_ENTRIES).get(Checks.required(entryId, "get time entry", "entryId"));
    }

    @Override
    public List<TimeEntry> ofProject(UUID projectId, DateRange period) {
        Checks.required(projectId, "time ofProject", "projectId");
        Checks.required(period, "time ofProject", "period");
        return tx.dsl().selectFrom(TIME_ENTRIES)
                .where(TIME_ENTRIES.TENANT_ID.eq(projects.tenant()).and(TIME_ENTRIES.PROJECT_ID.eq(projectId))
                        .and(TIME_ENTRIES.WORK_DATE.between(period.from(), period.to())))
                .orderBy(TIME_ENTRIES.WORK_DATE, TIME_ENTRIES.ID)
                .fetch(TimeEntriesImpl::entry);
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

    private static TimeEntry entry(TimeEntriesRecord r) {
        return new TimeEntry(r.getId(), r.getProjectId(), r.getUserId(), r.getServiceId(), r.getWorkDate(), r.getDurationMinutes(),
                r.getDescription(), r.getBillable(), r.getHourlyRate(), r.getCurrency(), Checks.instant(r.getCreatedAt()),
                Checks.instant(r.getUpdatedAt()));
    }
}
