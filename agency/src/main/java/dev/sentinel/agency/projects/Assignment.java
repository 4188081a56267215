package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.AssignmentRole;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A member of the tenant assigned to a project, as stored. Immutable and thread-safe.
 *
 * @param projectId the project
 * @param userId the member
 * @param role the role on the project
 * @param hourlyRate the rate billed for this person on this project, in the project's currency, or
 *     {@code null} to use the price of the service booked
 * @param assignedAt when the assignment was made
 * @param createdAt when the row was created
 * @param updatedAt when the role or rate last changed
 */
public record Assignment(UUID projectId, UUID userId, AssignmentRole role, BigDecimal hourlyRate, Instant assignedAt,
        Instant createdAt, Instant updatedAt) {
}
