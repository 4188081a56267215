package dev.sentinel.core.identity;

import dev.sentinel.core.db.enums.RoleScope;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Roles and their assignments, bound to one transaction ({@link dev.sentinel.core.Tx#roles()}).
 * Roles are global definitions that every scope reads and only the system scope changes.
 * Assignments made in a tenant scope are tenant-wide or narrowed to one resource of that tenant (a
 * row of a registered resource type, such as a project); those
 * made in the system scope are global. Every change leaves an audit row; a revocation counts from
 * the next transaction (and in this one).
 *
 * <p>Permissions: assigning and revoking needs {@code role:assign}; defining roles needs
 * {@code role:define} (system scope).
 */
public interface Roles {

    /**
     * Creates or replaces a role: its name, and exactly this set of permissions (permission keys
     * that do not exist yet are created). System scope only.
     *
     * @param key the role's key: lower-case letters, digits, {@code _} and {@code .}, starting with a letter
     * @param name the display name
     * @param scope where it may be assigned; an existing role keeps its scope
     * @param permissions the permission keys, {@code resource:action}
     * @return the role as stored
     * @throws dev.sentinel.core.InvalidInputException for a malformed key or permission, or a scope change
     * @throws dev.sentinel.core.MissingScopeException outside the system scope
     */
    Role define(String key, String name, RoleScope scope, Set<String> permissions);

    /**
     * A role by key.
     *
     * @param key the role's key
     * @return the role, or empty
     */
    Optional<Role> find(String key);

    /**
     * Every role, by key.
     *
     * @return the roles
     */
    List<Role> list();

    /**
     * Assigns a role: in a tenant scope across the tenant (the user must be a member; the role a
     * tenant role), in the system scope globally (a global role). Assigning a role the user holds
     * already changes nothing.
     *
     * @param userId the user
     * @param roleKey the role's key
     * @throws dev.sentinel.core.NotFoundException if the role or (in a tenant) the membership does not exist
     * @throws dev.sentinel.core.InvalidInputException if the role's scope does not fit
     * @throws dev.sentinel.core.PermissionDeniedException without {@code role:assign}
     */
    void assign(UUID userId, String roleKey);

    /**
     * Assigns a tenant role narrowed to one resource of this transaction's tenant, such as a project.
     * The grant is deleted with the resource's row.
     *
     * @param userId the user, a member of the tenant
     * @param roleKey the role's key
     * @param resource the resource, such as {@code Resource.of("project", projectId)}
     * @throws dev.sentinel.core.NotFoundException if the role, membership, resource type or resource does not exist
     * @throws dev.sentinel.core.PermissionDeniedException without {@code role:assign}
     */
    void assign(UUID userId, String roleKey, Resource resource);

    /**
     * Revokes a tenant-wide (tenant scope) or global (system scope) assignment.
     *
     * @param userId the user
     * @param roleKey the role's key
     * @return whether an assignment was removed
     * @throws dev.sentinel.core.PermissionDeniedException without {@code role:assign}
     */
    boolean revoke(UUID userId, String roleKey);

    /**
     * Revokes an assignment narrowed to a resource.
     *
     * @param userId the user
     * @param roleKey the role's key
     * @param resource the resource
     * @return whether an assignment was removed
     * @throws dev.sentinel.core.PermissionDeniedException without {@code role:assign}
     */
    boolean revoke(UUID userId, String roleKey, Resource resource);

    /**
     * The roles a user holds that this scope can see: global grants, and in a tenant scope that
     * tenant's grants.
     *
     * @param userId the user
     * @return the grants, global first, then by role key
     */
    List<RoleGrant> grantsOf(UUID userId);
}
