package dev.sentinel.core.identity;

import java.util.UUID;

/**
 * A role held by a user, and where it counts. Immutable.
 *
 * @param userId the user
 * @param roleKey the role's key
 * @param scope where it counts: global, a tenant, or a resource of a tenant (such as a project)
 * @param grantedBy the user who granted it, or null if a service did
 */
public record RoleGrant(UUID userId, String roleKey, AccessScope scope, UUID grantedBy) {
}
