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
import dev.sentinel.agency.projects.NewProject;
import dev.sentinel.agency.projects.PriceList;
import dev.sentinel.agency.projects.Project;
import dev.sentinel.agency.projects.ProjectAssignments;
import dev.sentinel.agency.projects.ProjectChange;
import dev.sentinel.agency.projects.ProjectStatuses;
import dev.sentinel.agency.projects.Projects;
import dev.sentinel.agency.projects.TimeEntries;
import dev.sentinel.agency.projects.TimeTotal;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.Repository;
import dev.sentinel.core.StaleRecordException;
import dev.sentinel.core.Tx;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** {@link Projects} on one transaction of a tenant. */
public final class ProjectsImpl implements Projects {

    private final Tx tx;
    private final UUID tenant;

    /**
     * Binds the projects to a transaction.
     *
     * @param tx the transaction, in a tenant scope
     */
    public ProjectsImpl(Tx tx) {
        this.tx = tx;
        this.tenant = tx.requireTenantId("tx.attach(Projects.class)");
    }

    private Repository<ProjectsRecord> repository() {
        return tx.table(PROJECTS);
    }

    @Override
    public Project create(NewProject project) {
        Checks.required(project, "create project", "project");
        Checks.authorize(tx, "project:create", null);
        ProjectsRecord row = new ProjectsRecord().setStatus(project.status());
        fill(row, project.slug(), project.name(), project.description(), project.startsOn(), project.endsOn(),
                project.budgetAmount(), project.currency());
        // A new project has no members and no time yet: nothing to read back.
        return project(repository().insert(row), List.of(), List.of());
    }

    @Override
    public Project update(UUID projectId, int expectedVersion, ProjectChange change) {
        Checks.required(projectId, "update project", "projectId");
        Checks.required(change, "update project", "change (start from Project.change())");
        Checks.authorize(tx, "project:update", projectId);
        ProjectsRecord row = row(projectId);
        if (row.getVersion() != expectedVersion) {
            throw new StaleRecordException("update project: project " + projectId + " is at version " + row.getVersion()
                    + ", not " + expectedVersion + "; read it again and reapply the change");
        }
        fill(row, change.slug(), change.name(), change.description(), change.startsOn(), change.endsOn(), change.budgetAmount(),
                change.currency());
        return reread(repository().update(row));
    }

    @Override
    public Project changeStatus(UUID projectId, ProjectStatus status) {
        Checks.required(status, "changeStatus", "status");
        ProjectsRecord project = row(projectId);
        Checks.authorize(tx, "project:update", projectId);
        ProjectStatus current = project.getStatus();
        Set<ProjectStatus> next = ProjectStatuses.next(current);
        if (!next.contains(status)) {
            throw new InvalidStateTransitionException("changeStatus: project " + projectId + " is " + current.literal()
                    + " and cannot become " + status.literal() + (next.isEmpty() ? "; a cancelled project is final"
                    : "; from " + current.literal() + " it can become " + names(next)));
        }
        project.setStatus(status);
        return reread(repository().update(project));
    }

    @Override
    public Project softDelete(UUID projectId, String reason) {
        Checks.required(projectId, "softDelete project", "projectId");
        Checks.authorize(tx, "project:delete", projectId);
        return reread(repository().softDelete(projectId, reason));
    }

    @Override
    public Project restore(UUID projectId) {
        Checks.required(projectId, "restore project", "projectId");
        Checks.authorize(tx, "project:delete", projectId);
        return reread(repository().restore(projectId));
    }

    @Override
    public Optional<Project> find(UUID projectId) {
        Checks.required(projectId, "find project", "projectId");
        return read(PROJECTS.ID.eq(projectId).and(PROJECTS.DELETED_AT.isNull()), null).stream().findFirst();
    }

    @Override
    public Project get(UUID projectId) {
        return get(projectId, null);
    }

    @Override
    public Page<Project> list(ProjectStatus status, PageRequest page) {
        Page<ProjectsRecord> rows = repository().list(status == null ? DSL.noCondition() : PROJECTS.STATUS.eq(status), page);
        List<UUID> ids = rows.items().stream().map(ProjectsRecord::getId).toList();
        return new Page<>(ids.isEmpty() ? List.of() : read(PROJECTS.ID.in(ids), null), rows.next());
    }

    @Override
    public Project get(UUID projectId, DateRange period) {
        Checks.required(projectId, "get project", "projectId");
        return read(PROJECTS.ID.eq(projectId).and(PROJECTS.DELETED_AT.isNull()), period).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("get project: no live project " + projectId + " in tenant " + tenant));
    }

    /**
     * One statement: the tenant's project rows that meet a condition, each with its assignments joined
     * with the members' user rows and its time grouped by person and currency, the last two as
     * MULTISETs (nested JSON that jOOQ maps back), so the cost is one round trip whatever the number of
     * projects, members and entries. In id order. Each MULTISET names the tenant itself, so that Citus
     * runs the statement on the tenant's shard alone.
     */
    private List<Project> read(Condition condition, DateRange period) {
        var a = PROJECT_ASSIGNMENTS;
        var t = TIME_ENTRIES;
        Field<List<AssignedMember>> members = multiset(
                select(a.USER_ID, USERS.EMAIL, USERS.DISPLAY_NAME, a.ROLE, a.HOURLY_RATE, a.ASSIGNED_AT)
                        .from(a)
                        .leftJoin(USERS).on(USERS.ID.eq(a.USER_ID))
                        .where(a.TENANT_ID.eq(tenant).and(a.PROJECT_ID.eq(PROJECTS.ID)))
                        .orderBy(a.ASSIGNED_AT, a.USER_ID))
                .as("members")
                .convertFrom(rows -> rows.map(r -> new AssignedMember(r.value1(), r.value2(), r.value3(),
                        r.value4(), r.value5(), Checks.instant(r.value6()))));
        Condition inPeriod = period == null ? DSL.noCondition() : t.WORK_DATE.between(period.from(), period.to());
        Field<List<Record>> time = multiset(
                select(TimeTotals.columns(t.USER_ID))
                        .from(t)
                        .where(t.TENANT_ID.eq(tenant).and(t.PROJECT_ID.eq(PROJECTS.ID)).and(inPeriod))
                        .groupBy(t.USER_ID, t.CURRENCY))
                .as("time")
                .convertFrom(rows -> List.copyOf(rows));
        return tx.dsl().select(PROJECTS.fields()).select(members, time)
                .from(PROJECTS)
                .where(PROJECTS.TENANT_ID.eq(tenant).and(condition))
                .orderBy(PROJECTS.ID)
                .fetch(row -> project(row.into(PROJECTS), row.get(members), TimeTotals.fold(row.get(time))));
    }

    private static Project project(ProjectsRecord r, List<AssignedMember> members, List<TimeTotal> byUser) {
        return new Project(r.getId(), r.getSlug(), r.getName(), r.getDescription(), r.getStatus(), r.getStartsOn(),
                r.getEndsOn(), r.getBudgetAmount(), r.getCurrency(), r.getVersion(), Checks.instant(r.getCreatedAt()),
                Checks.instant(r.getUpdatedAt()), Checks.instant(r.getDeletedAt()), members, byUser,
                TimeTotals.sum(r.getId(), byUser));
    }

    /** A project row just written, read again with its relations (deleted or not). */
    private Project reread(ProjectsRecord row) {
        return read(PROJECTS.ID.eq(row.getId()), null).getFirst();
    }

    /**
     * The live project row with this id.
     *
     * @param projectId the project
     * @return the row
     * @throws NotFoundException if no such live project is visible
     */
    ProjectsRecord row(UUID projectId) {
        return repository().get(Checks.required(projectId, "get project", "projectId"));
    }

    /** Sets every detail: a new project's, or an update's (which replaces them all). */
    private static void fill(ProjectsRecord row, String slug, String name, String description, LocalDate startsOn,
            LocalDate endsOn, BigDecimal budgetAmount, String currency) {
        row.setSlug(slug).setName(name).setDescription(description).setStartsOn(startsOn).setEndsOn(endsOn)
                .setBudgetAmount(budgetAmount).setCurrency(currency);
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

    private static String names(Set<ProjectStatus> states) {
        return String.join(", ", states.stream().map(ProjectStatus::literal).toList());
    }
}
