package dev.sentinel.core.identity;

import dev.sentinel.core.db.enums.RoleScope;
import java.util.Set;
import java.util.UUID;

/**
 * A named set of permissions. Immutable.
 *
 * @param id the role's id
 * @param key the stable key used in code, such as {@code admin}
 * @param name the display name
 * @param scope where it may be assigned
 * @param permissions the permission keys it grants, such as {@code invoice:issue}
 */
public record Role(UUID id, String key, String name, RoleScope scope, Set<String> permissions) {

    /** Copies the permissions. */
    public Role {
        permissions = Set.copyOf(permissions);
    }
}
