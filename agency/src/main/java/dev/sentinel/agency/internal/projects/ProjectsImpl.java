package dev.sentinel.agency.internal.projects;

import static dev.sentinel.agency.db.Tables.PROJECTS;
import static dev.sentinel.agency.db.Tables.PROJECT_ASSIGNMENTS;
import static dev.sentinel.agency.db.Tables.TIME_ENTRIES;
import static dev.sentinel.core.db.Tables.USERS;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.select;

import dev.sentinel.agency.db.enums.ProjectStatus;
import dev.sentinel.agency.db.tables.records.ProjectsRecord;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.agency.projects.AssignedMember;
import dev.sentinel.agency.projects.DateRange;
import dev.sentinel.agency.projects.Environments;
import dev.sentinel.agency.projects.PriceList;
import dev.sentinel.agency.projects.Project;
import dev.sentinel.agency.projects.ProjectAssignments;
import dev.sentinel.agency.projects.ProjectStatuses;
import dev.sentinel.agency.projects.Projects;
import dev.sentinel.agency.projects.TimeEntries;
import dev.sentinel.agency.projects.TimeTotal;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.Repository;
import dev.sentinel.core.Tx;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** {@link Projects} on one transaction of a tenant. */
public final class ProjectsImpl implements Projects {

    private static final int MAX_NAME = 200;
    private static final int MAX_DESCRIPTION = 10_000;
    private static final Set<ProjectStatus> INITIAL = EnumSet.of(ProjectStatus.PLANNED, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD);

    private final Tx tx;
    private final UUID tenant;

    /**
     * Binds the projects to a transaction.
     *
     * @param tx the transaction, in a tenant scope
     */
    public ProjectsImpl(Tx tx) {
        this.tx = tx;
        this.tenant = Checks.tenant(tx, "tx.attach(Projects.class)");
    }

    private Repository<ProjectsRecord> repository() {
        return tx.table(PROJECTS);
    }

    @Override
    public ProjectsRecord create(ProjectsRecord project) {
        Checks.required(project, "create project", "project");
        Checks.authorize(tx, "project:create", null);
        if (project.getStatus() != null && !INITIAL.contains(project.getStatus())) {
            throw new InvalidInputException("create project: a new project is planned, active or on_hold, not "
                    + project.getStatus().literal());
        }
        validate(project, "create project");
        return repository().insert(project);
    }

    @Override
    public ProjectsRecord update(ProjectsRecord project) {
        Checks.required(project, "update project", "project");
        UUID id = Checks.required(project.getId(), "update project", "id (read the project with get first)");
        if (changed(project, PROJECTS.STATUS)) {
            throw new InvalidInputException("update project " + id + ": the status changes only through changeStatus,"
                    + " which checks the transition");
        }
        Checks.authorize(tx, "project:update", id);
        validate(project, "update project");
        return repository().update(project);
    }

    @Override
    public ProjectsRecord changeStatus(UUID projectId, ProjectStatus status) {
        Checks.required(status, "changeStatus", "status");
        ProjectsRecord project = get(projectId);
        Checks.authorize(tx, "project:update", projectId);
        ProjectStatus current = project.getStatus();
        if (!ProjectStatuses.next(current).contains(status)) {
            throw new InvalidStateTransitionException("changeStatus: project " + projectId + " is " + current.literal()
                    + " and cannot become " + status.literal() + (ProjectStatuses.next(current).isEmpty() ? "; a cancelled project is final"
                    : "; from " + current.literal() + " it can become " + names(ProjectStatuses.next(current))));
        }
        project.setStatus(status);
        return repository().update(project);
    }

    @Override
    public ProjectsRecord softDelete(UUID projectId, String reason) {
        Checks.required(projectId, "softDelete project", "projectId");
        Checks.authorize(tx, "project:delete", projectId);
        return repository().softDelete(projectId, reason);
    }

    @Override
    public ProjectsRecord restore(UUID projectId) {
        Checks.required(projectId, "restore project", "projectId");
        Checks.authorize(tx, "project:delete", projectId);
        return repository().restore(projectId);
    }

    @Override
    public Optional<ProjectsRecord> find(UUID projectId) {
        return repository().find(Checks.required(projectId, "find project", "projectId"));
    }

    @Override
    public ProjectsRecord get(UUID projectId) {
        return repository().get(Checks.required(projectId, "get project", "projectId"));
    }

    @Override
    public Page<ProjectsRecord> list(ProjectStatus status, PageRequest page) {
        return repository().list(status == null ? DSL.noCondition() : PROJECTS.STATUS.eq(status), page);
    }

    @Override
    public Project details(UUID projectId) {
        return details(projectId, null);
    }

    /**
     * One statement: the project row, its assignments joined with the members' user rows, and its
     * time grouped by person and currency, the last two as MULTISETs (nested JSON that jOOQ maps
     * back), so the cost is one round trip whatever the number of members and entries.
     */
    @Override
    public Project details(UUID projectId, DateRange period) {
        Checks.required(projectId, "details", "projectId");
        var a = PROJECT_ASSIGNMENTS;
        var t = TIME_ENTRIES;
        Field<List<AssignedMember>> members = multiset(
                select(a.USER_ID, USERS.EMAIL, USERS.DISPLAY_NAME, a.ROLE, a.HOURLY_RATE, a.ASSIGNED_AT)
                        .from(a)
                        .leftJoin(USERS).on(USERS.ID.eq(a.USER_ID))
                        .where(a.TENANT_ID.eq(PROJECTS.TENANT_ID).and(a.PROJECT_ID.eq(PROJECTS.ID)))
                        .orderBy(a.ASSIGNED_AT, a.USER_ID))
                .as("members")
                .convertFrom(rows -> rows.map(r -> new AssignedMember(r.value1(), r.value2(), r.value3(),
                        r.value4(), r.value5(), r.value6())));
        Condition inPeriod = period == null ? DSL.noCondition() : t.WORK_DATE.between(period.from(), period.to());
        Field<List<Record>> time = multiset(
                select(TimeTotals.columns(t.USER_ID))
                        .from(t)
                        .where(t.TENANT_ID.eq(PROJECTS.TENANT_ID).and(t.PROJECT_ID.eq(PROJECTS.ID)).and(inPeriod))
                        .groupBy(t.USER_ID, t.CURRENCY))
                .as("time")
                .convertFrom(rows -> List.copyOf(rows));
        Record row = tx.dsl().select(PROJECTS.fields()).select(members, time)
                .from(PROJECTS)
                .where(PROJECTS.TENANT_ID.eq(tenant).and(PROJECTS.ID.eq(projectId)).and(PROJECTS.DELETED_AT.isNull()))
                .fetchOne();
        if (row == null) {
            throw new NotFoundException("details: no live project " + projectId + " in tenant " + tenant);
        }
        List<TimeTotal> byUser = TimeTotals.fold(row.get(time));
        return new Project(row.into(PROJECTS), row.get(members), byUser, TimeTotals.sum(projectId, byUser));
    }

    @Override
    public ProjectAssignments assignments() {
        return new AssignmentsImpl(tx, this);
    }

    @Override
    public TimeEntries time() {
        return new TimeEntriesImpl(tx, this);
    }

    @Override
    public PriceList priceList() {
        return new PriceListImpl(tx);
    }

    @Override
    public Environments environments() {
        return new EnvironmentsImpl(tx);
    }

    UUID tenant() {
        return tenant;
    }


    /**
     * Requires a project that can take time and assignments: not completed or cancelled.
     *
     * @param project the project
     * @param operation the operation, for the message
     */
    static void requireOpen(ProjectsRecord project, String operation) {
        ProjectStatus status = project.getStatus();
        if (!ProjectStatuses.acceptsTime(status)) {
            throw new InvalidStateTransitionException(operation + ": project " + project.getId() + " is " + status.literal()
                    + (status == ProjectStatus.COMPLETED ? "; reopen it (changeStatus to active) first" : " for good"));
        }
    }

    private static void validate(ProjectsRecord project, String operation) {
        Checks.matches(project.getSlug(), Checks.SLUG, operation, "slug",
                "1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit");
        Checks.text(project.getName(), operation, "name", MAX_NAME);
        if (project.getDescription() != null && project.getDescription().length() > MAX_DESCRIPTION) {
            throw new InvalidInputException(operation + ": description is longer than " + MAX_DESCRIPTION + " characters");
        }
        Checks.period(project.getStartsOn(), project.getEndsOn(), operation);
        Checks.optionalNonNegative(project.getBudgetAmount(), operation, "budget_amount");
        Checks.optionalCurrency(project.getCurrency(), operation, "currency");
        if (project.getBudgetAmount() != null && project.getCurrency() == null) {
            throw new InvalidInputException(operation + ": a budget_amount needs its currency");
        }
    }

    private static String names(Set<ProjectStatus> states) {
        return String.join(", ", states.stream().map(ProjectStatus::literal).toList());
    }

    /**
     * Whether a field of a record was set to a value other than the one read.
     *
     * @param record the record
     * @param field the field
     * @return {@code true} if it differs from its original value
     */
    static boolean changed(Record record, Field<?> field) {
        return record.changed(field) && !Objects.equals(record.original(field), record.get(field));
    }
}
