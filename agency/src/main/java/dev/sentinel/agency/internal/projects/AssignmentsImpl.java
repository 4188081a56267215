package dev.sentinel.agency.internal.projects;

import static dev.sentinel.agency.db.Tables.PROJECT_ASSIGNMENTS;
import static dev.sentinel.core.db.Tables.TENANT_MEMBERS;

import dev.sentinel.agency.db.enums.AssignmentRole;
import dev.sentinel.agency.db.tables.records.ProjectAssignmentsRecord;
import dev.sentinel.agency.db.tables.records.ProjectsRecord;
import dev.sentinel.agency.internal.Checks;
import dev.sentinel.agency.projects.Assignment;
import dev.sentinel.agency.projects.ProjectAssignments;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Tx;
import dev.sentinel.core.db.enums.MemberStatus;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** {@link ProjectAssignments} on one transaction of a tenant. */
final class AssignmentsImpl implements ProjectAssignments {

    private final Tx tx;
    private final ProjectsImpl projects;

    AssignmentsImpl(Tx tx, ProjectsImpl projects) {
        this.tx = tx;
        this.projects = projects;
    }

    @Override
    public Assignment assign(UUID projectId, UUID userId, AssignmentRole role, BigDecimal hourlyRate) {
        Checks.required(projectId, "assign", "projectId");
        Checks.required(userId, "assign", "userId");
        Checks.required(role, "assign", "role");
        ProjectsRecord project = projects.row(projectId);
        Checks.authorize(tx, "project:assign", projectId);
        ProjectsImpl.requireOpen(project, "assign");
        Checks.optionalNonNegative(hourlyRate, "assign", "hourlyRate");
        if (hourlyRate != null && project.getCurrency() == null) {
            throw new InvalidInputException("assign: project " + projectId + " has no currency, so a rate would have none;"
                    + " set the project's currency first, or assign without a rate");
        }
        // The foreign key to tenant_members would refuse too, but with a constraint name instead of a remedy.
        // An invited member has not joined yet, and a removed one has left (removal deletes their assignments).
        if (!tx.dsl().fetchExists(TENANT_MEMBERS, TENANT_MEMBERS.TENANT_ID.eq(projects.tenant())
                .and(TENANT_MEMBERS.USER_ID.eq(userId)).and(TENANT_MEMBERS.STATUS.eq(MemberStatus.ACTIVE)))) {
            throw new InvalidInputException("assign: user " + userId + " is not an active member of tenant " + projects.tenant()
                    + "; only members can be assigned to its projects: add them (tx.members()) or wait until they accept");
        }
        ProjectAssignmentsRecord assignment = new ProjectAssignmentsRecord()
                .setProjectId(projectId)
                .setUserId(userId)
                .setRole(role)
                .setHourlyRate(hourlyRate);
        return assignment(tx.table(PROJECT_ASSIGNMENTS).upsert(assignment, PROJECT_ASSIGNMENTS.PROJECT_ID,
                PROJECT_ASSIGNMENTS.USER_ID));
    }

    @Override
    public void unassign(UUID projectId, UUID userId) {
        Checks.required(projectId, "unassign", "projectId");
        Checks.required(userId, "unassign", "userId");
        Checks.authorize(tx, "project:assign", projectId);
        int deleted = tx.dsl().deleteFrom(PROJECT_ASSIGNMENTS).where(key(projectId, userId)).execute();
        if (deleted == 0) {
            throw new NotFoundException("unassign: user " + userId + " is not assigned to project " + projectId);
        }
    }

    @Override
    public List<Assignment> of(UUID projectId) {
        Checks.required(projectId, "assignments of", "projectId");
        return tx.dsl().selectFrom(PROJECT_ASSIGNMENTS)
                .where(PROJECT_ASSIGNMENTS.TENANT_ID.eq(projects.tenant()).and(PROJECT_ASSIGNMENTS.PROJECT_ID.eq(projectId)))
                .orderBy(PROJECT_ASSIGNMENTS.ASSIGNED_AT, PROJECT_ASSIGNMENTS.USER_ID)
                .fetch(AssignmentsImpl::assignment);
    }

    @Override
    public List<Assignment> ofUser(UUID userId) {
        Checks.required(userId, "assignments ofUser", "userId");
        return tx.dsl().selectFrom(PROJECT_ASSIGNMENTS)
                .where(PROJECT_ASSIGNMENTS.TENANT_ID.eq(projects.tenant()).and(PROJECT_ASSIGNMENTS.USER_ID.eq(userId)))
                .orderBy(PROJECT_ASSIGNMENTS.ASSIGNED_AT, PROJECT_ASSIGNMENTS.PROJECT_ID)
                .fetch(AssignmentsImpl::assignment);
    }

    /**
     * The assignment of a person to a project, if any.
     *
     * @param projectId the project
     * @param userId the person
     * @return the assignment, or null
     */
    ProjectAssignmentsRecord find(UUID projectId, UUID userId) {
        return tx.dsl().selectFrom(PROJECT_ASSIGNMENTS).where(key(projectId, userId)).fetchOne();
    }

    private org.jooq.Condition key(UUID projectId, UUID userId) {
        return PROJECT_ASSIGNMENTS.TENANT_ID.eq(projects.tenant())
                .and(PROJECT_ASSIGNMENTS.PROJECT_ID.eq(projectId))
                .and(PROJECT_ASSIGNMENTS.USER_ID.eq(userId));
    }

    private static Assignment assignment(ProjectAssignmentsRecord r) {
        return new Assignment(r.getProjectId(), r.getUserId(), r.getRole(), r.getHourlyRate(), Checks.instant(r.getAssignedAt()),
                Checks.instant(r.getCreatedAt()), Checks.instant(r.getUpdatedAt()));
    }
}
