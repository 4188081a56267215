package dev.sentinel.agency.projects;

import dev.sentinel.agency.db.enums.AssignmentRole;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A member assigned to a project, with the user's name as the tenant sees it. Immutable and thread-safe.
 *
 * @param userId the user's id
 * @param email the user's e-mail address
 * @param displayName the user's display name, or {@code null}
 * @param role the role on the project
 * @param hourlyRate the person's rate on this project in the project's currency, or {@code null}
 * @param assignedAt when the assignment was made
 */
public record AssignedMember(UUID userId, String email, String displayName, AssignmentRole role, BigDecimal hourlyRate,
        Instant assignedAt) {
}
