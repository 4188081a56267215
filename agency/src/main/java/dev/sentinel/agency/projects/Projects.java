package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.ProjectStatus;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import dev.sentinel.core.Page;
import dev.sentinel.core.PageRequest;
import dev.sentinel.core.PermissionDeniedException;
import dev.sentinel.core.StaleRecordException;
import dev.sentinel.core.UniqueViolationException;
import dev.sentinel.core.identity.Resource;
import java.util.Optional;
import java.util.UUID;

/**
 * The projects of the transaction's tenant, from {@code tx.attach(Projects.class)}, and the parts that hang off
 * them: {@link #assignments()}, {@link #time()}, {@link #priceList()} and the tenant's
 * {@link #environments()}. Built on the generic repository, so reads carry the tenant predicate,
 * soft-deleted projects are hidden, and every change is audited by the database. Every method that
 * changes data first checks its permission and throws {@link PermissionDeniedException} before
 * writing anything. Every {@link Project} returned carries its members and the time booked on it, read
 * with it in one statement. Valid only inside its transaction; tenant scope only. Not thread-safe.
 */
public interface Projects {

    /**
     * The resource type of projects ({@code sentinel.resource_types}), registered by this module's
     * migration: roles and API keys can be narrowed to one project.
     */
    String RESOURCE_TYPE = "project";

    /**
     * A project as a resource, to narrow a grant or an API key to it or to ask for a permission there:
     * {@code tx.roles().assign(userId, "staff", Projects.resource(projectId))}.
     *
     * @param projectId the project
     * @return the resource
     */
    static Resource resource(UUID projectId) {
        return Resource.of(RESOURCE_TYPE, projectId);
    }

    /**
     * Creates a project. Requires {@code project:create}.
     *
     * @param project the details
     * @return the stored project
     * @throws UniqueViolationException if a live project of the tenant has the slug
     */
    Project create(NewProject project);

    /**
     * Replaces the details of a project, with optimistic locking. The status changes only through
     * {@link #changeStatus}. Requires {@code project:update} (a grant narrowed to this project counts).
     *
     * @param projectId the project
     * @param expectedVersion the {@link Project#version()} the change was based on
     * @param change the new details: start from {@link Project#change()}
     * @return the stored project
     * @throws NotFoundException if no such live project is visible
     * @throws StaleRecordException if the project changed since that version was read
     * @throws UniqueViolationException if another live project of the tenant has the new slug
     */
    Project update(UUID projectId, int expectedVersion, ProjectChange change);

    /**
     * Moves a project to another status along {@link ProjectStatuses#next}. Requires
     * {@code project:update} (a grant narrowed to this project counts).
     *
     * @param projectId the project
     * @param status the new status
     * @return the stored project
     * @throws InvalidStateTransitionException if the current status does not allow it
     * @throws NotFoundException if no such live project is visible
     */
    Project changeStatus(UUID projectId, ProjectStatus status);

    /**
     * Soft-deletes a project: hidden from reads, its slug free again; assignments and time stay.
     * Requires {@code project:delete} (a grant narrowed to this project counts).
     *
     * @param projectId the project
     * @param reason why, 1 to 1000 characters
     * @return the deleted project
     * @throws NotFoundException if no such project is visible
     * @throws InvalidStateTransitionException if it is deleted already
     */
    Project softDelete(UUID projectId, String reason);

    /**
     * Brings a soft-deleted project back. Requires {@code project:delete}.
     *
     * @param projectId the project
     * @return the restored project
     * @throws NotFoundException if no such project is visible
     * @throws InvalidStateTransitionException if it is not deleted
     * @throws UniqueViolationException if a live project has taken its slug meanwhile
     */
    Project restore(UUID projectId);

    /**
     * The live project with this id.
     *
     * @param projectId the project
     * @return the project, or empty (also for another tenant's id)
     */
    Optional<Project> find(UUID projectId);

    /**
     * The live project with this id.
     *
     * @param projectId the project
     * @return the project
     * @throws NotFoundException if no such live project is visible
     */
    Project get(UUID projectId);

    /**
     * A page of live projects, optionally of one status, in creation order.
     *
     * @param status the status, or {@code null} for all
     * @param page which page
     * @return the page
     */
    Page<Project> list(ProjectStatus status, PageRequest page);

    /**
     * The live project with this id, with the time totals limited to a period.
     *
     * @param projectId the project
     * @param period the days whose time counts
     * @return the project
     * @throws NotFoundException if no such live project is visible
     */
    Project get(UUID projectId, DateRange period);

    /**
     * Who works on which project.
     *
     * @return the assignments of this tenant, bound to this transaction
     */
    ProjectAssignments assignments();

    /**
     * Time booked on projects.
     *
     * @return the time entries of this tenant, bound to this transaction
     */
    TimeEntries time();

    /**
     * What the tenant sells, per unit: the price list that time entries and invoice items refer to.
     *
     * @return the services of this tenant, bound to this transaction
     */
    PriceList priceList();

    /**
     * The tenant's deployment environments (development, staging, production).
     *
     * @return the environments of this tenant, bound to this transaction
     */
    Environments environments();
}
