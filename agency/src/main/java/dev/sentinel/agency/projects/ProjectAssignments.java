package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.AssignmentRole;
import dev.sentinel.core.InvalidInputException;
import dev.sentinel.core.InvalidStateTransitionException;
import dev.sentinel.core.NotFoundException;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * Members of the tenant assigned to its projects, from {@code tx.attach(Projects.class).assignments()}. Only a
 * member of the tenant (a {@code tenant_members} row) can be assigned; leaving the tenant ends the
 * assignments (the database cascades). Writes require {@code project:assign} (a grant narrowed to
 * the project counts). Valid only inside its transaction. Not thread-safe.
 */
public interface ProjectAssignments {

    /**
     * Assigns a member to a live project, or changes the role and rate of an existing assignment.
     *
     * @param projectId the project
     * @param userId the member
     * @param role the role on the project
     * @param hourlyRate the rate billed for this person on this project, in the project's currency,
     *     or {@code null} to use the price of the service booked
     * @return the stored assignment
     * @throws NotFoundException if no such live project is visible
     * @throws InvalidInputException if the user is not a member of the tenant, the rate is negative,
     *     or a rate is given on a project without a currency
     * @throws InvalidStateTransitionException if the project is completed or cancelled
     */
    Assignment assign(UUID projectId, UUID userId, AssignmentRole role, BigDecimal hourlyRate);

    /**
     * Ends an assignment. Time the person booked stays.
     *
     * @param projectId the project
     * @param userId the member
     * @throws NotFoundException if the person is not assigned to that project
     */
    void unassign(UUID projectId, UUID userId);

    /**
     * The assignments of one project, in the order they were made.
     *
     * @param projectId the project
     * @return the assignments; empty for an unknown project
     */
    List<Assignment> of(UUID projectId);

    /**
     * The projects a member is assigned to.
     *
     * @param userId the member
     * @return the assignments, in the order they were made
     */
    List<Assignment> ofUser(UUID userId);
}
